import Foundation
import Logging
import SlackAPI

/// Closes the loop on nudges: every posted nudge is rendered again from its ledger lines with each
/// line's scorecard marked submitted when it came in; when the result differs from what the DM
/// shows (its fingerprint), the DM is replaced with `chat.update`, so a grouped nudge marks just
/// the line that was submitted. No change → no Slack call; no Ashby lookup ever.
///
/// `chat.update` is idempotent: a timeout is retried by a later run, a message that is gone or no
/// longer editable is recorded and left alone (`SlackCallOutcome`, kind `.edit`).
struct NudgeEditPass {
    let store: NudgeStore
    let slack: SlackClient
    let logger: Logger
    /// Where each edit's outcome is recorded: one that cannot be is made again by a later run.
    let records: OutcomeRecords
    /// Nudges claimed after this instant are looked at (older ones no longer change).
    let since: Date
    var dryRun = false
    var report: (String) -> Void = { _ in }
    var shouldStop: () -> Bool = { false }

    /// A nudge whose DM no longer shows the truth, with what it should show.
    private struct PlannedEdit {
        var nudge: NudgeStore.PostedNudge
        var message: SlackMessage
        var fingerprint: String
    }

    func run() throws -> ReminderEditCounts {
        var counts = ReminderEditCounts()
        let ledger = MessageLedger(connection: store.connection)
        let work = try store.posted(since: since).compactMap { nudge -> PlannedEdit? in
            let message = NudgeMessage.make(nudge.lines, unlisted: nudge.unlistedWaiting, channel: nudge.channel)
            let fingerprint = MessageFingerprint.of(message)
            return fingerprint == nudge.fingerprint ? nil : PlannedEdit(nudge: nudge, message: message, fingerprint: fingerprint)
        }
        for (index, edit) in work.enumerated() {
            let (nudge, message, fingerprint) = (edit.nudge, edit.message, edit.fingerprint)
            if shouldStop() {
                counts.pending += work.count - index
                logger.notice("nudge_edits_deferred", metadata: ["remaining": .int(work.count - index)])
                break
            }
            var metadata: Logger.Metadata = [
                "slack_user_id": "\(nudge.slackUserID)", "channel": "\(nudge.channel)", "ts": "\(nudge.ts)",
                "reason": "feedback_submitted",
                "submitted": .int(nudge.lines.filter(\.submitted).count), "scorecards": .int(nudge.lines.count),
            ]
            if dryRun {
                report("would edit nudge to \(nudge.slackUserID) (feedback submitted): \(message.text)")
                counts.edited += 1
                continue
            }
            let ids: Logger.Metadata = ["slack_user_id": "\(nudge.slackUserID)", "channel": "\(nudge.channel)", "ts": "\(nudge.ts)"]
            do {
                _ = try slack.updateMessage(channel: nudge.channel, ts: nudge.ts, message: message)
            } catch {
                metadata["error"] = "\(error)"
                let decision = SlackCallOutcome(kind: .edit, failure: error)
                records.record("nudge_edit", messageID: nudge.messageID, ids: ids) {
                    try ledger.recordEditFailed(messageID: nudge.messageID, reason: "feedback_submitted", error: error, decision: decision)
                }
                if decision.retriesEdit { counts.pending += 1 } else { counts.failed += 1 }
                logger.warning("nudge_edit_failed", metadata: metadata.merging(["retry": "\(decision.retriesEdit)"]) { $1 })
                if decision.stopsRun { throw error }
                continue
            }
            records.record("nudge_edit", messageID: nudge.messageID, ids: ids) {
                try ledger.recordShown(messageID: nudge.messageID, fingerprint: fingerprint, reason: "feedback_submitted", edited: true)
            }
            counts.edited += 1
            logger.info("nudge_edited", metadata: metadata)
        }
        return counts
    }
}
