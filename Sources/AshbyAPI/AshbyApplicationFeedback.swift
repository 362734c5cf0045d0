import Foundation

/// One submitted feedback of `applicationFeedback.list`: who submitted it, for which application,
/// interview and interview event, and when. Only what the job needs is decoded; the answers
/// (`submittedValues`) are never read.
public struct AshbyApplicationFeedback: Decodable, Sendable, Equatable {
    public var id: String
    public var applicationId: String?
    /// The interview it was given for; with `applicationId` and the submitter, what matches it to an
    /// event when `interviewEventId` is absent.
    public var interviewId: String?
    /// The interview event it was given for; optional in Ashby's reference, absent for feedback given
    /// outside an interview and on some given for one.
    public var interviewEventId: String?
    public var feedbackFormDefinitionId: String?
    public var submittedAt: Date?
    /// `submittedByUser.id`: the interviewer the feedback counts for. Ashby's reference documents no
    /// other user on a feedback; `creditedToUser` belongs to an application (who is credited with
    /// sourcing it) and is not read here, so a payload carrying one can never take a scorecard from the
    /// interviewer who wrote it.
    public var submittedByUserId: String?

    public init(
        id: String, applicationId: String? = nil, interviewId: String? = nil, interviewEventId: String? = nil,
        feedbackFormDefinitionId: String? = nil, submittedAt: Date? = nil, submittedByUserId: String? = nil
    ) {
        self.id = id
        self.applicationId = applicationId
        self.interviewId = interviewId
        self.interviewEventId = interviewEventId
        self.feedbackFormDefinitionId = feedbackFormDefinitionId
        self.submittedAt = submittedAt
        self.submittedByUserId = submittedByUserId
    }

    private enum CodingKeys: String, CodingKey {
        case id, applicationId, interviewId, interviewEventId, feedbackFormDefinitionId, submittedAt, submittedByUser
    }

    private struct UserReference: Decodable {
        var id: String
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        applicationId = try container.decodeIfPresent(String.self, forKey: .applicationId)
        interviewId = try container.decodeIfPresent(String.self, forKey: .interviewId)
        interviewEventId = try container.decodeIfPresent(String.self, forKey: .interviewEventId)
        feedbackFormDefinitionId = try container.decodeIfPresent(String.self, forKey: .feedbackFormDefinitionId)
        submittedAt = try container.decodeTimestampIfPresent(forKey: .submittedAt)
        submittedByUserId = try container.decodeIfPresent(UserReference.self, forKey: .submittedByUser)?.id
    }
}
