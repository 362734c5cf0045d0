import Foundation

/// One `interviewSchedule.list` item: a candidate's schedule for an interview stage and its events.
///
/// `status` stays a raw string (Ashby adds values, as it added `OnHold` and `Unknown`); what each value
/// means for the messages is decided in one place, `ScheduleRules`.
public struct AshbyInterviewSchedule: Decodable, Sendable, Equatable {
    public var id: String
    public var status: String
    public var applicationId: String
    public var interviewStageId: String
    public var candidateId: String?
    public var createdAt: Date?
    public var updatedAt: Date?
    /// Who scheduled it; nil when not yet scheduled (or sent malformed: it only decides a digest's recipient).
    public var scheduledBy: AshbyUser?
    /// The schedule's current events; events that disappear were cancelled or moved away.
    public var interviewEvents: [AshbyInterviewEvent]

    public init(
        id: String, status: String, applicationId: String, interviewStageId: String, candidateId: String? = nil,
        createdAt: Date? = nil, updatedAt: Date? = nil, scheduledBy: AshbyUser? = nil,
        interviewEvents: [AshbyInterviewEvent] = []
    ) {
        self.id = id
        self.status = status
        self.applicationId = applicationId
        self.interviewStageId = interviewStageId
        self.candidateId = candidateId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.scheduledBy = scheduledBy
        self.interviewEvents = interviewEvents
    }

    private enum CodingKeys: String, CodingKey {
        case id, status, applicationId, interviewStageId, candidateId, createdAt, updatedAt, scheduledBy, interviewEvents
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        status = try container.decode(String.self, forKey: .status)
        applicationId = try container.decode(String.self, forKey: .applicationId)
        interviewStageId = try container.decode(String.self, forKey: .interviewStageId)
        candidateId = try container.decodeIfPresent(String.self, forKey: .candidateId)
        createdAt = try container.decodeTimestampIfPresent(forKey: .createdAt)
        updatedAt = try container.decodeTimestampIfPresent(forKey: .updatedAt)
        scheduledBy = (try? container.decodeIfPresent(AshbyUser.self, forKey: .scheduledBy)) ?? nil
        interviewEvents = try container.decodeIfPresent([AshbyInterviewEvent].self, forKey: .interviewEvents) ?? []
    }
}
