import Foundation
import Logging
import SlackAPI

/// Sends one nudge per recipient: claimed first (`NudgeStore.claim`, committed), then posted, then
/// its outcome recorded in the message ledger, as `SlackCallOutcome` decides it:
/// sent (channel, ts and fingerprint kept, for edits); failed temporarily (its lines released, so a
/// later run claims them again); failed for good (recorded, counted as that nudge); unknown (the DM
/// may have been posted: never resent). A crash after the claim leaves the nudge claimed, never resent;
/// so does an outcome that cannot be recorded (`OutcomeRecords`), and the next nudge goes out.
struct NudgeSender {
    let store: NudgeStore
    let slack: SlackClient
    let logger: Logger
    let runID: UUID
    let clock: RunClock
    let records: OutcomeRecords

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
            metadata["channel"] = "\(posted.channel)"
            metadata["ts"] = "\(posted.ts)"
            records.record("nudge", messageID: claim.messageID, ids: metadata) {
                try ledger.recordPosted(
                    messageID: claim.messageID, channel: posted.channel, ts: posted.ts,
                    fingerprint: MessageFingerprint.of(message), names: MessageLedger.ShownNames())
            }
            outcome.counts.sent += 1
            logger.info("nudge_sent", metadata: metadata)
        case .failed(let failure, let decision):
            records.record("nudge", messageID: claim.messageID, ids: metadata) {
                try store.connection.transaction {
                    try ledger.recordPostFailed(messageID: claim.messageID, reason: failure.description, verdict: decision.verdict)
                    // Tried again by a later run: its lines go back to be claimed.
                    if decision.verdict == .retryLater { try store.releaseLines(messageID: claim.messageID) }
                }
            }
            metadata["error"] = "\(failure)"
            outcome.counts.countFailure(decision.verdict)
            logger.postFailed(unknown: "nudge_outcome_unknown", failed: "nudge_failed", verdict: decision.verdict, metadata: metadata)
            if decision.stopsRun { outcome.stoppedBy = failure }
        }
    }
}
