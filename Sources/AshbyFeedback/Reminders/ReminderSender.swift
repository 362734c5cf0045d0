import Foundation
import Logging
import SlackAPI

/// Sends due reminders one at a time: message (with its Ashby lookups) first, then claim, send,
/// and record the outcome right after the send. Claiming one at a time means a run that dies
/// mid-way strands at most the reminder it was sending, and a slow lookup never holds a claim.
///
/// Outcomes: sent (channel and ts stored); failed temporarily (tried again by a later run while the
/// interview has not started); failed permanently (reason stored, not retried); unknown (the
/// request may have reached Slack: never resent blindly). An auth or scope error stops the run.
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
        for reminder in reminders {
            let message = Self.message(for: reminder, lookup: lookup)
            var metadata: Logger.Metadata = [
                "event_id": "\(reminder.eventID)", "interviewer_id": "\(reminder.interviewerID)",
                "slack_user_id": "\(reminder.slackUserID)",
            ]
            guard try !store.claim([reminder], runID: runID, now: clock.now()).isEmpty else {
                logger.notice("reminder_not_claimed", metadata: metadata.merging([
                    "reason": "claimed by another run, or the interview has started",
                ]) { $1 })
                continue
            }
            let posted: SlackPostedMessage
            do {
                posted = try slack.postMessage(message)
            } catch {
                metadata["error"] = "\(error)"
                switch error.disposition {
                case .outcomeUnknown:
                    try store.markUnknown(reminder, reason: error.description)
                    outcome.counts.unknown += 1
                    logger.error("reminder_outcome_unknown", metadata: metadata)
                case .temporary:
                    try store.markFailed(reminder, reason: error.description, temporary: true)
                    outcome.counts.retrying += 1
                    logger.warning("reminder_failed", metadata: metadata.merging(["retry": "true"]) { $1 })
                case .permanent:
                    // An auth or scope problem is ours, not the recipient's: retry once it is fixed.
                    try store.markFailed(reminder, reason: error.description, temporary: error.stopsRun)
                    if error.stopsRun { outcome.counts.retrying += 1 } else { outcome.counts.failed += 1 }
                    logger.warning("reminder_failed", metadata: metadata.merging(["retry": "\(error.stopsRun)"]) { $1 })
                }
                if error.stopsRun {
                    outcome.stoppedBy = error
                    return outcome
                }
                continue
            }
            // Sent: if recording fails now, the claim stays and the DM is never sent twice.
            try store.markSent(reminder, channel: posted.channel, ts: posted.ts, now: clock.now())
            outcome.counts.sent += 1
            metadata["channel"] = "\(posted.channel)"
            metadata["ts"] = "\(posted.ts)"
            logger.info("reminder_sent", metadata: metadata)
        }
        return outcome
    }

    /// The DM for one reminder (also what `sync --dry-run` prints).
    static func message(for reminder: ReminderStore.Due, lookup: CandidateLookup) -> SlackMessage {
        let details = lookup.details(applicationID: reminder.applicationID, candidateID: reminder.candidateID, jobID: reminder.jobID)
        return ReminderMessage.make(
            InterviewReminder(
                candidateName: details.candidateName, jobTitle: details.jobTitle,
                interviewTitle: reminder.interviewTitle, startTime: reminder.startTime, endTime: reminder.endTime,
                location: reminder.location, meetingLink: reminder.meetingLink,
                instructions: reminder.instructions, feedbackLink: reminder.feedbackLink
            ),
            channel: reminder.slackUserID
        )
    }
}
