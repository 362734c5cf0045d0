import Foundation
import Logging

/// Post-interview nudges (issue 11), after the reminders: first the posted nudges whose scorecards
/// came in are edited (`NudgeEditPass`), then every interviewer who owes scorecards that are due a
/// nudge (`NudgeSettings.isDue`: after the end, once a working day, only inside their working hours
/// in their Slack time zone, at most `FEEDBACK_NUDGE_MAX`, never about old interviews) gets one DM
/// about them all: how many, and the oldest listed, as many as Slack's limits allow (see `NudgeStore`
/// for the others). Candidates whose application is `Archived` are never chased, nor those whose
/// application status is unknown (its lookup failed): they wait for a run that knows. A dry run
/// prints the nudges it would send.
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
        for (index, recipient) in recipients.enumerated() {
            let lines = lines(for: recipient, in: context)
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

    /// The lines of one recipient's nudge: candidate and job names looked up (cached for the run),
    /// archived applications and those of unknown status left out (logged); the oldest listed, as many
    /// as one message can show (`NudgeMessage.listable`), the rest counted without being listed
    /// (`NudgeStore.Line`).
    private func lines(for recipient: [NudgeStore.Outstanding], in context: RunContext) -> [NudgeStore.Line] {
        var kept: [NudgeStore.Outstanding] = []
        var scorecards: [OutstandingScorecard] = []
        for item in recipient {
            let details = context.lookup.details(applicationID: item.applicationID, candidateID: item.candidateID, jobID: item.jobID)
            // Unknown (the lookup failed): the candidate may have been rejected, so no nudge until a run knows.
            let skipped: String? = switch details.applicationStatus {
            case nil: "application status unknown"
            case "Archived": "the application is archived (rejected or withdrawn)"
            default: nil
            }
            if let skipped {
                context.logger.info("nudge_skipped", metadata: [
                    "event_id": "\(item.eventID)", "interviewer_id": "\(item.interviewerID)",
                    "application_id": "\(item.applicationID ?? "-")", "reason": "\(skipped)",
                ])
                continue
            }
            kept.append(item)
            scorecards.append(OutstandingScorecard(
                eventID: item.eventID, interviewerID: item.interviewerID, candidateName: details.candidateName,
                jobTitle: details.jobTitle, interviewTitle: item.interviewTitle, endedAt: item.endTime,
                feedbackLink: item.feedbackLink))
        }
        let listed = NudgeMessage.listable(scorecards)
        return zip(kept, scorecards).enumerated().map { index, pair in
            NudgeStore.Line(scorecard: pair.1, nudgeNumber: index < listed ? pair.0.nudgesSoFar + 1 : nil)
        }
    }
}
