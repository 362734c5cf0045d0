import ArgumentParser
import AshbyFeedback
import Foundation

struct BackfillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Full re-pull of everything, ignoring stored sync tokens and refresh cadences.",
        discussion: "Reminders go only to interviews starting inside the reminder window, never to ones already started."
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var progress: ProgressOptions

    @Option(name: .long, help: ArgumentHelp("Only schedules created on or after this day (UTC).", valueName: "YYYY-MM-DD"))
    var since: String?

    @Flag(name: .long, help: "Fetch and compute everything; write and send nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Data only: no Slack directory, no reminders.")
    var noReminders = false

    func validate() throws {
        if let since, Self.day(since) == nil {
            throw ValidationError("--since must be a date like 2026-01-31, got \"\(since)\"")
        }
    }

    func run() throws {
        let request = SyncRequest(kind: .backfill, since: since.flatMap(Self.day), dryRun: dryRun, sendReminders: !noReminders)
        try JobRunner.run(options, progress: progress.progressLine(), request: request)
    }

    static func day(_ text: String) -> Date? {
        guard text.count == 10 else { return nil }
        return try? Date(text + "T00:00:00Z", strategy: .iso8601)
    }
}
