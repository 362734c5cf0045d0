import Foundation
import Postgres

/// The `sync_runs` table: one row per command run.
struct RunStore {
    let connection: PostgresConnection

    /// Records the start of a run, first closing runs that died without recording an outcome
    /// (the caller holds the sync lock, so no other run is really running).
    func start(runID: UUID, command: String) throws {
        try connection.execute(SQL.closeInterrupted)
        try connection.execute(SQL.insert, [runID, command, RunSummary.Outcome.running.rawValue, Self.hostName])
    }

    func recordSkipped(runID: UUID, command: String) throws {
        try connection.execute(SQL.insertFinished, [runID, command, RunSummary.Outcome.skipped.rawValue, Self.hostName])
    }

    func finish(runID: UUID, outcome: RunSummary.Outcome, summary: RunSummary, error: String?) throws {
        let counts = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        try connection.execute(SQL.finish, [runID, outcome.rawValue, counts, error])
    }

    private static let hostName = ProcessInfo.processInfo.hostName

    private enum SQL {
        static let closeInterrupted = """
            UPDATE sync_runs SET outcome = 'failed', finished_at = now(),
                error = 'interrupted: the process ended before recording an outcome'
            WHERE outcome = 'running'
            """
        static let insert = "INSERT INTO sync_runs (run_id, command, outcome, host) VALUES ($1, $2, $3, $4)"
        static let insertFinished = """
            INSERT INTO sync_runs (run_id, command, outcome, host, finished_at) VALUES ($1, $2, $3, $4, now())
            """
        static let finish = """
            UPDATE sync_runs SET outcome = $2, counts = $3::jsonb, error = $4, finished_at = now() WHERE run_id = $1
            """
    }
}
