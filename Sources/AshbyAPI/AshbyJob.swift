/// A job as `job.info` (or `application.info`'s `job`) returns it; only the title is used.
public struct AshbyJob: Decodable, Sendable, Equatable {
    public var id: String
    public var title: String?

    public init(id: String, title: String? = nil) {
        self.id = id
        self.title = title
    }
}
