/// The parts of `application.info` a reminder needs: the candidate, the job, and the status
/// (`Archived` means rejected or withdrawn: nobody is nudged about them).
public struct AshbyApplication: Decodable, Sendable, Equatable {
    public var id: String
    public var candidate: AshbyCandidate
    public var job: AshbyJob
    /// `Hired`, `Archived`, `Active`, `Lead`, … kept as sent; nil when absent.
    public var status: String?

    public var isArchived: Bool { status == "Archived" }

    public init(id: String, candidate: AshbyCandidate, job: AshbyJob, status: String? = nil) {
        self.id = id
        self.candidate = candidate
        self.job = job
        self.status = status
    }
}
