import Foundation
import Postgres

/// The audit table `ashby_webhook_payloads`: every fetched Ashby payload, as received.
struct AuditStore {
    let connection: PostgresConnection

    /// One row per fetched schedule (`scheduleIDs[i]` ↔ `payloads[i]`), in one statement (queued inside a
    /// transaction: it goes out with the COMMIT).
    func recordSchedules(action: String, scheduleIDs: [String?], payloads: [Data]) throws {
        guard !payloads.isEmpty else { return }
        try connection.enqueue(SQL.insertMany, [
            scheduleIDs, Array(repeating: action, count: payloads.count), payloads.map(StorableText.jsonb),
        ])
    }

    /// One row for a whole fetched page of another endpoint.
    func recordPage(action: String, payload: Data) throws {
        try connection.enqueue(SQL.insertOne, [action, StorableText.jsonb(payload)])
    }

    /// Deletes rows older than the retention and returns how many went.
    func prune(olderThanDays days: Int) throws -> Int {
        try connection.execute(SQL.prune, [days])
    }

    private enum SQL {
        static let insertMany = """
            INSERT INTO ashby_webhook_payloads (schedule_id, action, payload)
            SELECT schedule_id, action, payload::jsonb FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(schedule_id, action, payload)
            """
        static let insertOne = "INSERT INTO ashby_webhook_payloads (action, payload) VALUES ($1, $2::jsonb)"
        static let prune = "DELETE FROM ashby_webhook_payloads WHERE received_at < now() - make_interval(days => $1::int)"
    }
}
