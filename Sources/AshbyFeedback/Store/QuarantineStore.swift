import Foundation
import Postgres

/// `quarantined_records`: Ashby records set aside because they cannot be stored, so one bad record
/// never stops the rest of its page (or every later run) from syncing.
struct QuarantineStore {
    /// One record set aside: which, and the field or rule it broke (never more of the payload).
    struct Record: Sendable, Equatable {
        var resource: String
        /// The record's id as Ashby sent it, or `results[i]` of its page when it has no readable id.
        var recordID: String
        var reason: String
    }

    let connection: PostgresConnection

    /// Records (or refreshes) the given records. Call inside the page's transaction.
    func record(_ records: [Record], runID: UUID, now: Date) throws {
        guard !records.isEmpty else { return }
        try connection.enqueue(SQL.upsert, [
            records.map(\.resource), records.map(\.recordID), records.map(\.reason), now, runID,
        ])
    }

    /// Records of `resource` that were stored after all.
    func release(resource: String, recordIDs: [String]) throws {
        guard !recordIDs.isEmpty else { return }
        try connection.enqueue(SQL.release, [resource, recordIDs])
    }

    /// After a full pass: records of `resource` that none of the pass's runs saw again are gone from Ashby.
    func releaseUnseen(resource: String, runIDs: [UUID]) throws {
        try connection.execute(SQL.releaseUnseen, [resource, runIDs])
    }

    func overview(limit: Int) throws -> QuarantineOverview {
        let total = try connection.query(SQL.count).rows[0][0].decode(Int.self)
        let records = try connection.query(SQL.list, [limit]).rows.map { row in
            QuarantineOverview.Entry(
                resource: try row["resource"].decode(String.self), recordID: try row["record_id"].decode(String.self),
                reason: try row["reason"].decode(String.self), firstSeenAt: try row["first_seen_at"].decode(Date.self),
                lastSeenAt: try row["last_seen_at"].decode(Date.self))
        }
        return QuarantineOverview(total: total, newest: records)
    }

    private enum SQL {
        static let upsert = """
            INSERT INTO quarantined_records AS q (resource, record_id, reason, first_seen_at, last_seen_at, last_run_id)
            SELECT DISTINCT ON (resource, record_id) resource, record_id, reason, $4, $4, $5::uuid
            FROM unnest($1::text[], $2::text[], $3::text[]) AS r(resource, record_id, reason)
            ON CONFLICT (resource, record_id) DO UPDATE SET
                reason = EXCLUDED.reason, last_seen_at = EXCLUDED.last_seen_at, last_run_id = EXCLUDED.last_run_id
            """
        static let release = "DELETE FROM quarantined_records WHERE resource = $1 AND record_id = ANY($2::text[])"
        static let releaseUnseen = """
            DELETE FROM quarantined_records WHERE resource = $1 AND (last_run_id IS NULL OR last_run_id <> ALL($2::uuid[]))
            """
        static let count = "SELECT count(*) FROM quarantined_records"
        static let list = """
            SELECT resource, record_id, reason, first_seen_at, last_seen_at FROM quarantined_records
            ORDER BY last_seen_at DESC, resource, record_id LIMIT $1
            """
    }
}

/// Ashby records currently set aside, as `status` shows them.
public struct QuarantineOverview: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public var resource: String
        public var recordID: String
        public var reason: String
        public var firstSeenAt: Date
        public var lastSeenAt: Date
    }

    public var total: Int
    /// The most recently seen, at most ten.
    public var newest: [Entry]
}
