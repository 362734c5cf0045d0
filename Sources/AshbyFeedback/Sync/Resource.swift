/// Resource names used in `sync_state`, `sync_runs.counts`, `quarantined_records` and the logs.
enum Resource {
    static let forms = "feedback_form_definitions"
    static let interviews = "interviews"
    static let schedules = "interview_schedules"
    static let events = "interview_events"
    static let assignments = "interview_assignments"
    static let slackUsers = "slack_users"
    static let submissions = "feedback_submissions"
    static let applications = "applications"
    static let candidateProfiles = "candidate_profiles"
}
