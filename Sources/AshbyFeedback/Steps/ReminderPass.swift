import Foundation

/// Due reminders: every (event, interviewer) starting inside the reminder window gets its DM,
/// claimed before it is sent (`ReminderSender`).
///
/// It runs first, from what is already stored, so a slow or failing Ashby never costs a reminder
/// that is due now — when the stored schedules are fresh (pulled within the last 15 minutes); and
/// again after the pull for interviews the pull just brought in. A dry run only runs the second and
/// prints what it would send.
struct ReminderPass: RunStep {
    enum Moment: String {
        case beforePull = "reminders_before_pull"
        case afterPull = "reminders"
        /// Between the pages of a backfill (`RunPacer`).
        case duringBackfill = "reminders_during_backfill"
    }

    let moment: Moment
    var name: String { moment.rawValue }
    var isDataStep: Bool { false }

    func isWanted(in context: RunContext) -> Bool {
        guard context.slack != nil, context.request.sendReminders, !context.conditions.slackRefused else { return false }
        return !(context.dryRun && moment != .afterPull)
    }

    /// How old the stored schedules may be for the pass before the pull to trust them: a few cron
    /// cadences. Older (cron stopped, a first run after a break), they may hold interviews moved or
    /// cancelled since, and the reminders wait for the pull.
    static let storedSchedulesFreshness: TimeInterval = 15 * 60

    func run(in context: RunContext) throws -> RunSummary {
        guard let slack = context.slack else { return RunSummary() }
        let store = ReminderStore(connection: context.connection)
        let now = context.clock.now()
        if moment == .beforePull {
            let lastPass = context.storedStates[Resource.schedules]?.lastPassAt
            guard let lastPass, now.timeIntervalSince(lastPass) <= Self.storedSchedulesFreshness else {
                context.logger.info("reminders_deferred", metadata: [
                    "reason": "stored schedules are not fresh; reminders go out after the pull",
                    "schedules_age_s": .stringConvertible(lastPass.map { Int(now.timeIntervalSince($0)) } ?? -1),
                ])
                return RunSummary()
            }
        }
        let window = context.configuration.reminderWindow(at: now)
        // Plus one fresh DM for pairs whose interview moved further than the window since their last DM.
        let due = try store.due(now: now, windowStart: window.start, windowEnd: window.end)
            + MessageLedger(connection: context.connection).dueAgain(
                windowStart: window.start, windowEnd: window.end,
                moveThreshold: Double(context.configuration.reminderWindowEndMinutes) * 60)
        var summary = RunSummary()
        summary.reminders.due = due.count
        guard !due.isEmpty else { return summary }
        if context.dryRun {
            for reminder in due {
                let message = ReminderSender.message(for: reminder)
                context.report("would send DM to \(reminder.slackUserID) (\(reminder.email)) for event \(reminder.eventID): \(message.text)")
            }
            context.report("would send \(due.count) reminder(s)")
            return summary
        }
        let records = OutcomeRecords(logger: context.logger)
        let sender = ReminderSender(
            store: store, slack: slack, logger: context.logger, runID: context.runID,
            clock: context.clock, gate: context.postGate, records: records)
        let outcome = try sender.send(due)
        summary.reminders.add(outcome.counts)
        summary.reminders.due = due.count
        if let refused = outcome.stoppedBy {
            context.conditions.slackRefused = true
            throw StepFailure(summary: summary, error: refused)
        }
        if let failure = records.failure { throw StepFailure(summary: summary, error: failure) }
        return summary
    }
}

extension Configuration {
    /// The interviews due for their reminder at `now`: starting in (now + start, now + end].
    func reminderWindow(at now: Date) -> DateInterval {
        DateInterval(
            start: now.addingTimeInterval(Double(reminderWindowStartMinutes) * 60),
            end: now.addingTimeInterval(Double(reminderWindowEndMinutes) * 60))
    }
}
