import ArgumentParser
import AshbyFeedback
import Foundation
import Postgres

/// `ashby-feedback report`: feedback turnaround per interviewer, per job and overall, from the database only.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Feedback turnaround per interviewer and job (from the database; no API call).",
        discussion: "On time means within FEEDBACK_OVERDUE_HOURS of the interview's end."
    )

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: "Interviews that ended in the last N days.")
    var days = 30

    @Flag(name: .long, help: "Print JSON (snake_case keys).")
    var json = false

    @Flag(name: .long, help: "Print CSV (one row per interviewer, job and overall).")
    var csv = false

    func validate() throws {
        guard (1...3650).contains(days) else { throw ValidationError("--days must be from 1 to 3650") }
        guard !(json && csv) else { throw ValidationError("--json and --csv cannot be combined") }
    }

    func run() throws {
        try CommandContext.run(options, command: "report", requirements: .databaseOnly) { configuration, _ in
            let connection = try PostgresConnection(configuration.databaseURL)
            let report = try TurnaroundReport.read(connection, days: days, overdueHours: configuration.digest.overdueHours)
            if json {
                print(try TurnaroundFormat.json(report))
            } else if csv {
                print(TurnaroundFormat.csv(report), terminator: "")
            } else {
                print(TurnaroundFormat.table(report))
            }
        }
    }
}
