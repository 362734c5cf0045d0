import Foundation
import Postgres
import SlackAPI

/// `slack_messages`: one row per Slack message the job posts (kind `reminder` today), with where it
/// is (`channel_id`, `message_ts`), what it told the reader (announced start, content fingerprint,
/// the names it showed) and how its post and its last edit went.
///
/// A post is claimed here before it is sent: the unique (event, interviewer, announced start) of a
/// reminder means two runs, or a run after a crash, never post the same reminder twice.
struct MessageLedger {
    /// The names a reminder shows (from the synced `applications`), kept with its row: an edit shows
    /// what the DM showed, so a rename in Ashby edits no DM.
    struct ShownNames: Sendable, Equatable {
        var candidateName: String?
        var jobTitle: String?
        var candidateProfileURL: String?

        init(candidateName: String? = nil, jobTitle: String? = nil, candidateProfileURL: String? = nil) {
            self.candidateName = candidateName
            self.jobTitle = jobTitle
            self.candidateProfileURL = candidateProfileURL
        }

        /// The names of a row that selected `candidate_name`, `job_title` and `candidate_profile_url`
        /// (`ApplicationFacts.names`).
        init(row: PostgresRow) throws {
            candidateName = try row["candidate_name"].decode(String?.self)
            jobTitle = try row["job_title"].decode(String?.self)
            candidateProfileURL = try row["candidate_profile_url"].decode(String?.self)
        }
    }

    /// Who else is on an event's panel and what the interview's scorecard asks.
    struct PanelFacts: Sendable, Equatable {
        var otherInterviewers: [String] = []
        var scorecardQuestions: [String] = []

        /// What a query selects for them (`others`, `definition`): for the reader `interviewer` (an SQL
        /// expression) of event `e`, whose interview's form is joined as `f` (`formJoin`).
        static func columns(interviewer: String) -> String {
            """
            (SELECT coalesce(jsonb_agg(o.name ORDER BY o.name, o.interviewer_id), '[]'::jsonb)::text
             FROM (SELECT x.interviewer_id,
                          nullif(btrim(coalesce(x.first_name, '') || ' ' || coalesce(x.last_name, '')), '') AS name
                   FROM interview_assignments x
                   WHERE x.event_id = e.event_id AND x.interviewer_id <> \(interviewer)) o
             WHERE o.name IS NOT NULL) AS others,
            f.definition::text AS definition
            """
        }

        /// The join `columns` reads the scorecard from, after interviews `i`.
        static let formJoin = "LEFT JOIN feedback_form_definitions f ON f.form_definition_id = i.feedback_form_definition_id"

        /// The facts of a row that selected `columns`.
        init(row: PostgresRow) throws {
            otherInterviewers = (try? JSONDecoder().decode([String].self, from: Data(try row["others"].decode(String.self).utf8))) ?? []
            scorecardQuestions = ScorecardQuestions.lines(fromDefinition: try row["definition"].decode(String?.self))
        }

        init(otherInterviewers: [String] = [], scorecardQuestions: [String] = []) {
            self.otherInterviewers = otherInterviewers
            self.scorecardQuestions = scorecardQuestions
        }
    }

    /// A posted reminder of an interview not yet over, with today's facts of that interview.
    struct EditCandidate: Sendable {
        var messageID: Int64
        var slackUserID: String
        var channel: String
        var ts: String
        var announcedStartTime: Date?
        /// What the DM shows now; nil for reminders sent before the ledger existed (version 5).
        var fingerprint: String?
        var names: ShownNames
        var interview: InterviewFacts
        var scheduleCancelled: Bool
        var eventRemoved: Bool
        var interviewerOnPanel: Bool
        /// The reader's scorecard is in (`FeedbackRules.submitted`): the DM is marked submitted.
        var feedbackSubmitted = false
        var panel: PanelFacts
    }

    let connection: PostgresConnection

    // MARK: Posting

    /// Claims the reminder announcing `announcedStart` for this pair; returns its row, or nil when
    /// another run holds it or it was already posted (or its outcome is unknown). A row whose post
    /// failed temporarily is claimed again.
    /// - Parameter takeOver: the caller already won the pair's `feedback_reminders_sent` claim (the
    ///   authority for a first reminder, which ops may release by hand): any row not yet posted is taken.
    /// Only an interview that has not started at `now` is claimed, so a stale due list never posts late.
    func claimReminder(
        eventID: String, interviewerID: String, slackUserID: String, announcedStart: Date, runID: UUID, now: Date,
        takeOver: Bool = false
    ) throws -> Int64? {
        try connection.query(SQL.claimReminder, [eventID, interviewerID, slackUserID, announcedStart, runID, takeOver, now])
            .rows.first?[0].decode(Int64.self)
    }

    func recordPosted(messageID: Int64, channel: String, ts: String, fingerprint: String, names: ShownNames) throws {
        try connection.execute(SQL.recordPosted, [
            messageID, channel, ts, fingerprint, names.candidateName, names.jobTitle, names.candidateProfileURL,
        ])
    }

