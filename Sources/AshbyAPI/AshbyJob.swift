/// A job as an application's `job` names it; only the id and title are used.
public struct AshbyJob: Decodable, Sendable, Equatable {
    public var id: String
    public var title: String?

    public init(id: String, title: String? = nil) {
        self.id = id
        self.title = title
    }
}
