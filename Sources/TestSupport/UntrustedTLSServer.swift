#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A TLS server on 127.0.0.1 whose certificate nobody trusts, played by `openssl s_server` (Debian
/// package `openssl`, which `scripts/install-deps.sh` installs): a client that verifies certificates,
/// as libcurl does, fails its handshake before it sends anything — what a missing CA bundle or a proxy
/// re-signing traffic with its own certificate look like.
///
/// The self-signed certificate is made at start by `openssl req -x509` in a directory of the server's
/// own, removed by `stop()`. Starting blocks: start it off the cooperative pool (`offloaded`); `stop()`
/// waits only the moment a killed process takes to end. The processes are spawned with `posix_spawn`
/// and reaped with `waitpid`: Foundation's `Process` leaks on Linux, which `scripts/leak-check.sh`
/// would report.
public final class UntrustedTLSServer: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let port: UInt16
    /// `https://127.0.0.1:<port>`.
    public var baseURL: String { "https://127.0.0.1:\(port)" }

    private let server: pid_t
    private let directory: TemporaryDirectory

    public init() throws {
        let directory = try TemporaryDirectory("untrusted-tls")
        let (key, certificate) = (directory.file("key.pem").path, directory.file("cert.pem").path)
        do {
            let errors = directory.file("openssl-req.err").path
            let maker = try Self.spawn([
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
            ], standardError: errors)
            guard Self.wait(maker) == 0 else {
                let message = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
                throw Failure(description: "openssl req failed (is the openssl package installed?): \(message)")
            }
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw Failure(description: "pipe: errno \(errno)") }
            // Close-on-exec: no other child of the test process keeps the pipe open (s_server gets its
            // write end as standard output, which dup2 leaves open).
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            // Port 0: the system picks a free one, which s_server prints as "ACCEPT 127.0.0.1:<port>".
            let server: pid_t
            do {
                server = try Self.spawn(
                    ["s_server", "-accept", "127.0.0.1:0", "-www", "-cert", certificate, "-key", key],
                    standardOutput: ends[1])
                close(ends[1])
            } catch {
                close(ends[0])
                close(ends[1])
                throw error
            }
            guard let port = Self.acceptedPort(reading: ends[0]) else {
                kill(server, SIGKILL)
                _ = Self.wait(server)
                throw Failure(description: "openssl s_server did not say which port it listens on")
            }
            (self.server, self.port, self.directory) = (server, port, directory)
        } catch {
            directory.remove()
            throw error
        }
    }

    /// Ends the server, waits for it to end, and removes its certificate and key.
    public func stop() {
        kill(server, SIGKILL)
        _ = Self.wait(server)
        directory.remove()
    }

    /// Starts `openssl` with `arguments`, standard input from /dev/null, standard output to the
    /// descriptor given (else /dev/null), standard error to the file given (else /dev/null), and the
    /// default signal dispositions and mask (a test thread's blocked signals are not inherited).
    private static func spawn(
        _ arguments: [String], standardOutput: Int32? = nil, standardError: String? = nil
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let standardOutput {
            posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, standardError ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = (["openssl"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, "openssl", &actions, &attributes, argv, environ)
        guard status == 0 else {
            throw Failure(description: "cannot start openssl (is the openssl package installed?): errno \(status)")
        }
        return pid
    }

    /// Waits for `pid` to end; its exit status, or -1 when it did not exit normally.
    private static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return -1 }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
    }

    /// Reads s_server's output up to its "ACCEPT 127.0.0.1:<port>" line, then keeps draining it on a
    /// thread of its own (so the server never blocks on a full pipe) until the server ends; the
    /// descriptor is closed then.
    private static func acceptedPort(reading descriptor: Int32) -> UInt16? {
        let found = Mutex<UInt16??>(nil)
        let ready = DispatchSemaphore(value: 0)
        Thread {
            defer { close(descriptor) }
            var text = ""
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                guard found.withLock({ $0 == nil }) else { continue }
                text += String(decoding: buffer[..<count], as: UTF8.self)
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT ") }),
                   let port = line.split(separator: ":").last.flatMap({ UInt16($0.trimmingCharacters(in: .whitespaces)) })
                {
                    found.withLock { $0 = .some(port) }
                    ready.signal()
                }
            }
            if found.withLock({ $0 == nil }) {
                found.withLock { $0 = .some(nil) }
                ready.signal()
            }
        }.start()
        guard ready.wait(timeout: .now() + 30) == .success else { return nil }
        return found.withLock { $0 ?? nil }
    }
}
