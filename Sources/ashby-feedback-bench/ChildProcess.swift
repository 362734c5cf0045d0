import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program as a child process and measures it: wall time from spawn to exit, its CPU time, and its
/// own peak resident set.
///
/// The peak is the child's `VmHWM` (its memory's high-water mark) from `/proc/<pid>/status`, sampled every
/// 2 ms until it exits. `ru_maxrss` from `wait4` cannot be used: Linux carries the high-water mark of the
/// memory a process replaced at `exec` into it, and a spawned child replaces this process's memory (the
/// fakes and the whole tenant), so it would report the benchmark's own size.
///
/// `run` blocks until the child exits: call it through `offloaded`, because the child talks to fakes
/// served on this process's cooperative pool.
enum ChildProcess {
    struct Outcome: Sendable {
        var exitStatus: Int32
        var wallSeconds: Double
        /// User plus system CPU time of the child (from `wait4`).
        var cpuSeconds: Double
        var peakRSSBytes: Int
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `executable` with `arguments` and exactly `environment`; standard output and error go to `logPath`.
    static func run(executable: String, arguments: [String], environment: [String: String], logPath: String) throws -> Outcome {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }

        let started = ContinuousClock.now
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        let sampler = PeakSampler(pid: pid)
        let samplerThread = Thread { sampler.sampleUntilStopped() }
        samplerThread.start()
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw Failure(description: "wait4: \(String(cString: strerror(errno)))") }
        }
        let elapsed = started.duration(to: .now)
        let peak = sampler.stop()
        // WIFEXITED / WEXITSTATUS, spelled out: the macros are not imported.
        let exitStatus: Int32 = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Outcome(
            exitStatus: exitStatus, wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime), peakRSSBytes: peak)
    }

    private static func seconds(_ time: timeval) -> Double {
        Double(time.tv_sec) + Double(time.tv_usec) / 1e6
    }
}

/// Samples a process's `VmHWM` every 2 ms on its own thread until told to stop.
private final class PeakSampler: Sendable {
    private struct State {
        var stopped = false
        var peakBytes = 0
        var finished = false
    }

    private let path: String
    private let state = Mutex(State())

    init(pid: pid_t) {
        path = "/proc/\(pid)/status"
    }

    func sampleUntilStopped() {
        while true {
            let sample = Self.highWaterMark(path)
            let stop = state.withLock { state in
                state.peakBytes = max(state.peakBytes, sample ?? 0)
                return state.stopped
            }
            if stop { break }
            usleep(2_000)
        }
        state.withLock { $0.finished = true }
    }

    /// Stops sampling (the process has exited) and returns the highest mark seen.
    func stop() -> Int {
        state.withLock { $0.stopped = true }
        while !state.withLock({ $0.finished }) { usleep(500) }
        return state.withLock { $0.peakBytes }
    }

    /// `VmHWM` in bytes; nil once the process is gone or a zombie.
    private static func highWaterMark(_ path: String) -> Int? {
        guard let status = try? String(contentsOfFile: path, encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.dropFirst("VmHWM:".count).trimmingCharacters(in: .whitespaces).dropLast(3)
                  .trimmingCharacters(in: .whitespaces))
        else { return nil }
        return kilobytes * 1024
    }
}
