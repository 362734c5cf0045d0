import Foundation
import Postgres

/// Reads and writes interview schedules, events and assignments, a page at a time, with one
/// set-based statement per table (arrays bound as binary parameters and expanded with `unnest`).
struct ScheduleStore {
    let connection: PostgresConnection

    private typealias Binary = PostgresBinaryArray

    /// What is stored for the given schedules, and for events the page mentions (an event can move
    /// between schedules). Call inside the page's transaction.
    ///
    /// Every lookup is by an indexed key for one page of ids, so index scans are always the right plan.
    /// The planner cannot know that for tables that grew within this run (no statistics yet, as in a
    /// first backfill): it assumes each of a page's ids matches 0.5 % of the rows and scans the whole
    /// table for every page, which makes a backfill quadratic. Sequential scans are therefore disabled
    /// for the rest of the transaction.
    ///
    /// The three reads do not depend on one another, so they go out together (with the transaction's
    /// BEGIN and the setting): one round trip in pipeline mode.
    func stored(scheduleIDs: [String], eventIDs: [String]) throws -> ScheduleDiff.Stored {
        // A page without rows (an unchanged tenant's incremental pass) has nothing stored to read.
        guard !scheduleIDs.isEmpty || !eventIDs.isEmpty else { return ScheduleDiff.Stored() }
        let schedules = try Binary.uuids(scheduleIDs)
        let events = try Binary.uuids(eventIDs)
        try connection.enqueue(SQL.preferIndexScans)
        let results = try connection.queryAll([
            (SQL.selectSchedules, [schedules]), (SQL.selectEvents, [schedules, events]),
            (SQL.selectAssignments, [schedules, events]),
        ])
        var stored = ScheduleDiff.Stored()
        for row in results[0].rows {
            let schedule = ScheduleRow(
                scheduleID: try row["schedule_id"].decode(String.self),
                applicationID: try row["application_id"].decode(String?.self),
                interviewStageID: try row["interview_stage_id"].decode(String?.self),
                status: try row["status"].decode(String.self),
                candidateID: try row["candidate_id"].decode(String?.self),
                ashbyCreatedAt: try row["ashby_created_at"].decode(Date?.self)?.roundedToMilliseconds,
                ashbyUpdatedAt: try row["ashby_updated_at"].decode(Date?.self)?.roundedToMilliseconds,
                scheduledBy: try row["scheduled_by_id"].decode(String?.self).map { id in
                    SchedulerRow(
                        userID: id, email: try row["scheduled_by_email"].decode(String?.self),
                        name: try row["scheduled_by_name"].decode(String?.self))
                }
            )
            stored.schedules[schedule.scheduleID] = schedule
        }
        for row in results[1].rows {
            let event = EventRow(
                eventID: try row["event_id"].decode(String.self),
                scheduleID: try row["schedule_id"].decode(String.self),
                interviewID: try row["interview_id"].decode(String?.self),
                startTime: try row["start_time"].decode(Date.self).roundedToMilliseconds,
                endTime: try row["end_time"].decode(Date.self).roundedToMilliseconds,
                feedbackLink: try row["feedback_link"].decode(String?.self),
                location: try row["location"].decode(String?.self),
                meetingLink: try row["meeting_link"].decode(String?.self),
                hasSubmittedFeedback: try row["has_submitted_feedback"].decode(Bool.self),
                ashbyCreatedAt: try row["ashby_created_at"].decode(Date?.self)?.roundedToMilliseconds,
                ashbyUpdatedAt: try row["ashby_updated_at"].decode(Date?.self)?.roundedToMilliseconds,
                isRemoved: try row["removed"].decode(Bool.self)
            )
            stored.events[event.eventID] = event
        }
        for row in results[2].rows {
            let assignment = AssignmentRow(
                eventID: try row["event_id"].decode(String.self),
                interviewerID: try row["interviewer_id"].decode(String.self),
                email: try row["email"].decode(String?.self),
                firstName: try row["first_name"].decode(String?.self),
                lastName: try row["last_name"].decode(String?.self),
                trainingRole: try row["training_role"].decode(String?.self),
                isFeedbackRequired: try row["is_feedback_required"].decode(Bool?.self)
            )
            stored.assignments[assignment.key] = assignment
        }
        return stored
    }

