/// A candidate as `candidate.info` (or `application.info`'s `candidate`) returns it; only the name is used.
public struct AshbyCandidate: Decodable, Sendable, Equatable {
    public var id: String
    public var name: String?

    public init(id: String, name: String? = nil) {
        self.id = id
        self.name = name
    }
}
