import AshbyAPI
import Foundation
import Postgres

/// What `ashby-feedback status` shows: recent runs, sync-token ages, reminder outcomes of the
/// last day, the audit table's size, and whether the job is healthy (for monitoring).
public struct StatusReport: Sendable, Codable {
    public struct Run: Sendable, Codable {
        public var runID: String
        public var command: String
        public var outcome: String
        public var startedAt: Date
        public var finishedAt: Date?
        public var durationSeconds: Double?
        public var counts: RunSummary?
        public var error: String?
    }

    public struct Resource: Sendable, Codable {
        public var resource: String
        public var hasSyncToken: Bool
        public var tokenAgeMinutes: Double?
        public var lastFullPassAgeMinutes: Double?
        public var lastIncrementalPassAgeMinutes: Double?
        /// The times the ages are measured from, for the metrics file.
        public var tokenUpdatedAt: Date?
        public var lastFullPassAt: Date?
        /// Why the resource cannot be pulled now (e.g. a permission the key lacks), and since when.
        public var unavailableReason: String?
        public var unavailableSince: Date?
        /// A pass begun but not completed yet (the next run continues it); nil when none is.
        public var passInProgress: PassInProgress?
    }

    /// A pass over a resource that has taken more than one run so far.
    public struct PassInProgress: Sendable, Codable {
        /// Pages and records committed so far, in every run of the pass.
        public var pages: Int
        public var items: Int
        /// A full pass (else incremental from the stored token).
        public var fullPass: Bool
        public var startedAt: Date
        public var lastPageAt: Date
    }

    public struct Reminders: Sendable, Codable {
        /// Reminders touched in the last 24 hours, by status (sent, claimed, failed, unknown).
        public var lastDayByStatus: [String: Int]
        /// Claims older than 10 minutes without an outcome: a run died between claim and send.
        public var stuckClaims: Int
        /// Failure reasons of the last 24 hours with their counts, most frequent first.
        public var failureReasons: [FailureReason]
        /// Edits of posted DMs attempted in the last 24 hours, by state (edited, pending, failed).
        public var lastDayEdits: [String: Int]
    }

    public struct FailureReason: Sendable, Codable {
        public var status: String
        public var retrying: Bool
        public var reason: String
        public var count: Int
    }

    public struct Audit: Sendable, Codable {
        public var rows: Int
        public var bytes: Int
        public var oldest: Date?
    }

    public var generatedAt: Date
    public var healthy: Bool
    public var problem: String?
    /// When a run last succeeded (nil: never).
    public var lastSuccessAt: Date?
    public var runs: [Run]
    public var resources: [Resource]
    public var reminders: Reminders
    public var audit: Audit
    /// Ashby records set aside because they cannot be stored; unhealthy while there are any.
    public var quarantine: QuarantineOverview
    /// Overdue feedback now and when each digest last went out.
    public var digests: Digests
    /// Scorecards still missing and the nudges of the last day.
    public var feedback: FeedbackFollowUp
    /// What Ashby last said about the API version the runs ask for (the newest of `runs` that recorded
    /// it): `isDeprecated` means a newer build is due before Ashby stops serving it.
    public var ashbyAPIVersion: AshbyVersionStatus?

