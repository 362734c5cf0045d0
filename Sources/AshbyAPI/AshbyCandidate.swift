/// A candidate as an application's `candidate` (id and name) or `candidate.info` (also the Ashby
/// profile link reminders show, `profileUrl`) returns it.
public struct AshbyCandidate: Decodable, Sendable, Equatable {
    public var id: String
    public var name: String?
    public var profileURL: String?

    public init(id: String, name: String? = nil, profileURL: String? = nil) {
        self.id = id
        self.name = name
        self.profileURL = profileURL
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, profileURL = "profileUrl"
    }
}
