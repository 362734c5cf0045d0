/// The job's one definition, as SQL fragments, of which (event, interviewer) pairs owe feedback and
/// when that feedback is in. Nudges, digests, reminder edits, `status` and `report` all use these, so
/// they never disagree about whose scorecard is missing.
enum FeedbackRules {
    /// Every (event, interviewer) pair that needs feedback, in or not: the event is still in its
    /// schedule, the schedule's events take place (`ScheduleRules.takesPlace`), the interviewer is on the
    /// panel and the assignment `needsFeedback`. A derived table for a FROM clause (give it an alias),
    /// one row per pair, with the columns `event_id`, `interviewer_id`, `end_time`, `feedback_link`,
    /// `title` and `job_id` (the interview's), `application_id`, `candidate_id`, `scheduled_by_email`,
    /// `email`, `interviewer_name`, `submitted` (`submitted(…)`) and `submitted_at` (`firstSubmittedAt(…)`).
    /// PostgreSQL flattens it into the query, so what the caller filters on (`end_time`) stays indexed.
    /// - Parameter asOf: as in `submitted`.
    static func neededPairs(asOf: String? = nil) -> String {
        """
        (SELECT e.event_id, a.interviewer_id, e.end_time, e.feedback_link, i.title, i.job_id,
                s.application_id, s.candidate_id, s.scheduled_by_email, a.email,
                nullif(btrim(coalesce(a.first_name, '') || ' ' || coalesce(a.last_name, '')), '') AS interviewer_name,
                \(submitted(event: "e.event_id", interviewer: "a.interviewer_id", asOf: asOf)) AS submitted,
                \(firstSubmittedAt(event: "e.event_id", interviewer: "a.interviewer_id", asOf: asOf)) AS submitted_at
         FROM interview_events e
         JOIN interview_schedules s ON s.schedule_id = e.schedule_id AND \(ScheduleRules.takesPlace)
         JOIN interview_assignments a ON a.event_id = e.event_id
         LEFT JOIN interviews i ON i.interview_id = e.interview_id
         WHERE e.removed_at IS NULL AND \(needsFeedback))
        """
    }

    /// The pairs of `neededPairs` whose feedback is not in (as of `asOf`): the scorecards owed. A derived
    /// table for a FROM clause, with the same columns.
    static func owedPairs(asOf: String? = nil) -> String {
        "(SELECT * FROM \(neededPairs(asOf: asOf)) needed WHERE NOT needed.submitted)"
    }

    /// True when the interviewer's feedback for the event is in: a submission that counts for the pair
    /// (`submissions`), or Ashby's event-level flag on an event with a single interviewer (the flag turns
    /// true after the first scorecard, so on a panel it says nothing about the others).
    /// - Parameters:
    ///   - event, interviewer: SQL expressions for the pair's ids.
    ///   - asOf: a SQL expression for a time; submissions made after it do not count yet (the report
    ///     and digests judge at the run's clock). Nil counts every stored submission.
    static func submitted(event: String, interviewer: String, asOf: String? = nil) -> String {
        """
        (EXISTS (SELECT 1 FROM \(submissions(event: event, interviewer: interviewer, asOf: asOf)) fs)
         OR EXISTS (SELECT 1 FROM interview_events fe
                    WHERE fe.event_id = \(event) AND fe.has_submitted_feedback
                      AND (SELECT count(*) FROM interview_assignments fa WHERE fa.event_id = fe.event_id) = 1))
        """
    }

    /// When the interviewer's first submission that counts for the event was made (NULL: none, or
    /// Ashby gave no time); the event-level flag has no time. Arguments as in `submitted`.
    static func firstSubmittedAt(event: String, interviewer: String, asOf: String? = nil) -> String {
        "(SELECT min(fs.submitted_at) FROM \(submissions(event: event, interviewer: interviewer, asOf: asOf)) fs)"
    }

    /// True when the submission `fs`, given without its event (`applicationFeedback.list` items may lack
    /// `interviewEventId`), counts for the event `fe` of the schedule `fsch`: same application, same
    /// interview, and not submitted before that event started. The interviewer is matched by the caller.
    ///
    /// Matched when read, never resolved when written: a scorecard can arrive before its event is stored
    /// and still counts once the event is. An application with two events of one interview for the same
    /// interviewer (a redo) is told apart by time: a scorecard submitted between the first and the redo
    /// counts for the first only; one submitted after both counts for both (nothing says which it was,
    /// and nudging someone who has just submitted is worse than missing the redo's second scorecard).
    static let countsWithoutEvent = """
        fs.event_id IS NULL AND fs.application_id = fsch.application_id AND fs.interview_id = fe.interview_id
        AND (fs.submitted_at IS NULL OR fs.submitted_at >= fe.start_time)
        """

    /// The `submitted_at` of every stored submission that counts for the pair, as a derived table: those
    /// naming the event, and those without an event that `countsWithoutEvent` matches to it. Both
    /// branches are index lookups (by event and interviewer; by application, interview and interviewer).
    private static func submissions(event: String, interviewer: String, asOf: String?) -> String {
        let inTime = asOf.map { " AND (fs.submitted_at IS NULL OR fs.submitted_at <= \($0)::timestamptz)" } ?? ""
        return """
            (SELECT fs.submitted_at FROM feedback_submissions fs
             WHERE fs.event_id = \(event) AND fs.interviewer_id = \(interviewer)\(inTime)
             UNION ALL
             SELECT fs.submitted_at FROM interview_events fe
             JOIN interview_schedules fsch ON fsch.schedule_id = fe.schedule_id
             JOIN feedback_submissions fs ON fs.interviewer_id = \(interviewer) AND \(countsWithoutEvent)
             WHERE fe.event_id = \(event)\(inTime))
            """
    }

    /// True when the assignment `a` on the interview `i` (left-joined: may be NULL) needs feedback at
    /// all: `isFeedbackRequired` (true when absent) and not a debrief.
    static let needsFeedback = "a.is_feedback_required IS DISTINCT FROM false AND i.is_debrief IS DISTINCT FROM true"
}
