import Foundation

/// An item of `application.list`: the candidate and the job (what reminders, nudges and digests show),
/// the status (`Archived` means rejected or withdrawn: nobody is nudged about them), the current stage
/// and the hiring team (digests reach its recruiters and coordinators), and when it last changed.
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
    /// Ashby's `updatedAt`: when the application last changed (its status or stage, say).
    public var updatedAt: Date?
    public var archivedAt: Date?
    /// `archiveReason.text` (the reason is an object: `id`, `text`, `reasonType`, `isArchived`).
    public var archiveReason: String?

    public var isArchived: Bool { status == "Archived" }

    public init(
        id: String, candidate: AshbyCandidate, job: AshbyJob, stageTitle: String? = nil,
        hiringTeam: [AshbyHiringTeamMember] = [], status: String? = nil, updatedAt: Date? = nil,
        archivedAt: Date? = nil, archiveReason: String? = nil
    ) {
        self.id = id
        self.candidate = candidate
        self.job = job
        self.stageTitle = stageTitle
        self.hiringTeam = hiringTeam
        self.status = status
        self.updatedAt = updatedAt
        self.archivedAt = archivedAt
        self.archiveReason = archiveReason
    }

    private enum CodingKeys: String, CodingKey {
        case id, candidate, job, currentInterviewStage, hiringTeam, status, updatedAt, archivedAt, archiveReason
    }

    private struct Stage: Decodable {
        var title: String?
    }

    private struct ArchiveReason: Decodable {
        var text: String?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        candidate = try container.decode(AshbyCandidate.self, forKey: .candidate)
        job = try container.decode(AshbyJob.self, forKey: .job)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        // Lenient: a malformed detail costs a message that detail, not the application (whose status
        // decides the nudges).
        stageTitle = (try? container.decodeIfPresent(Stage.self, forKey: .currentInterviewStage))??.title
        hiringTeam = (try? container.decodeIfPresent([AshbyHiringTeamMember].self, forKey: .hiringTeam)) ?? []
        updatedAt = try? container.decodeTimestampIfPresent(forKey: .updatedAt)
        archivedAt = try? container.decodeTimestampIfPresent(forKey: .archivedAt)
        archiveReason = (try? container.decodeIfPresent(ArchiveReason.self, forKey: .archiveReason))??.text
    }
}
