import Foundation
import Postgres

/// The `sync_runs` table: one row per command run.
///
/// Times are the run's clock (`now`), not the database server's: `status` compares the last success
/// with its own clock.
struct RunStore {
    let connection: PostgresConnection

    /// Records the start of a run, first closing runs that died without recording an outcome
    /// (the caller holds the sync lock, so no other run is really running).
    func start(runID: UUID, command: String, now: Date) throws {
        try connection.execute(SQL.closeInterrupted, [now])
        try connection.execute(SQL.insert, [runID, command, RunSummary.Outcome.running.rawValue, Self.hostName, now])
    }

    func recordSkipped(runID: UUID, command: String, now: Date) throws {
        try connection.execute(SQL.insertFinished, [runID, command, RunSummary.Outcome.skipped.rawValue, Self.hostName, now])
    }

    func finish(runID: UUID, outcome: RunSummary.Outcome, summary: RunSummary, error: String?, now: Date) throws {
        let counts = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        try connection.execute(SQL.finish, [runID, outcome.rawValue, counts, error, now])
    }

    private static let hostName = ProcessInfo.processInfo.hostName

    private enum SQL {
        static let closeInterrupted = """
            UPDATE sync_runs SET outcome = 'failed', finished_at = $1,
                error = 'interrupted: the process ended before recording an outcome'
            WHERE outcome = 'running'
            """
        static let insert = """
            INSERT INTO sync_runs (run_id, command, outcome, host, started_at) VALUES ($1, $2, $3, $4, $5)
            """
        static let insertFinished = """
            INSERT INTO sync_runs (run_id, command, outcome, host, started_at, finished_at) VALUES ($1, $2, $3, $4, $5, $5)
            """
        static let finish = """
            UPDATE sync_runs SET outcome = $2, counts = $3::jsonb, error = $4, finished_at = $5 WHERE run_id = $1
            """
    }
}
