import Foundation
import Logging
import SlackAPI

/// The edit step (issue 10): after the schedule pull, every posted reminder of an interview not yet
/// over is rendered again from today's synced facts and the names it showed; when the result differs
/// from what the DM shows (its fingerprint), the DM is replaced with `chat.update`. So a run with no
/// change makes no Slack call, and an edit costs no Ashby lookup.
///
/// Edits go oldest change first and stop when `shouldStop` says the run's budget is spent: the rest
/// keep their old fingerprint and are found again by the next run. `chat.update` is idempotent, so a
/// crash between the call and its record only means the next run edits again.
struct ReminderEditPass {
    let ledger: MessageLedger
    let slack: SlackClient
    let logger: Logger
    /// Where each edit's outcome is recorded: one that cannot be is made again by a later run.
    let records: OutcomeRecords
    /// The run's clock: interviews over at `now` are never edited.
    let now: Date
    /// A dry run prints each edit it would make (recipient, reason) and makes none.
    var dryRun = false
    var report: (String) -> Void = { _ in }
    /// Checked before each edit: true once the run's time budget is spent.
    var shouldStop: () -> Bool = { false }

    func run() throws -> ReminderEditCounts {
        var counts = ReminderEditCounts()
        let work = try ledger.editCandidates(now: now).compactMap(Self.plannedEdit)
        for (index, edit) in work.enumerated() {
            if edit.adoptOnly {
                // A reminder from before the ledger whose facts still match: take today's rendering as shown.
                if !dryRun {
                    records.record("reminder_edit", messageID: edit.candidate.messageID, ids: Self.ids(edit.candidate)) {
                        try ledger.recordShown(messageID: edit.candidate.messageID, fingerprint: edit.fingerprint, reason: edit.reason.rawValue, edited: false)
                    }
                }
                counts.adopted += 1
                continue
            }
            if shouldStop() {
                counts.pending += work[index...].filter { !$0.adoptOnly }.count
                logger.notice("reminder_edits_deferred", metadata: ["remaining": .int(counts.pending)])
                break
            }
            try apply(edit, counts: &counts)
        }
        return counts
    }

    private func apply(_ edit: PlannedEdit, counts: inout ReminderEditCounts) throws {
        let candidate = edit.candidate
        var metadata: Logger.Metadata = [
            "slack_user_id": "\(candidate.slackUserID)", "channel": "\(candidate.channel)", "ts": "\(candidate.ts)",
            "reason": "\(edit.reason.rawValue)",
        ]
        if dryRun {
            report("would edit DM to \(candidate.slackUserID) (\(edit.reason.rawValue)): \(edit.message.text)")
            counts.edited += 1
            return
        }
        do {
            _ = try slack.updateMessage(channel: candidate.channel, ts: candidate.ts, message: edit.message)
        } catch {
            metadata["error"] = "\(error)"
            let decision = SlackCallOutcome(kind: .edit, failure: error)
            records.record("reminder_edit", messageID: candidate.messageID, ids: Self.ids(candidate)) {
                try ledger.recordEditFailed(messageID: candidate.messageID, reason: edit.reason.rawValue, error: error, decision: decision)
            }
            if decision.retriesEdit { counts.pending += 1 } else { counts.failed += 1 }
            if decision.stopsRun {
                logger.error("reminder_edit_failed", metadata: metadata.merging(["retry": "true"]) { $1 })
                throw error
            }
            logger.warning("reminder_edit_failed", metadata: metadata.merging(["retry": "\(decision.retriesEdit)"]) { $1 })
            return
        }
        // Edited: if recording fails now, the next run edits again (harmless) and never posts.
        records.record("reminder_edit", messageID: candidate.messageID, ids: Self.ids(candidate)) {
            try ledger.recordShown(messageID: candidate.messageID, fingerprint: edit.fingerprint, reason: edit.reason.rawValue, edited: true)
        }
        counts.edited += 1
        logger.info("reminder_edited", metadata: metadata)
    }

    /// Which DM a `record_failed` line is about.
    private static func ids(_ candidate: MessageLedger.EditCandidate) -> Logger.Metadata {
        ["slack_user_id": "\(candidate.slackUserID)", "channel": "\(candidate.channel)", "ts": "\(candidate.ts)"]
    }

    // MARK: What to edit

    /// Why a DM is edited.
    enum Reason: String, Sendable {
        /// Time, duration, title, location, meeting link, instructions, panel or scorecard changed.
        case changed
        /// The start moved from the one the DM announced.
        case rescheduled
        case cancelled
        /// The event left its schedule.
        case eventRemoved = "event_removed"
        case interviewerRemoved = "interviewer_removed"
        /// The reader's scorecard came in (issue 11): the DM says so and loses its feedback link.
        case feedbackSubmitted = "feedback_submitted"
    }

    struct PlannedEdit {
        var candidate: MessageLedger.EditCandidate
        var message: SlackMessage
        var fingerprint: String
        var reason: Reason
        /// A reminder from before version 5 (fingerprint unknown) whose facts still match: record, don't edit.
        var adoptOnly: Bool
    }

    /// The edit one ledger row needs, or nil when its DM already shows the truth.
    ///
    /// The rule for reminders from before version 5 (fingerprint NULL): while the interview is still
    /// on, at the start the DM announced, with this reader on the panel, today's rendering is adopted
    /// as what it shows (no call); otherwise it is edited. Later changes are then found by fingerprint.
    static func plannedEdit(_ candidate: MessageLedger.EditCandidate) -> PlannedEdit? {
        let reminder = reminder(for: candidate)
        let message = ReminderMessage.make(reminder, channel: candidate.channel)
        let fingerprint = MessageFingerprint.of(message)
        guard fingerprint != candidate.fingerprint else { return nil }
        let reason: Reason =
            candidate.eventRemoved ? .eventRemoved
            : candidate.scheduleCancelled ? .cancelled
            : !candidate.interviewerOnPanel ? .interviewerRemoved
            : candidate.feedbackSubmitted ? .feedbackSubmitted
            : reminder.previousStartTime != nil ? .rescheduled : .changed
        let adoptOnly = candidate.fingerprint == nil && reason == .changed
        return PlannedEdit(candidate: candidate, message: message, fingerprint: fingerprint, reason: reason, adoptOnly: adoptOnly)
    }

    /// What the DM should say today.
    static func reminder(for candidate: MessageLedger.EditCandidate) -> InterviewReminder {
        let standing: InterviewReminder.Standing =
            candidate.eventRemoved || candidate.scheduleCancelled ? .cancelled
            : !candidate.interviewerOnPanel ? .interviewerRemoved
            : candidate.feedbackSubmitted ? .feedbackSubmitted : .upcoming
        let moved = candidate.announcedStartTime.flatMap { $0 == candidate.interview.startTime ? nil : $0 }
        return InterviewReminder(
            candidate.interview, names: candidate.names, panel: candidate.panel, standing: standing, previousStartTime: moved)
    }
}

/// What the edit step did in one run.
public struct ReminderEditCounts: Sendable, Codable, Equatable {
    /// DMs replaced with `chat.update` (in a dry run: that would be).
    public var edited = 0
    /// Edits that failed for good (message gone, edit window closed…): recorded, never retried.
    public var failed = 0
    /// Edits left for a later run: failed temporarily, or beyond this run's time budget.
    public var pending = 0
    /// Reminders from before the ledger whose facts still match, taken as shown without a call.
    public var adopted = 0

    public init() {}

    public mutating func add(_ other: ReminderEditCounts) {
        edited += other.edited
        failed += other.failed
        pending += other.pending
        adopted += other.adopted
    }
}
