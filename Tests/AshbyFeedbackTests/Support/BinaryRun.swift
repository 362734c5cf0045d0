import Foundation
import Testing
import TestSupport

/// Runs the built `ashby-feedback` binary the ways ops meet it: through pipes (cron, systemd), under a
/// pseudo-terminal (a person), and with standard error closed.
enum BinaryRun {
    static var binary: String { CommandLineTests.binary }

    /// What cron gives a job: a short PATH, and the home of the system user the README creates, which
    /// does not exist (`useradd --no-create-home`): the binary must neither need nor write a home.
    static let cronEnvironment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent"]

    static func environment(_ extra: [String: String]) -> [String: String] {
        var environment = cronEnvironment
        environment.merge(extra) { $1 }
        return environment
    }

    /// Through pipes, as cron runs it (no `--log-format`: the default applies).
    static func piped(_ arguments: [String], environment: [String: String]) async throws -> Subprocess {
        let environment = Self.environment(environment)
        return try await offloaded { try Subprocess.run(binary, arguments, environment: environment) }
    }

    /// Under a pseudo-terminal made by util-linux `script`; returns what the terminal showed
    /// (standard output and error together), or nil when `script` is not installed.
    static func underTerminal(_ arguments: [String], environment: [String: String]) async throws -> Subprocess? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return nil }
        let command = ([binary] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let environment = Self.environment(environment)
        return try await offloaded { try Subprocess.run("/usr/bin/script", ["-qec", command, "/dev/null"], environment: environment) }
    }

    /// What became of a run whose standard error was a pipe nobody reads.
    struct Ending: Sendable {
        var exitedNormally: Bool
        var status: Int32
    }

    /// With standard error a pipe whose read end is closed before the binary starts: every write to it fails with EPIPE.
    static func withClosedStandardError(_ arguments: [String], environment: [String: String]) async throws -> Ending {
        let environment = Self.environment(environment)
        return try await offloaded {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
            process.environment = environment
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try err.fileHandleForReading.close()
            try process.run()
            process.waitUntilExit()
            return Ending(exitedNormally: process.terminationReason == .exit, status: process.terminationStatus)
        }
    }
}
