/// The job's one definition, as SQL fragments, of which (event, interviewer) pairs owe feedback and
/// when that feedback is in. Nudges, digests, `status` and `report` all use these, so they never
/// disagree about whose scorecard is missing.
enum FeedbackRules {
    /// True when the interviewer's feedback for the event is in: a submission credited to them
    /// (`feedback_submissions`), or Ashby's event-level flag on an event with a single interviewer
    /// (the flag turns true after the first scorecard, so on a panel it says nothing about the others).
    /// - Parameters:
    ///   - event, interviewer: SQL expressions for the pair's ids.
    ///   - asOf: a SQL expression for a time; submissions made after it do not count yet (the report
    ///     and digests judge at the run's clock). Nil counts every stored submission.
    static func submitted(event: String, interviewer: String, asOf: String? = nil) -> String {
        let inTime = asOf.map { " AND (fs.submitted_at IS NULL OR fs.submitted_at <= \($0)::timestamptz)" } ?? ""
        return """
            (EXISTS (SELECT 1 FROM feedback_submissions fs
                     WHERE fs.event_id = \(event) AND fs.interviewer_id = \(interviewer)\(inTime))
             OR EXISTS (SELECT 1 FROM interview_events fe
                        WHERE fe.event_id = \(event) AND fe.has_submitted_feedback
                          AND (SELECT count(*) FROM interview_assignments fa WHERE fa.event_id = fe.event_id) = 1))
            """
    }

    /// True when the assignment `a` on the interview `i` (left-joined: may be NULL) needs feedback at
    /// all: `isFeedbackRequired` (true when absent) and not a debrief.
    static let needsFeedback = "a.is_feedback_required IS DISTINCT FROM false AND i.is_debrief IS DISTINCT FROM true"
}
