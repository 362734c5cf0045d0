/// How a query reads what the synced `applications` say about an interview's application, as SQL
/// fragments: the candidate and job names a message shows, the candidate's profile link, the status
/// nudges go by. Reminders, fresh reminders, edits, nudges, digests and `report` all join this way, so
/// every message reads the database, never Ashby.
enum ApplicationFacts {
    /// LEFT JOINs the application `ap` of `applicationID` (an SQL expression, e.g. `s.application_id`)
    /// and its candidate's profile `cp`: a row whose application is not synced (yet, or without the
    /// permission) keeps NULL names and an unknown status.
    static func join(applicationID: String) -> String {
        """
        LEFT JOIN applications ap ON ap.application_id = \(applicationID)
        LEFT JOIN candidate_profiles cp ON cp.candidate_id = ap.candidate_id
        """
    }

    /// The names of `join`, as `MessageLedger.ShownNames(row:)` reads them.
    static let names = "ap.candidate_name, ap.job_title, cp.profile_url AS candidate_profile_url"
}
