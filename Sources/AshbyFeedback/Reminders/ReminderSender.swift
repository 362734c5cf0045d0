import Foundation
import Logging
import SlackAPI

/// Sends due reminders one at a time: message (with its Ashby lookups) first, then claim (in the
/// message ledger and `feedback_reminders_sent` together), send, and record the outcome right after the send. Claiming one at a time means a run that dies
/// mid-way strands at most the reminder it was sending, and a slow lookup never holds a claim.
///
/// Outcomes, as `SlackCallOutcome` decides them: sent (channel and ts stored); failed temporarily
/// (tried again by a later run while the interview has not started); failed permanently (reason
/// stored, not retried); unknown (the request may have reached Slack: never resent blindly). An auth
/// or scope error stops the run.
struct ReminderSender {
    let store: ReminderStore
    let slack: SlackClient
    let lookup: CandidateLookup
    let logger: Logger
    let runID: UUID
    let clock: RunClock

    /// What a batch of sends did; `stoppedBy` is an error after which no further DM is tried (a
    /// refused token), already recorded on its reminder.
    struct Outcome {
        var counts = ReminderCounts()
        var stoppedBy: SlackError?
    }

    /// Sends the reminders in order and returns what became of them.
    func send(_ reminders: [ReminderStore.Due]) throws -> Outcome {
        var outcome = Outcome()
        let ledger = MessageLedger(connection: store.connection)
        for reminder in reminders {
            let details = lookup.details(applicationID: reminder.applicationID, candidateID: reminder.candidateID, jobID: reminder.jobID)
            let message = Self.message(for: reminder, details: details, panel: try ledger.panelFacts(eventID: reminder.eventID, interviewerID: reminder.interviewerID))
            var metadata: Logger.Metadata = [
                "event_id": "\(reminder.eventID)", "interviewer_id": "\(reminder.interviewerID)",
                "slack_user_id": "\(reminder.slackUserID)",
            ]
            if reminder.isRepeat { metadata["repeat"] = "true" }
            guard let messageID = try claim(reminder, ledger: ledger) else {
                logger.notice("reminder_not_claimed", metadata: metadata.merging([
                    "reason": "claimed by another run, or the interview has started",
                ]) { $1 })
                continue
            }
            let result = Result { () throws(SlackError) in try slack.postMessage(message) }
            let failure: SlackError? = if case .failure(let error) = result { error } else { nil }
            let decision = SlackCallOutcome(kind: .post, failure: failure)
            let reason = failure?.description ?? ""
            if let failure { metadata["error"] = "\(failure)" }
            // A fresh reminder after a move leaves the pair's row `sent` (its first DM stands): only the
            // ledger records what became of it.
            switch decision.verdict {
            case .sent:
                // Sent: if recording fails now, both claims stay and the DM is never sent twice. The pair's
                // row points at its latest DM; the ledger keeps every DM with what it showed, for edits.
                let posted = try result.get()
                try store.connection.transaction {
                    try store.markSent(reminder, channel: posted.channel, ts: posted.ts, now: clock.now())
                    try ledger.recordPosted(
                        messageID: messageID, channel: posted.channel, ts: posted.ts, fingerprint: MessageFingerprint.of(message),
                        names: MessageLedger.ShownNames(
                            candidateName: details.candidateName, jobTitle: details.jobTitle,
                            candidateProfileURL: details.candidateProfileURL))
                }
                outcome.counts.sent += 1
                metadata["channel"] = "\(posted.channel)"
                metadata["ts"] = "\(posted.ts)"
                logger.info("reminder_sent", metadata: metadata)
            case .unknown:
                if !reminder.isRepeat { try store.markUnknown(reminder, reason: reason) }
                try ledger.recordPostFailed(messageID: messageID, reason: reason, temporary: false, unknown: true)
                outcome.counts.unknown += 1
                logger.error("reminder_outcome_unknown", metadata: metadata)
            case .retryLater:
                // Also an auth or scope problem: it is ours, not the recipient's, so retry once it is fixed.
                if !reminder.isRepeat { try store.markFailed(reminder, reason: reason, temporary: true) }
                try ledger.recordPostFailed(messageID: messageID, reason: reason, temporary: true)
                outcome.counts.retrying += 1
                logger.warning("reminder_failed", metadata: metadata.merging(["retry": "true"]) { $1 })
            case .never:
                if !reminder.isRepeat { try store.markFailed(reminder, reason: reason, temporary: false) }
                try ledger.recordPostFailed(messageID: messageID, reason: reason, temporary: false)
                outcome.counts.failed += 1
                logger.warning("reminder_failed", metadata: metadata.merging(["retry": "false"]) { $1 })
            }
            if decision.stopsRun, let failure {
                outcome.stoppedBy = failure
                return outcome
            }
        }
        return outcome
    }

    /// Claims the reminder in `feedback_reminders_sent` (a first reminder: that row decides, as before
    /// the ledger) and in the ledger, in one committed transaction; nil when another run won.
    private func claim(_ reminder: ReminderStore.Due, ledger: MessageLedger) throws -> Int64? {
        struct LostClaim: Error {}
        do {
            return try store.connection.transaction {
                if !reminder.isRepeat, try store.claim([reminder], runID: runID, now: clock.now()).isEmpty { throw LostClaim() }
                guard let messageID = try ledger.claimReminder(
                    eventID: reminder.eventID, interviewerID: reminder.interviewerID, slackUserID: reminder.slackUserID,
                    announcedStart: reminder.startTime, runID: runID, now: clock.now(), takeOver: !reminder.isRepeat)
                else { throw LostClaim() }
                return messageID
            }
        } catch is LostClaim {
            return nil
        }
    }

    /// The DM for one reminder (also what `sync --dry-run` prints).
    static func message(
        for reminder: ReminderStore.Due, details: CandidateLookup.Details, panel: MessageLedger.PanelFacts
    ) -> SlackMessage {
        ReminderMessage.make(
            InterviewReminder(
                candidateName: details.candidateName, jobTitle: details.jobTitle,
                interviewTitle: reminder.interviewTitle, startTime: reminder.startTime, endTime: reminder.endTime,
                location: reminder.location, meetingLink: reminder.meetingLink,
                instructions: reminder.instructions, feedbackLink: reminder.feedbackLink,
                candidateProfileURL: details.candidateProfileURL, otherInterviewers: panel.otherInterviewers,
                scorecardQuestions: panel.scorecardQuestions
            ),
            channel: reminder.slackUserID
        )
    }
}
