/// The parts of `application.info` a reminder needs: the candidate and the job.
public struct AshbyApplication: Decodable, Sendable, Equatable {
    public var id: String
    public var candidate: AshbyCandidate
    public var job: AshbyJob

    public init(id: String, candidate: AshbyCandidate, job: AshbyJob) {
        self.id = id
        self.candidate = candidate
        self.job = job
    }
}
