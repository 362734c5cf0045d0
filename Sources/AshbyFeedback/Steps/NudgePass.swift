import Foundation
import Logging

/// Post-interview nudges (issue 11), after the reminders: first the posted nudges whose scorecards
/// came in are edited (`NudgeEditPass`), then every interviewer who owes scorecards that are due a
/// nudge (`NudgeSettings.isDue`: after the end, once a working day, only inside their working hours
/// in their Slack time zone, at most `FEEDBACK_NUDGE_MAX`, never about old interviews) gets one DM
/// about them all: how many, and the oldest listed, as many as Slack's limits allow (see `NudgeStore`
/// for the others). A dry run prints the nudges it would send.
///
/// Who is chased depends on the application's status, as the synced `applications` say (no Ashby call):
/// `Active`, `Lead` and `Hired` are nudged — a hired candidate's scorecards still belong in the record
/// (hiring committees, audits, calibration), and nudges stop after `FEEDBACK_NUDGE_MAX_AGE_HOURS` anyway;
/// `Archived` (rejected or withdrawn) is not; an unknown status (the application not synced yet, or the
/// key lacks `candidatesRead`) is not either, rather than chasing a rejected candidate by mistake: it is
/// logged once per run per application (`nudge_skipped`), or once per run in all while the permission is
/// missing.
struct NudgePass: RunStep {
    let name = "nudges"
    var isDataStep: Bool { false }

    func isWanted(in context: RunContext) -> Bool {
        context.slack != nil && context.request.sendReminders && !context.conditions.slackRefused
            && !context.configuration.nudges.isOff
    }

    func run(in context: RunContext) throws -> RunSummary {
        guard let slack = context.slack else { return RunSummary() }
        let settings = context.configuration.nudges
        let now = context.clock.now()
        let store = NudgeStore(connection: context.connection)
        var summary = RunSummary()
        let records = OutcomeRecords(logger: context.logger)
        let edits = NudgeEditPass(
            store: store, slack: slack, logger: context.logger, records: records,
            since: settings.oldestEnd(at: now).addingTimeInterval(-7 * 86_400), dryRun: context.dryRun,
            report: context.report, shouldStop: { context.dataBudgetSpent })
        summary.edits = try edits.run()

        let outstanding = try store.outstanding(now: now, oldestEnd: settings.oldestEnd(at: now), maxNudges: settings.maxNudges)
        let due = outstanding.filter {
            settings.isDue(
                endedAt: $0.endTime, nudgesSoFar: $0.nudgesSoFar, lastNudgeAt: $0.lastNudgeAt,
                zone: $0.timeZone.zone(default: context.configuration.defaultTimeZone), workingHours: context.configuration.workingHours, now: now)
        }
        let recipients = Self.byRecipient(due)
        let sender = NudgeSender(
            store: store, slack: slack, logger: context.logger, runID: context.runID, clock: context.clock, records: records)
        let gate = context.postGate
        var outcome = SendOutcome()
        var skips = Skips()
        defer { skips.log(in: context) }
        for (index, recipient) in recipients.enumerated() {
            let lines = lines(for: recipient, skips: &skips)
            guard !lines.isEmpty else { continue }
            summary.nudges.due += 1
            if context.dryRun {
                let listed = lines.filter { $0.nudgeNumber != nil }
                let message = NudgeMessage.make(listed.map(\.scorecard), unlisted: lines.count - listed.count, channel: recipient[0].slackUserID)
                context.report("would nudge \(recipient[0].slackUserID) (\(recipient[0].email)) about \(lines.count) scorecard(s): \(message.text)")
                continue
            }
            guard gate.allowsPost("nudge", waiting: recipients.count - index) else { break }
            try sender.send(to: recipient[0].slackUserID, lines: lines, into: &outcome)
            if let refused = outcome.stoppedBy {
                context.conditions.slackRefused = true
                summary.nudges.add(outcome.counts)
                throw StepFailure(summary: summary, error: refused)
            }
        }
        summary.nudges.add(outcome.counts)
        if context.dryRun { context.report("would send \(summary.nudges.due) nudge(s)") }
        if let failure = records.failure { throw StepFailure(summary: summary, error: failure) }
        return summary
    }

    /// Due scorecards grouped per recipient, in the order the store returned them (oldest end first).
    private static func byRecipient(_ due: [NudgeStore.Outstanding]) -> [[NudgeStore.Outstanding]] {
        var groups: [[NudgeStore.Outstanding]] = []
        for item in due {
            if groups.last?.first?.slackUserID == item.slackUserID {
                groups[groups.count - 1].append(item)
            } else {
                groups.append([item])
            }
        }
        return groups
    }

    /// The lines of one recipient's nudge: archived applications and those whose status is unknown
    /// left out (counted in `skips`); the oldest listed, as many as one message can show
    /// (`NudgeMessage.listable`), the rest counted without being listed (`NudgeStore.Line`).
    private func lines(for recipient: [NudgeStore.Outstanding], skips: inout Skips) -> [NudgeStore.Line] {
        var kept: [NudgeStore.Outstanding] = []
        var scorecards: [OutstandingScorecard] = []
        for item in recipient {
            guard let status = item.applicationStatus else {
                skips.unknown.insert(item.applicationID ?? "none")
                continue
            }
            if status == "Archived" {
                skips.archived.insert(item.applicationID ?? "none")
                continue
            }
            kept.append(item)
            scorecards.append(OutstandingScorecard(
                eventID: item.eventID, interviewerID: item.interviewerID, candidateName: item.candidateName,
                jobTitle: item.jobTitle, interviewTitle: item.interviewTitle, endedAt: item.endTime,
                feedbackLink: item.feedbackLink))
        }
        let listed = NudgeMessage.listable(scorecards)
        return zip(kept, scorecards).enumerated().map { index, pair in
            NudgeStore.Line(scorecard: pair.1, nudgeNumber: index < listed ? pair.0.nudgesSoFar + 1 : nil)
        }
    }

    /// The applications whose scorecards a run did not chase, logged once each at the end of the pass.
    private struct Skips {
        var archived = Set<String>()
        var unknown = Set<String>()

        func log(in context: RunContext) {
            for application in archived.sorted() {
                context.logger.info("nudge_skipped", metadata: [
                    "application_id": "\(application)", "reason": "the application is archived (rejected or withdrawn)",
                ])
            }
            guard !unknown.isEmpty else { return }
            let reason = "application status unknown"
            if let unavailable = try? SyncStateStore(connection: context.connection).unavailableReason(resource: Resource.applications) {
                // Without the permission no status is known: one line, not one per application.
                context.logger.notice("nudge_skipped", metadata: [
                    "applications": .int(unknown.count), "reason": "\(reason): \(unavailable)",
                ])
                return
            }
            for application in unknown.sorted() {
                context.logger.notice("nudge_skipped", metadata: [
                    "application_id": "\(application)",
                    "reason": "\(reason) (not synced from application.list yet): nudged once it is known and not archived",
                ])
            }
        }
    }
}
