import Foundation
import Postgres

/// `sync_pass_checkpoints`: where each pass in progress over an Ashby list stands. Every committed page
/// of a pass but its last adds a row in its own transaction (rows are only ever added during a pass, so
/// pages written at once on several connections never wait on one another's row); the row with the
/// highest page is where the committed data ends.
struct PassCheckpointStore {
    let connection: PostgresConnection

    /// The checkpoint of each resource with a pass in progress.
    func load() throws -> [String: PassCheckpoint] {
        var checkpoints: [String: PassCheckpoint] = [:]
        for row in try connection.query(SQL.latest).rows {
            let runs = try row["runs"].decode(String?.self) ?? ""
            checkpoints[try row["resource"].decode(String.self)] = PassCheckpoint(
                pages: try row["page"].decode(Int.self),
                items: try row["items"].decode(Int.self),
                cursor: try row["next_cursor"].decode(String.self),
                startToken: try row["start_token"].decode(String?.self),
                createdAfter: try row["created_after"].decode(Date?.self),
                passStarted: try row["started"].decode(String.self),
                runIDs: runs.split(separator: ",").compactMap { UUID(uuidString: String($0)) })
        }
        return checkpoints
    }

    /// Starts a new pass of `resource`: drops the rows of an earlier pass and returns the database
    /// server's time (text), the new pass's start.
    func startPass(resource: String) throws -> String {
        try connection.query(SQL.startPass, [resource]).rows[0][0].decode(String.self)
    }

    /// Records where the pass stands after one of its pages. Call inside that page's transaction: the
    /// row is queued and goes out with the page's writes, so it commits (or rolls back) with them.
    func record(_ checkpoint: PassCheckpoint, resource: String, runID: UUID) throws {
        try connection.enqueue(SQL.insert, [
            resource, checkpoint.pages, checkpoint.items, StorableText.text(checkpoint.cursor),
            StorableText.text(checkpoint.startToken), checkpoint.createdAfter, checkpoint.passStarted, runID,
        ])
    }

    /// Drops the rows of `resource`'s pass once it completed (in the transaction recording its token).
    func clear(resource: String) throws {
        try connection.enqueue(SQL.clear, [resource])
    }

    private enum SQL {
        static let latest = """
            SELECT DISTINCT ON (c.resource) c.resource, c.page, c.items, c.next_cursor, c.start_token, c.created_after,
                   c.pass_started_at::text AS started,
                   (SELECT string_agg(DISTINCT r.run_id::text, ',') FROM sync_pass_checkpoints r WHERE r.resource = c.resource) AS runs
            FROM sync_pass_checkpoints c ORDER BY c.resource, c.page DESC
            """
        static let startPass = """
            WITH dropped AS (DELETE FROM sync_pass_checkpoints WHERE resource = $1) SELECT now()::text
            """
        static let insert = """
            INSERT INTO sync_pass_checkpoints
                (resource, page, items, next_cursor, full_pass, start_token, created_after, pass_started_at, run_id)
            VALUES ($1, $2, $3, $4, $5::text IS NULL, $5, $6, $7::timestamptz, $8)
            """
        static let clear = "DELETE FROM sync_pass_checkpoints WHERE resource = $1"
    }
}