    /// A post that failed, as its verdict says: `retryLater` may be claimed again, `never` not, and
    /// `unknown` (it may have reached Slack; a failure is never `sent`) is never resent.
    func recordPostFailed(messageID: Int64, reason: String, verdict: SlackCallOutcome.Verdict) throws {
        let unknown = verdict == .unknown || verdict == .sent
        try connection.execute(SQL.recordPostFailed, [messageID, unknown ? "unknown" : "failed", reason, verdict == .retryLater])
    }

    /// Pairs reminded once whose event has since moved by more than `moveThreshold` from the start
    /// their last posted reminder announced, now starting inside (`windowStart`, `windowEnd`] in a
    /// schedule whose events take place (`ScheduleRules.takesPlace`), and
    /// with no reminder for the new start claimed, posted or unknown: each is due one fresh DM.
    func dueAgain(windowStart: Date, windowEnd: Date, moveThreshold: TimeInterval) throws -> [ReminderStore.Due] {
        try connection.query(SQL.dueAgain, [windowStart, windowEnd, moveThreshold]).rows.map {
            try ReminderStore.Due(row: $0, isRepeat: true)
        }
    }


    // MARK: Edits

    /// Every posted reminder of an interview not over at `now` (or over within 14 days, with the
    /// reader's scorecard in since, not yet marked so) whose last edit did not fail for good,
    /// oldest change first (the later of the event's, schedule's and interview's updates).
    func editCandidates(now: Date) throws -> [EditCandidate] {
        try connection.query(SQL.editCandidates, [now]).rows.map { row in
            EditCandidate(
                messageID: try row["message_id"].decode(Int64.self),
                slackUserID: try row["slack_user_id"].decode(String.self),
                channel: try row["channel_id"].decode(String.self),
                ts: try row["message_ts"].decode(String.self),
                announcedStartTime: try row["announced_start_time"].decode(Date?.self),
                fingerprint: try row["fingerprint"].decode(String?.self),
                names: try ShownNames(row: row),
                interview: try InterviewFacts(row: row),
                scheduleCancelled: try row["cancelled"].decode(Bool.self),
                eventRemoved: try row["removed"].decode(Bool.self),
                interviewerOnPanel: try row["on_panel"].decode(Bool.self),
                feedbackSubmitted: try row["submitted"].decode(Bool.self),
                panel: try PanelFacts(row: row)
            )
        }
    }

    /// The DM now shows `fingerprint`: edited by this run with `reason`, or (`edited` false) adopted without
    /// a call (a reminder from before version 5 whose facts still match).
    func recordShown(messageID: Int64, fingerprint: String, reason: String, edited: Bool) throws {
        if edited {
            try connection.execute(SQL.recordEdited, [messageID, fingerprint, reason])
        } else {
            try connection.execute(SQL.recordAdopted, [messageID, fingerprint])
        }
    }

    /// An edit that failed with `error`, recorded as the decision table decided it (`SlackCallOutcome`,
    /// kind `.edit`): `pending`, so a later run tries again, for anything but `never`, since an edit
    /// repeats safely; `failed`: never.
    func recordEditFailed(messageID: Int64, reason: String, error: SlackError, decision: SlackCallOutcome) throws {
        try connection.execute(SQL.recordEditProblem, [messageID, decision.retriesEdit ? "pending" : "failed", reason, error.description])
    }

    /// DMs by the state of their last edit attempted since `since` (for `status`: edited, pending, failed).
    func editStates(since: Date) throws -> [String: Int] {
        var states: [String: Int] = [:]
        for row in try connection.query(SQL.editStates, [since]).rows {
            states[try row["edit_state"].decode(String.self)] = try row["n"].decode(Int.self)
        }
        return states
    }


