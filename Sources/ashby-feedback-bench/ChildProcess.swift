import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program as a child process and measures it: wall time from spawn to exit, and its own peak
/// resident set (`ru_maxrss` from `wait4`, which reports that child alone).
///
/// `run` blocks until the child exits: call it through `offloaded`, because the child talks to fakes
/// served on this process's cooperative pool.
enum ChildProcess {
    struct Outcome: Sendable {
        var exitStatus: Int32
        var wallSeconds: Double
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
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw Failure(description: "wait4: \(String(cString: strerror(errno)))") }
        }
        let elapsed = started.duration(to: .now)
        // WIFEXITED / WEXITSTATUS, spelled out: the macros are not imported.
        let exitStatus: Int32 = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Outcome(
            exitStatus: exitStatus, wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            peakRSSBytes: usage.ru_maxrss * 1024)
    }
}
