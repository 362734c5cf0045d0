import Foundation

/// What an interviewer is reminded of: one interview event, with text as it came from Ashby (unescaped).
public struct InterviewReminder: Sendable {
    public var candidateName: String?
    public var jobTitle: String?
    public var interviewTitle: String?
    public var startTime: Date
    public var endTime: Date
    public var location: String?
    public var meetingLink: String?
    public var instructions: String?
    /// Ashby's feedback form link, shown as a button when it is an http(s) URL.
    public var feedbackLink: String?

    public init(
        candidateName: String? = nil, jobTitle: String? = nil, interviewTitle: String? = nil,
        startTime: Date, endTime: Date, location: String? = nil, meetingLink: String? = nil,
        instructions: String? = nil, feedbackLink: String? = nil
    ) {
        self.candidateName = candidateName
        self.jobTitle = jobTitle
        self.interviewTitle = interviewTitle
        self.startTime = startTime
        self.endTime = endTime
        self.location = location
        self.meetingLink = meetingLink
        self.instructions = instructions
        self.feedbackLink = feedbackLink
    }
}
