import Foundation
import Postgres
import TestSupport

/// The machine and software a benchmark ran on, for BENCHMARKS.md.
struct MachineInfo: Sendable {
    var processors: Int
    var memory: String
    var cpuModel: String
    var swiftVersion: String
    var postgresVersion: String
    var date: String

    static func collect(databaseURL: String) throws -> MachineInfo {
        let memoryKB = field("MemTotal", in: "/proc/meminfo").flatMap { Int($0.split(separator: " ").first ?? "") }
        return MachineInfo(
            processors: ProcessInfo.processInfo.activeProcessorCount,
            memory: memoryKB.map { String(format: "%.1f GiB", Double($0) / 1_048_576) } ?? "unknown",
            cpuModel: field("model name", in: "/proc/cpuinfo") ?? "unknown",
            swiftVersion: swiftVersion() ?? "unknown",
            postgresVersion: try PostgresConnection(databaseURL).query("SHOW server_version").rows[0][0].decode(String.self),
            date: Date().formatted(Date.ISO8601FormatStyle().year().month().day()))
    }

    /// The value of the first `name: value` line of a /proc file.
    private static func field(_ name: String, in path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The first line of `swift --version`, or nil without a toolchain on the PATH.
    private static func swiftVersion() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        guard (try? process.run()) != nil else { return nil }
        let output = FileDescriptorReader.readToEnd(pipe.fileHandleForReading)
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: "\n").first.map(String.init)
    }
}
