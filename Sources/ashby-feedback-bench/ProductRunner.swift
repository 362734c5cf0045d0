import Foundation
import Postgres
import TestSupport

/// Runs `ashby-feedback sync|backfill` (the release binary) as a child process against the fakes and a
/// database, and collects its figures from the process, the fakes' request logs, `sync_runs` and its log.
struct ProductRunner {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let binary: String
    let databaseURL: String
    let ashby: FakeAshby
    let slack: FakeSlack
    /// Where each run's log goes (`<label>.log`).
    let logDirectory: String

    func run(_ label: String, arguments: [String]) async throws -> RunFigures {
        let database = try PostgresConnection(databaseURL)
        let auditBefore = try Self.auditRows(database)
        let ashbyBefore = ashby.server.requests.count, slackBefore = slack.server.requests.count
        let logPath = "\(logDirectory)/\(label).log"
        let (binary, environment) = (binary, environment)
        let outcome = try await offloaded {
            try ChildProcess.run(executable: binary, arguments: arguments, environment: environment, logPath: logPath)
        }
        guard outcome.exitStatus == 0 else {
            throw Failure(description: "\(label): ashby-feedback \(arguments.joined(separator: " ")) exited with \(outcome.exitStatus); see \(logPath)")
        }
        let recorded = try database.query("SELECT outcome, counts::text FROM sync_runs ORDER BY started_at DESC LIMIT 1")
        guard let row = recorded.rows.first, try row["outcome"].decode(String.self) == "succeeded" else {
            throw Failure(description: "\(label): the run did not record a succeeded outcome; see \(logPath)")
        }
        let summary = try JSONDecoder().decode(RunFigures.RecordedSummary.self, from: Data(try row["counts"].decode(String.self).utf8))
        return RunFigures(
            wallSeconds: outcome.wallSeconds, cpuSeconds: outcome.cpuSeconds, peakRSSBytes: outcome.peakRSSBytes,
            ashbyRequests: ashby.server.requests.count - ashbyBefore, slackRequests: slack.server.requests.count - slackBefore,
            summary: summary, auditRows: try Self.auditRows(database) - auditBefore,
            pagesByEndpoint: try Self.pagesByEndpoint(logPath: logPath))
    }

    /// The child's whole environment: the job's configuration and nothing else (defaults for cadences
    /// and the reminder window, which the tenant's events are far outside of).
    private var environment: [String: String] {
        [
            "DATABASE_URL": databaseURL, "ASHBY_API_URL": ashby.baseURL, "ASHBY_API_KEY": ashby.apiKey,
            "SLACK_API_URL": slack.baseURL, "SLACK_BOT_TOKEN": slack.botToken,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
    }

    private static func auditRows(_ database: PostgresConnection) throws -> Int {
        try database.query("SELECT count(*) FROM ashby_webhook_payloads").rows[0][0].decode(Int.self)
    }

    /// Pages per endpoint, read from the `resource_synced` lines (a pass logs one line per table it fed).
    private static func pagesByEndpoint(logPath: String) throws -> [String: Int] {
        var pages: [String: Int] = [:]
        let log = try String(contentsOfFile: logPath, encoding: .utf8)
        for line in log.split(separator: "\n") where line.contains(#""event":"resource_synced""#) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let endpoint = object["endpoint"] as? String, let count = object["pages"] as? Int else { continue }
            pages[endpoint] = count
        }
        return pages
    }
}
