import AshbyAPI
import Foundation
import Postgres

/// `applications`: what messages and rules need of each application (candidate, job, status, stage,
/// hiring team, when it changed), written a page of `application.list` at a time in one statement.
/// Only rows whose columns differ are rewritten (`IS DISTINCT FROM`), so a full pass over unchanged
/// applications writes nothing.
struct ApplicationStore {
    /// One application as stored: ids checked to be UUIDs, text in its stored form.
    struct Row: Sendable, Equatable {
        var applicationID: String
        var candidateID: String?
        var candidateName: String?
        var jobID: String?
        var jobTitle: String?
        var status: String?
        var stageTitle: String?
        var hiringTeam: [HiringTeamMember]
        var archivedAt: Date?
        var archiveReason: String?
        var ashbyUpdatedAt: Date?

        /// The stored form of an application, or why it cannot be stored (an id that is not a UUID).
        init(_ application: AshbyApplication) throws(InvalidPayload) {
            let what = "application \(application.id)"
            applicationID = try InvalidPayload.checkedUUID(application.id, "\(what): id")
            candidateID = try InvalidPayload.checkedUUID(application.candidate.id, "\(what): candidate.id")
            candidateName = StorableText.text(application.candidate.name)
            jobID = try InvalidPayload.checkedUUID(application.job.id, "\(what): job.id")
            jobTitle = StorableText.text(application.job.title)
            status = StorableText.text(application.status)
            stageTitle = StorableText.text(application.stageTitle)
            hiringTeam = application.hiringTeam.map { member in
                let name = [member.firstName, member.lastName].compactMap { StorableText.text($0) }.joined(separator: " ")
                return HiringTeamMember(
                    userID: StorableText.text(member.userId) ?? "", email: StorableText.text(member.email)?.lowercased(),
                    name: name.isEmpty ? nil : name, role: StorableText.text(member.role))
            }
            archivedAt = application.archivedAt
            archiveReason = StorableText.text(application.archiveReason)
            ashbyUpdatedAt = application.updatedAt
        }
    }

    let connection: PostgresConnection

    /// Inserts new applications and updates changed ones; unchanged rows are not rewritten. A page
    /// naming one application twice keeps its last copy.
    func upsert(_ rows: [Row]) throws -> TableCounts {
        var latest: [String: Int] = [:]
        for (index, row) in rows.enumerated() { latest[row.applicationID] = index }
        let unique = latest.values.sorted().map { rows[$0] }
        guard !unique.isEmpty else { return TableCounts() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let teams = try unique.map { String(decoding: try encoder.encode($0.hiringTeam), as: UTF8.self) }
        let result = try connection.query(SQL.upsert, [
            unique.map(\.applicationID), unique.map(\.candidateID), unique.map(\.candidateName), unique.map(\.jobID),
            unique.map(\.jobTitle), unique.map(\.status), unique.map(\.stageTitle), teams, unique.map(\.archivedAt),
            unique.map(\.archiveReason), unique.map(\.ashbyUpdatedAt),
        ])
        return try TableCounts(fetched: rows.count, upserted: result)
    }

    private enum SQL {
        static let upsert = """
            INSERT INTO applications AS a
                (application_id, candidate_id, candidate_name, job_id, job_title, status, stage_title, hiring_team,
                 archived_at, archive_reason, ashby_updated_at)
            SELECT id, candidate_id, candidate_name, job_id, job_title, status, stage_title, hiring_team::jsonb,
                   archived_at, archive_reason, ashby_updated_at
            FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::timestamptz[], $10::text[], $11::timestamptz[])
                AS page(id, candidate_id, candidate_name, job_id, job_title, status, stage_title, hiring_team,
                        archived_at, archive_reason, ashby_updated_at)
            ON CONFLICT (application_id) DO UPDATE SET
                candidate_id = EXCLUDED.candidate_id, candidate_name = EXCLUDED.candidate_name, job_id = EXCLUDED.job_id,
                job_title = EXCLUDED.job_title, status = EXCLUDED.status, stage_title = EXCLUDED.stage_title,
                hiring_team = EXCLUDED.hiring_team, archived_at = EXCLUDED.archived_at,
                archive_reason = EXCLUDED.archive_reason, ashby_updated_at = EXCLUDED.ashby_updated_at, updated_at = now()
            WHERE (a.candidate_id, a.candidate_name, a.job_id, a.job_title, a.status, a.stage_title, a.hiring_team,
                   a.archived_at, a.archive_reason, a.ashby_updated_at)
                IS DISTINCT FROM
                  (EXCLUDED.candidate_id, EXCLUDED.candidate_name, EXCLUDED.job_id, EXCLUDED.job_title, EXCLUDED.status,
                   EXCLUDED.stage_title, EXCLUDED.hiring_team, EXCLUDED.archived_at, EXCLUDED.archive_reason,
                   EXCLUDED.ashby_updated_at)
            RETURNING (xmax = 0) AS inserted
            """
    }
}
