import ArgumentParser
import AshbyFeedback

@main
struct AshbyFeedbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ashby-feedback",
        abstract: "Syncs Ashby interviews into PostgreSQL and reminds interviewers on Slack.",
        discussion: """
            Exit codes: 0 success (also when another run held the lock), 64 usage error, \
            75 a dependency stayed unavailable after retries, 78 configuration error, 1 other failure.
            """,
        version: ProductVersion.current,
        subcommands: [SyncCommand.self, BackfillCommand.self, StatusCommand.self, ReportCommand.self, MigrateCommand.self]
    )
}
