import ArgumentParser
import AshbyFeedback

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "One cron run: pull what is due from Ashby and Slack, store the differences, send due reminders.",
        discussion: "Exits 0 without doing anything when another run holds the lock."
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var progress: ProgressOptions

    @Flag(name: .long, help: "Fetch and compute everything; print what would be written and sent; write and send nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Sync data only: no Slack directory, no reminders (SLACK_BOT_TOKEN not needed).")
    var noReminders = false

    func run() throws {
        try JobRunner.run(options, progress: progress.progressLine(), request: SyncRequest(kind: .sync, dryRun: dryRun, sendReminders: !noReminders))
    }
}
