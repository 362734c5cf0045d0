import Foundation
import Postgres

/// Per-resource sync tokens and pass times (`sync_state`).
struct SyncStateStore {
    struct ResourceState: Sendable {
        var syncToken: String?
        var lastFullPassAt: Date?
        var lastIncrementalPassAt: Date?
        /// Why the resource cannot be pulled now (a missing permission), nil while it can.
        var unavailableReason: String? = nil
        /// Where its pass in progress stands, if one is (`PassCheckpointStore`).
        var checkpoint: PassCheckpoint? = nil

        /// When the resource was last pulled, whichever kind of pass it was.
        var lastPassAt: Date? { [lastFullPassAt, lastIncrementalPassAt].compactMap { $0 }.max() }
    }

    let connection: PostgresConnection

    /// Every resource's state, with its pass in progress.
    func load() throws -> [String: ResourceState] {
        var states: [String: ResourceState] = [:]
        for row in try connection.query(SQL.select).rows {
            states[try row["resource"].decode(String.self)] = ResourceState(
                syncToken: try row["sync_token"].decode(String?.self),
                lastFullPassAt: try row["last_full_pass_at"].decode(Date?.self),
                lastIncrementalPassAt: try row["last_incremental_pass_at"].decode(Date?.self),
                unavailableReason: try row["unavailable_reason"].decode(String?.self)
            )
        }
        for (resource, checkpoint) in try PassCheckpointStore(connection: connection).load() {
            states[resource, default: ResourceState()].checkpoint = checkpoint
        }
        return states
    }

    /// Records a completed pass at `now`, the run's clock (cadences compare it with the next run's
    /// clock, so the database server's `now()` would mix two clocks). Call only after every page of
    /// the pass is committed; a nil token keeps the stored one (a filtered backfill, an endpoint without tokens).
    /// Inside a transaction it is queued, to go out with the COMMIT.
    func recordPass(resource: String, syncToken: String?, wasFullPass: Bool, now: Date) throws {
        try connection.enqueue(SQL.upsert, [resource, syncToken, wasFullPass, now])
    }

    /// Why `resource` cannot be pulled now, as the last pass recorded it; nil while it can.
    func unavailableReason(resource: String) throws -> String? {
        try connection.query(SQL.unavailableReason, [resource]).rows.first?[0].decode(String?.self)
    }

    /// Records why `resource` cannot be pulled now (nil: it can again), keeping when it started.
    func recordUnavailable(resource: String, reason: String?, now: Date) throws {
        try connection.execute(SQL.recordUnavailable, [resource, reason, now])
    }

    private enum SQL {
        static let recordUnavailable = """
            INSERT INTO sync_state (resource, unavailable_reason, unavailable_since)
            VALUES ($1, $2, CASE WHEN $2::text IS NOT NULL THEN $3::timestamptz END)
            ON CONFLICT (resource) DO UPDATE SET
                unavailable_reason = EXCLUDED.unavailable_reason,
                unavailable_since = CASE WHEN EXCLUDED.unavailable_reason IS NULL THEN NULL
                                         ELSE coalesce(sync_state.unavailable_since, EXCLUDED.unavailable_since) END,
                updated_at = now()
            WHERE sync_state.unavailable_reason IS DISTINCT FROM EXCLUDED.unavailable_reason
            """
        static let unavailableReason = "SELECT unavailable_reason FROM sync_state WHERE resource = $1"
        static let select = """
            SELECT resource, sync_token, last_full_pass_at, last_incremental_pass_at, unavailable_reason FROM sync_state
            """
        static let upsert = """
            INSERT INTO sync_state (resource, sync_token, token_updated_at, last_full_pass_at, last_incremental_pass_at)
            VALUES ($1, $2, CASE WHEN $2::text IS NOT NULL THEN $4::timestamptz END,
                    CASE WHEN $3::boolean THEN $4::timestamptz END, CASE WHEN NOT $3::boolean THEN $4::timestamptz END)
            ON CONFLICT (resource) DO UPDATE SET
                sync_token = COALESCE(EXCLUDED.sync_token, sync_state.sync_token),
                token_updated_at = COALESCE(EXCLUDED.token_updated_at, sync_state.token_updated_at),
                last_full_pass_at = COALESCE(EXCLUDED.last_full_pass_at, sync_state.last_full_pass_at),
                last_incremental_pass_at = COALESCE(EXCLUDED.last_incremental_pass_at, sync_state.last_incremental_pass_at),
                updated_at = now()
            """
    }
}
