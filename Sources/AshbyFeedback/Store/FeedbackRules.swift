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

    /// The `submitted_at` of every stored submission that counts for the pair, as a derived table: those
    /// naming the event, by its submitter (an index lookup).
    private static func submissions(event: String, interviewer: String, asOf: String?) -> String {
        let inTime = asOf.map { " AND (fs.submitted_at IS NULL OR fs.submitted_at <= \($0)::timestamptz)" } ?? ""
        return """
            (SELECT fs.submitted_at FROM feedback_submissions fs
             WHERE fs.event_id = \(event) AND fs.interviewer_id = \(interviewer)\(inTime))
            """
    }

    /// True when the assignment `a` on the interview `i` (left-joined: may be NULL) needs feedback at
    /// all: `isFeedbackRequired` (true when absent) and not a debrief.
    static let needsFeedback = "a.is_feedback_required IS DISTINCT FROM false AND i.is_debrief IS DISTINCT FROM true"
}