    /// Writes a diff. Call inside a transaction: removals first, then parents before children. The
    /// statements are queued and go out with the page's COMMIT (one round trip in pipeline mode).
    func apply(_ diff: ScheduleDiff) throws {
        if !diff.assignmentsToDelete.isEmpty {
            try connection.enqueue(SQL.deleteAssignments, [
                try Binary.uuids(diff.assignmentsToDelete.map(\.eventID)), try Binary.uuids(diff.assignmentsToDelete.map(\.interviewerID)),
            ])
        }
        if !diff.eventsToRemove.isEmpty {
            try connection.enqueue(SQL.removeEvents, [try Binary.uuids(diff.eventsToRemove), try Binary.uuids(diff.scheduleIDs)])
        }
        try write(diff.scheduleWrites, insert: SQL.insertSchedules, upsert: SQL.upsertSchedules) { rows in
            [
                try Binary.uuids(rows.map(\.scheduleID)), try Binary.uuids(rows.map(\.applicationID)), try Binary.uuids(rows.map(\.interviewStageID)),
                Binary.texts(rows.map(\.status)), try Binary.uuids(rows.map(\.candidateID)),
                Binary.timestamps(rows.map(\.ashbyCreatedAt)), Binary.timestamps(rows.map(\.ashbyUpdatedAt)),
                try Binary.uuids(rows.map(\.scheduledBy?.userID)), Binary.texts(rows.map(\.scheduledBy?.email)),
                Binary.texts(rows.map(\.scheduledBy?.name)),
            ]
        }
        try write(diff.eventWrites, insert: SQL.insertEvents, upsert: SQL.upsertEvents) { rows in
            [
                try Binary.uuids(rows.map(\.eventID)), try Binary.uuids(rows.map(\.scheduleID)), try Binary.uuids(rows.map(\.interviewID)),
                Binary.timestamps(rows.map(\.startTime)), Binary.timestamps(rows.map(\.endTime)), Binary.texts(rows.map(\.feedbackLink)),
                Binary.texts(rows.map(\.location)), Binary.texts(rows.map(\.meetingLink)), Binary.booleans(rows.map(\.hasSubmittedFeedback)),
                Binary.timestamps(rows.map(\.ashbyCreatedAt)), Binary.timestamps(rows.map(\.ashbyUpdatedAt)),
            ]
        }
        try write(diff.assignmentWrites, insert: SQL.insertAssignments, upsert: SQL.upsertAssignments) { rows in
            [
                try Binary.uuids(rows.map(\.eventID)), try Binary.uuids(rows.map(\.interviewerID)), Binary.texts(rows.map(\.email)),
                Binary.texts(rows.map(\.firstName)), Binary.texts(rows.map(\.lastName)), Binary.texts(rows.map(\.trainingRole)),
                Binary.booleans(rows.map(\.isFeedbackRequired)),
            ]
        }
        if !diff.eventsWithSubmittedFeedback.isEmpty {
            try connection.enqueue(SQL.markFeedbackSubmitted, [try Binary.uuids(diff.eventsWithSubmittedFeedback)])
        }
    }

    /// Queues new rows with a plain INSERT and changed ones with an upsert. The page's stored rows were
    /// read in the same transaction, under the run's advisory lock, so a new row has no stored twin; a
    /// writer that got past the lock anyway makes the page fail on the unique key, and a later run writes it.
    private func write<Row>(
        _ writes: RowWrites<Row>, insert: String, upsert: String, parameters: ([Row]) throws -> [PostgresBindable?]
    ) throws {
        if !writes.new.isEmpty { try connection.enqueue(insert, parameters(writes.new)) }
        if !writes.changed.isEmpty { try connection.enqueue(upsert, parameters(writes.changed)) }
    }

    /// Marks the reminders of the (event, interviewer) pairs these submissions count for (by their
    /// submitter) as submitted, at the submission's time. Call inside the page's transaction. A
    /// submission stored before its event needs no second look: a reminder is claimed before its
    /// event starts, and the scorecard comes after it.
    func markFeedbackSubmitted(feedbackIDs: [String]) throws {
        guard !feedbackIDs.isEmpty else { return }
        try connection.execute(SQL.markSubmittedBySubmission, [feedbackIDs])
    }

