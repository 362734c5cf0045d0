import ArgumentParser
import AshbyFeedback
import Foundation
import Postgres

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Recent runs, sync-token ages, reminder outcomes and audit size.",
        discussion: "Exits 1 when the last run failed or no run succeeded within --max-age-minutes, so monitoring can call it."
    )

    @OptionGroup var options: GlobalOptions

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    @Option(name: .long, help: "How many recent runs to show.")
    var runs = 10

    @Option(name: .long, help: "Unhealthy when no run succeeded within this many minutes.")
    var maxAgeMinutes = 30

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be at least 1") }
        guard maxAgeMinutes > 0 else { throw ValidationError("--max-age-minutes must be at least 1") }
    }

    func run() throws {
        try CommandContext.run(options, command: "status", requirements: .databaseOnly) { configuration, _ in
            let connection = try PostgresConnection(configuration.databaseURL)
            let report = try StatusReport.read(connection, runLimit: runs, maxAgeMinutes: maxAgeMinutes, digest: configuration.digest)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(StatusText.render(report))
            }
            if let problem = report.problem {
                throw Failure(status: .failure, "unhealthy: \(problem)")
            }
        }
    }
}
