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

    func send(to slackUserID: String, lines: [NudgeStore.Line], into outcome: inout SendOutcome) throws {
        var metadata: Logger.Metadata = ["slack_user_id": "\(slackUserID)"]
        guard let claim = try store.claim(slackUserID: slackUserID, lines: lines, runID: runID, now: clock.now()) else {
            logger.notice("nudge_not_claimed", metadata: metadata.merging(["reason": "claimed by another run"]) { $1 })
            return
        }
        metadata["scorecards"] = .int(claim.lines.count)
        metadata["event_ids"] = "\(claim.lines.map(\.eventID).joined(separator: ","))"
        if claim.unlisted > 0 { metadata["unlisted"] = .int(claim.unlisted) }
        let message = NudgeMessage.make(claim.lines, unlisted: claim.unlisted, channel: slackUserID)
        let ledger = MessageLedger(connection: store.connection)
        switch SlackPost(message, slack: slack) {
        case .posted(let posted):
            try ledger.recordPosted(
                messageID: claim.messageID, channel: posted.channel, ts: posted.ts,
                fingerprint: MessageFingerprint.of(message), names: MessageLedger.ShownNames())
            outcome.counts.sent += 1
            metadata["channel"] = "\(posted.channel)"
            metadata["ts"] = "\(posted.ts)"
            logger.info("nudge_sent", metadata: metadata)
        case .failed(let failure, let decision):
            metadata["error"] = "\(failure)"
            if decision.verdict == .retryLater {
                // Tried again by a later run: its lines go back to be claimed.
                try store.connection.transaction {
                    try ledger.recordPostFailed(messageID: claim.messageID, reason: failure.description, verdict: decision.verdict)
                    try store.releaseLines(messageID: claim.messageID)
                }
            } else {
                try ledger.recordPostFailed(messageID: claim.messageID, reason: failure.description, verdict: decision.verdict)
            }
            outcome.counts.countFailure(decision.verdict)
            logger.postFailed(unknown: "nudge_outcome_unknown", failed: "nudge_failed", verdict: decision.verdict, metadata: metadata)
            if decision.stopsRun { outcome.stoppedBy = failure }
        }
    }
}
