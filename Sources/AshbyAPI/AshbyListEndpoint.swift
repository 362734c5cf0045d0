/// The paginated, sync-token-capable Ashby list endpoints the job pulls.
public enum AshbyListEndpoint: String, Sendable, CaseIterable {
    case feedbackFormDefinitions = "feedbackFormDefinition.list"
    case interviews = "interview.list"
    case interviewSchedules = "interviewSchedule.list"
    /// Submitted feedback, to learn who submitted (never what they answered).
    case applicationFeedback = "applicationFeedback.list"
    /// Applications: candidate and job names, status, stage and hiring team for every message.
    case applications = "application.list"

    /// Filters sent on every page, full and incremental alike, so archived forms and interviews and
    /// job-specific interviews (which events reference) are included.
    var includeArchived: Bool? {
        switch self {
        case .feedbackFormDefinitions, .interviews: true
        case .interviewSchedules, .applicationFeedback, .applications: nil
        }
    }

    var includeNonSharedInterviews: Bool? {
        self == .interviews ? true : nil
    }
}
