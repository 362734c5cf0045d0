import Foundation
import Postgres

/// `feedback_reminders_sent`: which (event, interviewer) pairs are due, claimed, sent or failed.
///
/// A reminder is claimed (committed) before its DM is sent, so a crash or a concurrent run can
/// never send it twice: a claim left behind stays `claimed` and is never resent blindly.
struct ReminderStore {
    /// Everything needed to address and write one reminder.
    struct Due: Sendable, Equatable {
        var eventID: String
        var interviewerID: String
        var slackUserID: String
        var email: String
        var interview: InterviewFacts
        /// Candidate, job and profile link from the synced applications (nil while unknown).
        var names = MessageLedger.ShownNames()
        /// The rest of the panel and the scorecard, for the DM.
        var panel = MessageLedger.PanelFacts()
        /// A fresh reminder after a real move (`MessageLedger.dueAgain`): claimed in the ledger only,
        /// since the pair's `feedback_reminders_sent` row already says `sent`.
        var isRepeat = false
    }

    let connection: PostgresConnection

    /// Pairs whose event (still in its schedule) starts inside (`windowStart`, `windowEnd`], whose schedule's
    /// events take place (`ScheduleRules.takesPlace`: not cancelled, not on hold), whose interviewer maps to
    /// an active Slack account, and that were never reminded — or whose
    /// last attempt failed temporarily, while the interview has not started.
    func due(now: Date, windowStart: Date, windowEnd: Date) throws -> [Due] {
        try connection.query(SQL.due, [now, windowStart, windowEnd]).rows.map { try Due(row: $0) }
    }

    /// Claims the given reminders for this run in one statement and returns the ones it won
    /// (another run may have claimed some in between). A claim is committed before its DM is sent.
    /// Only interviews that have not started at `now` are claimed, so a due list that went stale
    /// (a slow run) never sends a reminder late.
    func claim(_ reminders: [Due], runID: UUID, now: Date) throws -> [Due] {
        guard !reminders.isEmpty else { return [] }
        let won = try connection.query(SQL.claim, [
            reminders.map(\.eventID), reminders.map(\.interviewerID), reminders.map(\.slackUserID), runID, now,
        ]).rows.map { AssignmentKey(eventID: try $0[0].decode(String.self), interviewerID: try $0[1].decode(String.self)) }
        let wonKeys = Set(won)
        return reminders.filter { wonKeys.contains(AssignmentKey(eventID: $0.eventID, interviewerID: $0.interviewerID)) }
    }

    func markSent(_ reminder: Due, channel: String, ts: String, now: Date) throws {
        try connection.execute(SQL.markSent, [reminder.eventID, reminder.interviewerID, channel, ts, now])
    }

    /// A send that definitely failed; `temporary` ones are tried again by a later run.
    func markFailed(_ reminder: Due, reason: String, temporary: Bool) throws {
        try connection.execute(SQL.markFailed, [reminder.eventID, reminder.interviewerID, "failed", reason, temporary])
    }

    /// A send that may have reached Slack without an answer: never resent automatically.
    func markUnknown(_ reminder: Due, reason: String) throws {
        try connection.execute(SQL.markFailed, [reminder.eventID, reminder.interviewerID, "unknown", reason, false])
    }

    private enum SQL {
        static let due = """
            SELECT \(ReminderStore.Due.columns)
            FROM interview_events e
            JOIN interview_schedules s ON s.schedule_id = e.schedule_id AND \(ScheduleRules.takesPlace)
            JOIN interview_assignments a ON a.event_id = e.event_id
            JOIN slack_users u ON u.email = lower(a.email) AND NOT u.deleted AND NOT u.is_bot
            LEFT JOIN interviews i ON i.interview_id = e.interview_id
            \(MessageLedger.PanelFacts.formJoin)
            \(ApplicationFacts.join(applicationID: "s.application_id"))
            LEFT JOIN feedback_reminders_sent r ON r.event_id = e.event_id AND r.interviewer_id = a.interviewer_id
            WHERE e.start_time <= $3 AND e.removed_at IS NULL
              AND ((r.event_id IS NULL AND e.start_time > $2)
                   OR (r.status = 'failed' AND r.failure_temporary AND e.start_time > $1))
            ORDER BY e.start_time, e.event_id, a.interviewer_id
            """
        static let claim = """
            INSERT INTO feedback_reminders_sent AS r
                (event_id, interviewer_id, slack_user_id, status, claimed_at, claimed_by_run, attempts, last_attempt_at)
            SELECT c.event_id, c.interviewer_id, c.slack_user_id, 'claimed', $5::timestamptz, $4::uuid, 1, $5::timestamptz
            FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS c(event_id, interviewer_id, slack_user_id)
            JOIN interview_events e ON e.event_id = c.event_id AND e.start_time > $5::timestamptz AND e.removed_at IS NULL
            ON CONFLICT (event_id, interviewer_id) DO UPDATE SET
                status = 'claimed', slack_user_id = EXCLUDED.slack_user_id, claimed_at = EXCLUDED.claimed_at,
                claimed_by_run = EXCLUDED.claimed_by_run, attempts = r.attempts + 1, last_attempt_at = EXCLUDED.last_attempt_at
            WHERE r.status = 'failed' AND r.failure_temporary
            RETURNING event_id::text, interviewer_id::text
            """
        static let markSent = """
            UPDATE feedback_reminders_sent SET status = 'sent', slack_channel_id = $3, slack_message_ts = $4,
                sent_at = $5, failure_reason = NULL, failure_temporary = NULL
            WHERE event_id = $1 AND interviewer_id = $2
            """
        static let markFailed = """
            UPDATE feedback_reminders_sent SET status = $3, failure_reason = $4, failure_temporary = $5
            WHERE event_id = $1 AND interviewer_id = $2
            """
    }
}

extension ReminderStore.Due {
    /// What a due query selects (`ReminderStore.due`, `MessageLedger.dueAgain`), from events `e`,
    /// assignments `a`, Slack users `u`, interviews `i`, schedules `s`, the form `f` (joined with
    /// `MessageLedger.PanelFacts.formJoin`) and the application (`ApplicationFacts.join`): the panel and
    /// the names come with the reminder, not one query (or Ashby call) each.
    static let columns = """
        e.event_id::text, a.interviewer_id::text, u.slack_user_id, u.email, \(InterviewFacts.columns),
        \(ApplicationFacts.names), \(MessageLedger.PanelFacts.columns(interviewer: "a.interviewer_id"))
        """

    /// One row of a due query (`ReminderStore.due`, `MessageLedger.dueAgain`): they select `columns`.
    init(row: PostgresRow, isRepeat: Bool = false) throws {
        self.init(
            eventID: try row["event_id"].decode(String.self),
            interviewerID: try row["interviewer_id"].decode(String.self),
            slackUserID: try row["slack_user_id"].decode(String.self),
            email: try row["email"].decode(String.self),
            interview: try InterviewFacts(row: row),
            names: try MessageLedger.ShownNames(row: row),
            panel: try MessageLedger.PanelFacts(row: row),
            isRepeat: isRepeat)
    }
}
