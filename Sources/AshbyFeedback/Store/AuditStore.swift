import AshbyAPI
import Foundation
import Postgres

/// The audit table `ashby_webhook_payloads`: every fetched Ashby payload, as received.
struct AuditStore {
    let connection: PostgresConnection

    /// One row per fetched schedule (`scheduleIDs[i]` ↔ `payloads[i]`, each made storable with
    /// `StorableText.jsonb`), in one statement (queued inside a transaction: it goes out with the COMMIT).
    func recordSchedules(action: String, scheduleIDs: [String?], payloads: [String]) throws {
        guard !payloads.isEmpty else { return }
        try connection.enqueue(SQL.insertMany, [
            try PostgresBinaryArray.uuids(scheduleIDs), PostgresBinaryArray.texts(Array(repeating: action, count: payloads.count)),
            PostgresBinaryArray.texts(payloads),
        ])
    }

    /// One row for a whole fetched page of another endpoint, stored as `payload` (the page as received,
    /// unless the caller must redact it). A page without records is not stored: the incremental pass of
    /// an unchanged tenant answers every run with one, and it tells nothing.
    func recordPage(_ page: AshbyPage, payload: Data? = nil) throws {
        guard !page.rawItems.isEmpty else { return }
        try connection.enqueue(SQL.insertOne, [page.endpoint.rawValue, StorableText.jsonb(payload ?? page.rawBody)])
    }

    /// Deletes rows older than the retention, but none written since a full pass in progress began,
    /// and returns how many went.
    func prune(olderThanDays days: Int) throws -> Int {
        try connection.execute(SQL.prune, [days])
    }

    private enum SQL {
        static let insertMany = """
            INSERT INTO ashby_webhook_payloads (schedule_id, action, payload)
            SELECT schedule_id, action, payload::jsonb FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(schedule_id, action, payload)
            """
        static let insertOne = "INSERT INTO ashby_webhook_payloads (action, payload) VALUES ($1, $2::jsonb)"
        /// Rows written since a full pass in progress began stay whatever their age: that pass's
        /// reconcile counts them as seen when it completes, maybe many runs later.
        static let prune = """
            DELETE FROM ashby_webhook_payloads WHERE received_at < now() - make_interval(days => $1::int)
              AND received_at < coalesce((SELECT min(pass_started_at) FROM sync_pass_checkpoints WHERE full_pass), 'infinity')
            """
    }
}
