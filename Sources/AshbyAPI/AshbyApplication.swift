/// The parts of `application.info` the job uses: the candidate and the job (reminders), the status
/// (`Archived` means rejected or withdrawn: nobody is nudged about them), the current stage and the
/// hiring team (digests reach its recruiters and coordinators).
public struct AshbyApplication: Decodable, Sendable, Equatable {
    public var id: String
    public var candidate: AshbyCandidate
    public var job: AshbyJob
    /// `currentInterviewStage.title`.
    public var stageTitle: String?
    /// Empty when absent: an application without a hiring team falls back to whoever scheduled it.
    public var hiringTeam: [AshbyHiringTeamMember]
    /// `Hired`, `Archived`, `Active`, `Lead`, … kept as sent; nil when absent.
    public var status: String?

    public var isArchived: Bool { status == "Archived" }

    public init(
        id: String, candidate: AshbyCandidate, job: AshbyJob, stageTitle: String? = nil,
        hiringTeam: [AshbyHiringTeamMember] = [], status: String? = nil
    ) {
        self.id = id
        self.candidate = candidate
        self.job = job
        self.stageTitle = stageTitle
        self.hiringTeam = hiringTeam
        self.status = status
    }

    private enum CodingKeys: String, CodingKey {
        case id, candidate, job, currentInterviewStage, hiringTeam, status
    }

    private struct Stage: Decodable {
        var title: String?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        candidate = try container.decode(AshbyCandidate.self, forKey: .candidate)
        job = try container.decode(AshbyJob.self, forKey: .job)
        // Lenient: a malformed stage or team entry costs the digest a detail, not the lookup.
        stageTitle = (try? container.decodeIfPresent(Stage.self, forKey: .currentInterviewStage))??.title
        hiringTeam = (try? container.decodeIfPresent([AshbyHiringTeamMember].self, forKey: .hiringTeam)) ?? []
        status = try container.decodeIfPresent(String.self, forKey: .status)
    }
}
