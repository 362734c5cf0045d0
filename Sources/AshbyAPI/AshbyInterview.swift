/// An interview definition (`interview.list` / `interview.info`): its title, instructions and feedback form.
public struct AshbyInterview: Decodable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var externalTitle: String?
    public var isArchived: Bool
    public var isDebrief: Bool?
    public var instructionsPlain: String?
    public var instructionsHtml: String?
    /// Absent for shared interviews; set for job-specific ones.
    public var jobId: String?
    public var feedbackFormDefinitionId: String?

    public init(
        id: String, title: String, externalTitle: String? = nil, isArchived: Bool = false, isDebrief: Bool? = nil,
        instructionsPlain: String? = nil, instructionsHtml: String? = nil, jobId: String? = nil,
        feedbackFormDefinitionId: String? = nil
    ) {
        self.id = id
        self.title = title
        self.externalTitle = externalTitle
        self.isArchived = isArchived
        self.isDebrief = isDebrief
        self.instructionsPlain = instructionsPlain
        self.instructionsHtml = instructionsHtml
        self.jobId = jobId
        self.feedbackFormDefinitionId = feedbackFormDefinitionId
    }

    private enum CodingKeys: String, CodingKey {
        case id, title, externalTitle, isArchived, isDebrief, instructionsPlain, instructionsHtml, jobId
        case feedbackFormDefinitionId
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        externalTitle = try container.decodeIfPresent(String.self, forKey: .externalTitle)
        isArchived = try container.decodeIfPresent(Bool.self, forKey: .isArchived) ?? false
        isDebrief = try container.decodeIfPresent(Bool.self, forKey: .isDebrief)
        instructionsPlain = try container.decodeIfPresent(String.self, forKey: .instructionsPlain)
        instructionsHtml = try container.decodeIfPresent(String.self, forKey: .instructionsHtml)
        jobId = try container.decodeIfPresent(String.self, forKey: .jobId)
        feedbackFormDefinitionId = try container.decodeIfPresent(String.self, forKey: .feedbackFormDefinitionId)
    }
}
