import Foundation

/// A feedback form definition (`feedbackFormDefinition.list`). The form's sections and fields are kept
/// as JSON (`formDefinition`) for a jsonb column: the job stores them, it does not interpret them.
public struct AshbyFeedbackFormDefinition: Decodable, Sendable, Equatable {
    public var id: String
    public var title: String?
    public var isArchived: Bool
    public var isDefaultForm: Bool?
    public var interviewId: String?
    /// The `formDefinition` object as compact JSON with sorted keys; nil when absent or `null`.
    public var formDefinition: Data?

    public init(
        id: String, title: String? = nil, isArchived: Bool = false, isDefaultForm: Bool? = nil,
        interviewId: String? = nil, formDefinition: Data? = nil
    ) {
        self.id = id
        self.title = title
        self.isArchived = isArchived
        self.isDefaultForm = isDefaultForm
        self.interviewId = interviewId
        self.formDefinition = formDefinition
    }

    private enum CodingKeys: String, CodingKey {
        case id, title, isArchived, isDefaultForm, interviewId, formDefinition
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        isArchived = try container.decodeIfPresent(Bool.self, forKey: .isArchived) ?? false
        isDefaultForm = try container.decodeIfPresent(Bool.self, forKey: .isDefaultForm)
        interviewId = try container.decodeIfPresent(String.self, forKey: .interviewId)
        formDefinition = try container.decodeIfPresent(RawJSON.self, forKey: .formDefinition)?.data
    }
}