    private enum SQL {
        static let claimReminder = """
            INSERT INTO slack_messages AS m
                (kind, event_id, interviewer_id, slack_user_id, announced_start_time, post_state, claimed_at, claimed_by_run)
            SELECT 'reminder', e.event_id, $2::uuid, $3, $4::timestamptz, 'claimed', $7::timestamptz, $5::uuid
            FROM interview_events e
            WHERE e.event_id = $1::uuid AND e.start_time > $7::timestamptz AND e.removed_at IS NULL
            ON CONFLICT (event_id, interviewer_id, announced_start_time) WHERE kind = 'reminder' DO UPDATE SET
                post_state = 'claimed', slack_user_id = EXCLUDED.slack_user_id, claimed_at = EXCLUDED.claimed_at,
                claimed_by_run = EXCLUDED.claimed_by_run, post_failure_reason = NULL, post_failure_temporary = NULL
            WHERE (m.post_state = 'failed' AND m.post_failure_temporary) OR ($6 AND m.post_state <> 'posted')
            RETURNING message_id
            """
        static let recordPosted = """
            UPDATE slack_messages SET post_state = 'posted', channel_id = $2, message_ts = $3, fingerprint = $4,
                candidate_name = $5, job_title = $6, candidate_profile_url = $7, posted_at = now(),
                post_failure_reason = NULL, post_failure_temporary = NULL
            WHERE message_id = $1
            """
        static let recordPostFailed = """
            UPDATE slack_messages SET post_state = $2, post_failure_reason = $3, post_failure_temporary = $4
            WHERE message_id = $1
            """
        static let dueAgain = """
            SELECT \(ReminderStore.Due.columns)
            FROM interview_events e
            JOIN interview_schedules s ON s.schedule_id = e.schedule_id AND \(ScheduleRules.takesPlace)
            JOIN interview_assignments a ON a.event_id = e.event_id
            JOIN slack_users u ON u.email = lower(a.email) AND NOT u.deleted AND NOT u.is_bot
            JOIN feedback_reminders_sent r ON r.event_id = e.event_id AND r.interviewer_id = a.interviewer_id AND r.status = 'sent'
            JOIN LATERAL (
                SELECT m.announced_start_time FROM slack_messages m
                WHERE m.kind = 'reminder' AND m.event_id = e.event_id AND m.interviewer_id = a.interviewer_id
                  AND m.post_state = 'posted'
                ORDER BY m.posted_at DESC, m.message_id DESC LIMIT 1
            ) last ON true
            LEFT JOIN interviews i ON i.interview_id = e.interview_id
            \(PanelFacts.formJoin)
            \(ApplicationFacts.join(applicationID: "s.application_id"))
            WHERE e.start_time > $1 AND e.start_time <= $2 AND e.removed_at IS NULL
              AND abs(extract(epoch FROM e.start_time - last.announced_start_time)) > $3
              AND NOT EXISTS (
                SELECT 1 FROM slack_messages c
                WHERE c.kind = 'reminder' AND c.event_id = e.event_id AND c.interviewer_id = a.interviewer_id
                  AND c.announced_start_time = e.start_time AND NOT (c.post_state = 'failed' AND c.post_failure_temporary))
            ORDER BY e.start_time, e.event_id, a.interviewer_id
            """
        static let editCandidates = """
            SELECT m.message_id, m.slack_user_id, m.channel_id, m.message_ts, m.announced_start_time, m.fingerprint,
                   -- The names the DM showed; those it lacked (its application not synced then, or the
                   -- permission missing) as the applications say now.
                   coalesce(m.candidate_name, ap.candidate_name) AS candidate_name,
                   coalesce(m.job_title, ap.job_title) AS job_title,
                   coalesce(m.candidate_profile_url, cp.profile_url) AS candidate_profile_url,
                   \(InterviewFacts.columns),
                   \(ScheduleRules.isCancelled) AS cancelled, e.removed_at IS NOT NULL AS removed,
                   EXISTS (SELECT 1 FROM interview_assignments x
                           WHERE x.event_id = m.event_id AND x.interviewer_id = m.interviewer_id) AS on_panel,
                   \(FeedbackRules.submitted(event: "m.event_id", interviewer: "m.interviewer_id")) AS submitted,
                   \(PanelFacts.columns(interviewer: "m.interviewer_id"))
            FROM slack_messages m
            JOIN interview_events e ON e.event_id = m.event_id
            JOIN interview_schedules s ON s.schedule_id = e.schedule_id
            LEFT JOIN interviews i ON i.interview_id = e.interview_id
            \(PanelFacts.formJoin)
            \(ApplicationFacts.join(applicationID: "s.application_id"))
            WHERE m.kind = 'reminder' AND m.post_state = 'posted' AND m.channel_id IS NOT NULL AND m.message_ts IS NOT NULL
              AND m.edit_state IS DISTINCT FROM 'failed'
              AND (e.end_time > $1
                   -- Over, and the scorecard came in since: marked submitted once (recent interviews only,
                   -- so an upgrade never edits old DMs).
                   OR (e.end_time > $1::timestamptz - interval '14 days' AND m.edit_reason IS DISTINCT FROM 'feedback_submitted'
                       AND \(FeedbackRules.submitted(event: "m.event_id", interviewer: "m.interviewer_id"))))
            ORDER BY greatest(e.updated_at, s.updated_at, coalesce(i.updated_at, e.updated_at), m.posted_at), m.message_id
            """
        static let recordEdited = """
            UPDATE slack_messages SET fingerprint = $2, edit_state = 'edited', edit_reason = $3, edit_error = NULL,
                edit_attempts = edit_attempts + 1, last_edit_attempt_at = now(), edited_at = now()
            WHERE message_id = $1
            """
        static let recordAdopted = """
            UPDATE slack_messages SET fingerprint = $2 WHERE message_id = $1
            """
        static let editStates = """
            SELECT edit_state, count(*)::int AS n FROM slack_messages
            WHERE edit_state IS NOT NULL AND last_edit_attempt_at >= $1 GROUP BY edit_state
            """
        static let recordEditProblem = """
            UPDATE slack_messages SET edit_state = $2, edit_reason = $3, edit_error = $4,
                edit_attempts = edit_attempts + 1, last_edit_attempt_at = now()
            WHERE message_id = $1
            """
    }
}
