import Foundation

/// One interview event inside a schedule: when it happens, where, who interviews, and the feedback link.
public struct AshbyInterviewEvent: Decodable, Sendable, Equatable {
    public var id: String
    public var interviewId: String
    public var interviewScheduleId: String?
    public var startTime: Date
    public var endTime: Date
    public var createdAt: Date?
    public var updatedAt: Date?
    public var feedbackLink: String?
    public var location: String?
    public var meetingLink: String?
    /// Whether anyone submitted feedback for the event (event level, not per interviewer).
    public var hasSubmittedFeedback: Bool
    public var interviewers: [AshbyInterviewer]

    public init(
        id: String, interviewId: String, interviewScheduleId: String? = nil, startTime: Date, endTime: Date,
        createdAt: Date? = nil, updatedAt: Date? = nil, feedbackLink: String? = nil, location: String? = nil,
        meetingLink: String? = nil, hasSubmittedFeedback: Bool = false, interviewers: [AshbyInterviewer] = []
    ) {
        self.id = id
        self.interviewId = interviewId
        self.interviewScheduleId = interviewScheduleId
        self.startTime = startTime
        self.endTime = endTime
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.feedbackLink = feedbackLink
        self.location = location
        self.meetingLink = meetingLink
        self.hasSubmittedFeedback = hasSubmittedFeedback
        self.interviewers = interviewers
    }

    private enum CodingKeys: String, CodingKey {
        case id, interviewId, interviewScheduleId, startTime, endTime, createdAt, updatedAt
        case feedbackLink, location, meetingLink, hasSubmittedFeedback, interviewers
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        interviewId = try container.decode(String.self, forKey: .interviewId)
        interviewScheduleId = try container.decodeIfPresent(String.self, forKey: .interviewScheduleId)
        startTime = try container.decodeTimestamp(forKey: .startTime)
        endTime = try container.decodeTimestamp(forKey: .endTime)
        createdAt = try container.decodeTimestampIfPresent(forKey: .createdAt)
        updatedAt = try container.decodeTimestampIfPresent(forKey: .updatedAt)
        feedbackLink = try container.decodeIfPresent(String.self, forKey: .feedbackLink)
        location = try container.decodeIfPresent(String.self, forKey: .location)
        meetingLink = try container.decodeIfPresent(String.self, forKey: .meetingLink)
        hasSubmittedFeedback = try container.decodeIfPresent(Bool.self, forKey: .hasSubmittedFeedback) ?? false
        interviewers = try container.decodeIfPresent([AshbyInterviewer].self, forKey: .interviewers) ?? []
    }
}
