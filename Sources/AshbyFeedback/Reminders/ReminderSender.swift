import Foundation
import Logging
import SlackAPI

/// Sends due reminders one at a time: message first (from the due row alone: names from the synced
/// applications, no Ashby call), then claim (in the message ledger and `feedback_reminders_sent`
/// together), send, and record the outcome right after the send. Claiming one at a time means a run
/// that dies mid-way strands at most the reminder it was sending.
/// Nothing is claimed once `gate` says a post could not finish inside the run's budget.
///
/// Outcomes, as `SlackCallOutcome` decides them: sent (channel and ts stored); failed temporarily
/// (tried again by a later run while the interview has not started); failed permanently (reason
/// stored, not retried); unknown (the request may have reached Slack: never resent blindly). An auth
/// or scope error stops the run. An outcome that cannot be recorded leaves the claims as they were
/// and the next reminder goes out (`OutcomeRecords`).
struct ReminderSender {
    let store: ReminderStore
    let slack: SlackClient
    let logger: Logger
    let runID: UUID
    let clock: RunClock
    let gate: PostGate
    let records: OutcomeRecords

    /// Sends the reminders in order and returns what became of them.
    func send(_ reminders: [ReminderStore.Due]) throws -> SendOutcome {
        var outcome = SendOutcome()
        let ledger = MessageLedger(connection: store.connection)
        for (index, reminder) in reminders.enumerated() {
            let message = Self.message(for: reminder)
            var metadata: Logger.Metadata = [
                "event_id": "\(reminder.eventID)", "interviewer_id": "\(reminder.interviewerID)",
                "slack_user_id": "\(reminder.slackUserID)",
            ]
            if reminder.isRepeat { metadata["repeat"] = "true" }
            guard gate.allowsPost("reminder", waiting: reminders.count - index) else { break }
            guard let messageID = try claim(reminder, ledger: ledger) else {
                logger.notice("reminder_not_claimed", metadata: metadata.merging([
                    "reason": "claimed by another run, or the interview has started",
                ]) { $1 })
                continue
            }
            // A fresh reminder after a move leaves the pair's row `sent` (its first DM stands): only the
            // ledger records what became of it. Each outcome is recorded in one transaction.
            switch SlackPost(message, slack: slack) {
            case .posted(let posted):
                metadata["channel"] = "\(posted.channel)"
                metadata["ts"] = "\(posted.ts)"
                // Sent: if recording fails now, both claims stay and the DM is never sent twice. The pair's
                // row points at its latest DM; the ledger keeps every DM with what it showed, for edits.
                records.record("reminder", messageID: messageID, ids: metadata) {
                    try store.connection.transaction {
                        try store.markSent(reminder, channel: posted.channel, ts: posted.ts, now: clock.now())
                        try ledger.recordPosted(
                            messageID: messageID, channel: posted.channel, ts: posted.ts, fingerprint: MessageFingerprint.of(message),
                            names: reminder.names)
                    }
                }
                outcome.counts.sent += 1
                logger.info("reminder_sent", metadata: metadata)
            case .failed(let failure, let decision):
                let reason = failure.description
                records.record("reminder", messageID: messageID, ids: metadata) {
                    try store.connection.transaction {
                        // Also an auth or scope problem is `retryLater`: it is ours, not the recipient's, so retry once it is fixed.
                        if !reminder.isRepeat {
                            switch decision.verdict {
                            case .unknown, .sent: try store.markUnknown(reminder, reason: reason)
                            case .retryLater: try store.markFailed(reminder, reason: reason, temporary: true)
                            case .never: try store.markFailed(reminder, reason: reason, temporary: false)
                            }
                        }
                        try ledger.recordPostFailed(messageID: messageID, reason: reason, verdict: decision.verdict)
                    }
                }
                metadata["error"] = "\(failure)"
                outcome.counts.countFailure(decision.verdict)
                logger.postFailed(unknown: "reminder_outcome_unknown", failed: "reminder_failed", verdict: decision.verdict, metadata: metadata)
                if decision.stopsRun {
                    outcome.stoppedBy = failure
                    return outcome
                }
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
                    announcedStart: reminder.interview.startTime, runID: runID, now: clock.now(), takeOver: !reminder.isRepeat)
                else { throw LostClaim() }
                return messageID
            }
        } catch is LostClaim {
            return nil
        }
    }

    /// The DM for one reminder (also what `sync --dry-run` prints).
    static func message(for reminder: ReminderStore.Due) -> SlackMessage {
        ReminderMessage.make(
            InterviewReminder(reminder.interview, names: reminder.names, panel: reminder.panel),
            channel: reminder.slackUserID
        )
    }
}
