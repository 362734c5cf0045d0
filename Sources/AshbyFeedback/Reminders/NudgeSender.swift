import Foundation
import Logging
import SlackAPI

/// Sends one nudge per recipient: claimed first (`NudgeStore.claim`, committed), then posted, then
/// its outcome recorded in the message ledger, as `SlackCallOutcome` decides it:
/// sent (channel, ts and fingerprint kept, for edits); failed temporarily (its lines released, so a
/// later run claims them again); failed for good (recorded, counted as that nudge); unknown (the DM
/// may have been posted: never resent). A crash after the claim leaves the nudge claimed, never resent.
struct NudgeSender {
    let store: NudgeStore
    let slack: SlackClient
    let logger: Logger
    let runID: UUID
    let clock: RunClock

    /// What one send did; `stoppedBy` is an error after which no further DM is tried (a refused token).
    struct Outcome {
        var counts = ReminderCounts()
        var stoppedBy: SlackError?
    }

    func send(to slackUserID: String, lines: [NudgeStore.Line], into outcome: inout Outcome) throws {
        var metadata: Logger.Metadata = ["slack_user_id": "\(slackUserID)"]
        guard let claim = try store.claim(slackUserID: slackUserID, lines: lines, runID: runID, now: clock.now()) else {
            logger.notice("nudge_not_claimed", metadata: metadata.merging(["reason": "claimed by another run"]) { $1 })
            return
        }
        metadata["scorecards"] = .int(claim.lines.count)
        metadata["event_ids"] = "\(claim.lines.map(\.eventID).joined(separator: ","))"
        let message = NudgeMessage.make(claim.lines, channel: slackUserID)
        let ledger = MessageLedger(connection: store.connection)
        let result = Result { () throws(SlackError) in try slack.postMessage(message) }
        let failure: SlackError? = if case .failure(let error) = result { error } else { nil }
        let decision = SlackCallOutcome(kind: .post, failure: failure)
        let reason = failure?.description ?? ""
        if let failure { metadata["error"] = "\(failure)" }
        switch decision.verdict {
        case .sent:
            let posted = try result.get()
            try ledger.recordPosted(
                messageID: claim.messageID, channel: posted.channel, ts: posted.ts,
                fingerprint: MessageFingerprint.of(message), names: MessageLedger.ShownNames())
            outcome.counts.sent += 1
            metadata["channel"] = "\(posted.channel)"
            metadata["ts"] = "\(posted.ts)"
            logger.info("nudge_sent", metadata: metadata)
        case .unknown:
            try ledger.recordPostFailed(messageID: claim.messageID, reason: reason, temporary: false, unknown: true)
            outcome.counts.unknown += 1
            logger.error("nudge_outcome_unknown", metadata: metadata)
        case .retryLater:
            try store.connection.transaction {
                try ledger.recordPostFailed(messageID: claim.messageID, reason: reason, temporary: true)
                try store.releaseLines(messageID: claim.messageID)
            }
            outcome.counts.retrying += 1
            logger.warning("nudge_failed", metadata: metadata.merging(["retry": "true"]) { $1 })
        case .never:
            try ledger.recordPostFailed(messageID: claim.messageID, reason: reason, temporary: false)
            outcome.counts.failed += 1
            logger.warning("nudge_failed", metadata: metadata.merging(["retry": "false"]) { $1 })
        }
        if decision.stopsRun, let failure { outcome.stoppedBy = failure }
    }
}
