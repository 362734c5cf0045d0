import Foundation

/// One submitted feedback of `applicationFeedback.list`: who gave it, for which interview event and
/// when. Only what the job needs is decoded; the answers (`submittedValues`) are never read.
public struct AshbyApplicationFeedback: Decodable, Sendable, Equatable {
    public var id: String
    public var applicationId: String?
    /// The interview event it was given for; absent for feedback given outside an interview.
    public var interviewEventId: String?
    public var feedbackFormDefinitionId: String?
    public var submittedAt: Date?
    public var submittedByUserId: String?
    /// `creditedToUser.id`: the interviewer the feedback counts for, when someone submitted it for them.
    public var creditedToUserId: String?

    /// The interviewer the feedback counts for: the credited user when present, else the submitter.
    public var interviewerId: String? { creditedToUserId ?? submittedByUserId }

    public init(
        id: String, applicationId: String? = nil, interviewEventId: String? = nil,
        feedbackFormDefinitionId: String? = nil, submittedAt: Date? = nil, submittedByUserId: String? = nil,
        creditedToUserId: String? = nil
    ) {
        self.id = id
        self.applicationId = applicationId
        self.interviewEventId = interviewEventId
        self.feedbackFormDefinitionId = feedbackFormDefinitionId
        self.submittedAt = submittedAt
        self.submittedByUserId = submittedByUserId
        self.creditedToUserId = creditedToUserId
    }

    private enum CodingKeys: String, CodingKey {
        case id, applicationId, interviewEventId, feedbackFormDefinitionId, submittedAt, submittedByUser, creditedToUser
    }

    private struct UserReference: Decodable {
        var id: String
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        applicationId = try container.decodeIfPresent(String.self, forKey: .applicationId)
        interviewEventId = try container.decodeIfPresent(String.self, forKey: .interviewEventId)
        feedbackFormDefinitionId = try container.decodeIfPresent(String.self, forKey: .feedbackFormDefinitionId)
        submittedAt = try container.decodeTimestampIfPresent(forKey: .submittedAt)
        submittedByUserId = try container.decodeIfPresent(UserReference.self, forKey: .submittedByUser)?.id
        creditedToUserId = try container.decodeIfPresent(UserReference.self, forKey: .creditedToUser)?.id
    }
}
