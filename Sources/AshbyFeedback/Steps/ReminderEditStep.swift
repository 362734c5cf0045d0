/// DMs already posted whose interview changed (time, place, panel…), was cancelled, left its
/// schedule, or lost this interviewer, edited to show the truth (`ReminderEditPass`). Runs after the
/// pull and before the reminders; a run with no change makes no Slack call. Edits stop with the data
/// steps at the run budget, oldest change first, and the rest waits for the next run.
struct ReminderEditStep: RunStep {
    let name = "reminder_edits"
    var isDataStep: Bool { false }

    func isWanted(in context: RunContext) -> Bool {
        context.slack != nil && context.request.sendReminders && !context.conditions.slackRefused
    }

    func run(in context: RunContext) throws -> RunSummary {
        guard let slack = context.slack else { return RunSummary() }
        let records = OutcomeRecords(logger: context.logger)
        let pass = ReminderEditPass(
            ledger: MessageLedger(connection: context.connection), slack: slack, logger: context.logger, records: records,
            now: context.clock.now(), dryRun: context.dryRun, report: context.report,
            shouldStop: { context.dataBudgetSpent })
        var summary = RunSummary()
        summary.edits = try pass.run()
        let counts = summary.edits
        if counts != ReminderEditCounts() {
            context.logger.info("reminder_edits", metadata: [
                "edited": .int(counts.edited), "failed": .int(counts.failed), "pending": .int(counts.pending),
                "adopted": .int(counts.adopted),
            ])
        }
        if context.dryRun { context.report("would edit \(counts.edited) reminder(s)") }
        if let failure = records.failure { throw StepFailure(summary: summary, error: failure) }
        return summary
    }
}