    /// Reads the report. Unhealthy when the last finished run failed, no run succeeded within
    /// `maxAgeMinutes`, or Ashby records are being skipped.
    public static func read(
        _ connection: PostgresConnection, runLimit: Int, maxAgeMinutes: Int, digest: DigestSettings = .standard, now: Date = Date()
    ) throws -> StatusReport {
        try SchemaVersion.requireCurrent(connection)
        let decoder = JSONDecoder()
        let runs = try connection.query(SQL.runs, [runLimit]).rows.map { row in
            let started = try row["started_at"].decode(Date.self)
            let finished = try row["finished_at"].decode(Date?.self)
            return Run(
                runID: try row["run_id"].decode(String.self),
                command: try row["command"].decode(String.self),
                outcome: try row["outcome"].decode(String.self),
                startedAt: started, finishedAt: finished,
                durationSeconds: finished.map { ($0.timeIntervalSince(started) * 1000).rounded() / 1000 },
                counts: try? decoder.decode(RunSummary.self, from: Data(try row["counts"].decode(String.self).utf8)),
                error: try row["error"].decode(String?.self)
            )
        }
        func minutes(since date: Date?) -> Double? {
            date.map { (now.timeIntervalSince($0) / 6).rounded() / 10 }
        }
        let resources = try connection.query(SQL.resources).rows.map { row in
            let tokenUpdatedAt = try row["token_updated_at"].decode(Date?.self)
            let lastFullPassAt = try row["last_full_pass_at"].decode(Date?.self)
            return Resource(
                resource: try row["resource"].decode(String.self),
                hasSyncToken: try row["has_token"].decode(Bool.self),
                tokenAgeMinutes: minutes(since: tokenUpdatedAt),
                lastFullPassAgeMinutes: minutes(since: lastFullPassAt),
                lastIncrementalPassAgeMinutes: minutes(since: try row["last_incremental_pass_at"].decode(Date?.self)),
                tokenUpdatedAt: tokenUpdatedAt, lastFullPassAt: lastFullPassAt,
                unavailableReason: try row["unavailable_reason"].decode(String?.self),
                unavailableSince: try row["unavailable_since"].decode(Date?.self),
                passInProgress: try row["pass_pages"].decode(Int?.self).map { pages in
                    PassInProgress(
                        pages: pages, items: try row["pass_items"].decode(Int.self),
                        fullPass: try row["pass_full"].decode(Bool.self),
                        startedAt: try row["pass_started_at"].decode(Date.self),
                        lastPageAt: try row["pass_page_at"].decode(Date.self))
                }
            )
        }
        var byStatus: [String: Int] = [:]
        for row in try connection.query(SQL.remindersByStatus).rows {
            byStatus[try row["status"].decode(String.self)] = try row["n"].decode(Int.self)
        }
        let stuck = try connection.query(SQL.stuckClaims).rows[0][0].decode(Int.self)
        let reasons = try connection.query(SQL.failureReasons).rows.map { row in
            FailureReason(
                status: try row["status"].decode(String.self),
                retrying: try row["failure_temporary"].decode(Bool?.self) ?? false,
                reason: try row["failure_reason"].decode(String?.self) ?? "",
                count: try row["n"].decode(Int.self)
            )
        }
        let auditRow = try connection.query(SQL.audit).rows[0]
        let audit = Audit(
            rows: try auditRow["n"].decode(Int.self),
            bytes: try auditRow["bytes"].decode(Int.self),
            oldest: try auditRow["oldest"].decode(Date?.self)
        )

        let lastSuccess = try connection.query(SQL.lastSuccess).rows[0][0].decode(Date?.self)
        let quarantine = try QuarantineStore(connection: connection).overview(limit: 10)
        var problem: String?
        let finished = runs.filter { $0.outcome == "succeeded" || $0.outcome == "failed" }
        if let last = finished.first, last.outcome == "failed" {
            problem = "the last run (\(last.command), started \(last.startedAt.formatted(.iso8601))) failed: \(last.error ?? "no error recorded")"
        } else {
            if let lastSuccess {
                if now.timeIntervalSince(lastSuccess) > Double(maxAgeMinutes) * 60 {
                    problem = "no run succeeded in the last \(maxAgeMinutes) minutes (last success \(lastSuccess.formatted(.iso8601))): check cron and the sync log"
                }
            } else {
                problem = "no run has succeeded yet: run `ashby-feedback sync` and check its log"
            }
        }
        if problem == nil, let first = quarantine.newest.first {
            problem = "\(quarantine.total) Ashby record(s) cannot be stored and are skipped (e.g. \(first.resource) \(first.recordID): \(first.reason)); "
                + "fix them in Ashby or report the payload (kept in ashby_webhook_payloads)"
        }
        return StatusReport(
            generatedAt: now, healthy: problem == nil, problem: problem, lastSuccessAt: lastSuccess, runs: runs, resources: resources,
            reminders: Reminders(
                lastDayByStatus: byStatus, stuckClaims: stuck, failureReasons: reasons,
                lastDayEdits: try MessageLedger(connection: connection).editStates(since: now.addingTimeInterval(-86_400))),
            audit: audit,
            quarantine: quarantine, digests: try readDigests(connection, settings: digest, now: now),
            feedback: try FeedbackFollowUp.read(connection, now: now),
            ashbyAPIVersion: runs.lazy.compactMap { $0.counts?.ashbyAPIVersion }.first)
    }

    private enum SQL {
        static let runs = """
            SELECT run_id::text, command, outcome, started_at, finished_at, counts::text, error
            FROM sync_runs ORDER BY started_at DESC LIMIT $1
            """
        static let lastSuccess = "SELECT max(finished_at) FROM sync_runs WHERE outcome = 'succeeded'"
        /// Every resource with a state or a pass in progress (the latest checkpoint row of its pass).
        static let resources = """
            WITH pass AS (
                SELECT DISTINCT ON (resource) resource, page, items, full_pass, pass_started_at, committed_at
                FROM sync_pass_checkpoints ORDER BY resource, page DESC)
            SELECT resource, s.sync_token IS NOT NULL AS has_token, s.token_updated_at, s.last_full_pass_at,
                   s.last_incremental_pass_at, s.unavailable_reason, s.unavailable_since,
                   pass.page AS pass_pages, pass.items AS pass_items, pass.full_pass AS pass_full,
                   pass.pass_started_at, pass.committed_at AS pass_page_at
            FROM sync_state s FULL JOIN pass USING (resource) ORDER BY resource
            """
        static let remindersByStatus = """
            SELECT status, count(*) AS n FROM feedback_reminders_sent
            WHERE coalesce(last_attempt_at, sent_at, claimed_at) > now() - interval '1 day' GROUP BY status
            """
        static let stuckClaims = """
            SELECT count(*) FROM feedback_reminders_sent WHERE status = 'claimed' AND claimed_at < now() - interval '10 minutes'
            """
        static let failureReasons = """
            SELECT status, failure_temporary, failure_reason, count(*) AS n FROM feedback_reminders_sent
            WHERE status IN ('failed', 'unknown') AND coalesce(last_attempt_at, claimed_at) > now() - interval '1 day'
            GROUP BY status, failure_temporary, failure_reason ORDER BY n DESC, failure_reason LIMIT 20
            """
        static let audit = """
            SELECT count(*) AS n, pg_total_relation_size('ashby_webhook_payloads') AS bytes, min(received_at) AS oldest
            FROM ashby_webhook_payloads
            """
    }
}