    /// Interview ids among `ids` that have no row yet (events reference them by foreign key).
    func unknownInterviews(_ ids: Set<String>) throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let known = try connection.query(SQL.selectKnownInterviews, [Array(ids)]).rows.map { try $0[0].decode(String.self) }
        return ids.subtracting(known)
    }

    private enum SQL {
        static let preferIndexScans = "SET LOCAL enable_seqscan = off"
        static let selectSchedules = """
            SELECT schedule_id::text, application_id::text, interview_stage_id::text, status, candidate_id::text,
                   ashby_created_at, ashby_updated_at, scheduled_by_id::text, scheduled_by_email, scheduled_by_name
            FROM interview_schedules WHERE schedule_id = ANY($1::uuid[])
            """
        static let selectEvents = """
            SELECT event_id::text, schedule_id::text, interview_id::text, start_time, end_time, feedback_link,
                   location, meeting_link, has_submitted_feedback, ashby_created_at, ashby_updated_at,
                   removed_at IS NOT NULL AS removed
            FROM interview_events WHERE schedule_id = ANY($1::uuid[]) OR event_id = ANY($2::uuid[])
            """
        static let selectAssignments = """
            SELECT event_id::text, interviewer_id::text, email, first_name, last_name, training_role, is_feedback_required
            FROM interview_assignments WHERE event_id IN (
                SELECT event_id FROM interview_events WHERE schedule_id = ANY($1::uuid[]) OR event_id = ANY($2::uuid[]))
            """
        static let selectKnownInterviews = "SELECT interview_id::text FROM interviews WHERE interview_id = ANY($1::uuid[])"
        static let deleteAssignments = """
            DELETE FROM interview_assignments a USING unnest($1::uuid[], $2::uuid[]) AS gone(event_id, interviewer_id)
            WHERE a.event_id = gone.event_id AND a.interviewer_id = gone.interviewer_id
            """
        /// Only while the event still belongs to one of the page's schedules: the page before, written at
        /// the same time, may have moved it to one of its own since this page read it (the row is then
        /// re-checked after that page's commit, and left alone).
        static let removeEvents = """
            UPDATE interview_events SET removed_at = now(), updated_at = now()
            WHERE event_id = ANY($1::uuid[]) AND removed_at IS NULL AND schedule_id = ANY($2::uuid[])
            """
        static let insertSchedules = """
            INSERT INTO interview_schedules
                (schedule_id, application_id, interview_stage_id, status, candidate_id, ashby_created_at, ashby_updated_at,
                 scheduled_by_id, scheduled_by_email, scheduled_by_name)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::timestamptz[], $7::timestamptz[],
                                 $8::uuid[], $9::text[], $10::text[])
            """
        static let upsertSchedules = insertSchedules + """

            ON CONFLICT (schedule_id) DO UPDATE SET
                application_id = EXCLUDED.application_id, interview_stage_id = EXCLUDED.interview_stage_id,
                status = EXCLUDED.status, candidate_id = EXCLUDED.candidate_id,
                ashby_created_at = EXCLUDED.ashby_created_at, ashby_updated_at = EXCLUDED.ashby_updated_at,
                scheduled_by_id = EXCLUDED.scheduled_by_id, scheduled_by_email = EXCLUDED.scheduled_by_email,
                scheduled_by_name = EXCLUDED.scheduled_by_name, updated_at = now()
            """
        static let insertEvents = """
            INSERT INTO interview_events
                (event_id, schedule_id, interview_id, start_time, end_time, feedback_link, location, meeting_link,
                 has_submitted_feedback, ashby_created_at, ashby_updated_at)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::timestamptz[], $6::text[],
                                 $7::text[], $8::text[], $9::boolean[], $10::timestamptz[], $11::timestamptz[])
            """
        static let upsertEvents = insertEvents + """

            ON CONFLICT (event_id) DO UPDATE SET
                schedule_id = EXCLUDED.schedule_id, interview_id = EXCLUDED.interview_id,
                start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time, feedback_link = EXCLUDED.feedback_link,
                location = EXCLUDED.location, meeting_link = EXCLUDED.meeting_link,
                has_submitted_feedback = EXCLUDED.has_submitted_feedback,
                ashby_created_at = EXCLUDED.ashby_created_at, ashby_updated_at = EXCLUDED.ashby_updated_at,
                removed_at = NULL, updated_at = now()
            """
        static let insertAssignments = """
            INSERT INTO interview_assignments
                (event_id, interviewer_id, email, first_name, last_name, training_role, is_feedback_required)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[])
            """
        static let upsertAssignments = insertAssignments + """

            ON CONFLICT (event_id, interviewer_id) DO UPDATE SET
                email = EXCLUDED.email, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
                training_role = EXCLUDED.training_role, is_feedback_required = EXCLUDED.is_feedback_required,
                updated_at = now()
            """
        /// Ashby's event-level flag turns true with the first scorecard: it speaks for the
        /// interviewer only when they are the event's only one.
        static let markFeedbackSubmitted = """
            UPDATE feedback_reminders_sent r SET submitted_at = now()
            WHERE r.event_id = ANY($1::uuid[]) AND r.submitted_at IS NULL
              AND (SELECT count(*) FROM interview_assignments a WHERE a.event_id = r.event_id) = 1
            """
        /// The pairs these submissions count for: the event a submission names, or, for one without an
        /// event, each event `FeedbackRules.countsWithoutEvent` matches (found by the application's schedules).
        static let markSubmittedBySubmission = """
            UPDATE feedback_reminders_sent r SET submitted_at = coalesce(counted.submitted_at, now())
            FROM (
                SELECT fs.event_id, fs.interviewer_id, min(fs.submitted_at) AS submitted_at
                FROM feedback_submissions fs
                WHERE fs.feedback_id = ANY($1::uuid[]) AND fs.event_id IS NOT NULL
                GROUP BY fs.event_id, fs.interviewer_id
                UNION ALL
                SELECT fe.event_id, fs.interviewer_id, min(fs.submitted_at)
                FROM feedback_submissions fs
                JOIN interview_schedules fsch ON fsch.application_id = fs.application_id
                JOIN interview_events fe ON fe.schedule_id = fsch.schedule_id AND \(FeedbackRules.countsWithoutEvent)
                WHERE fs.feedback_id = ANY($1::uuid[])
                GROUP BY fe.event_id, fs.interviewer_id
            ) counted
            WHERE r.event_id = counted.event_id AND r.interviewer_id = counted.interviewer_id AND r.submitted_at IS NULL
            """
    }
}
