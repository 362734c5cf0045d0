import AshbyAPI
import CurlHTTP
import Foundation
import Logging
import Postgres
import SlackAPI
import Synchronization
import Testing
import TestSupport
@testable import AshbyFeedback

/// A migrated throwaway database plus fake Ashby and Slack servers, and a way to run the real
/// engine against them the way one cron invocation would (fresh connection and clients each run).
final class SyncHarness: Sendable {
    let database: TestDatabase
    let ashby: FakeAshby
    let slack: FakeSlack
    private let logLines = Mutex<[String]>([])
    private let reportLines = Mutex<[String]>([])

    static let apiKey = "ashby-secret-key-4711"
    static let botToken = "xoxb-secret-bot-token-4711"

    /// Settings every run of this harness gets (a run's own `settings` win).
    private let settings: [String: String]

    private init(database: TestDatabase, ashby: FakeAshby, slack: FakeSlack, settings: [String: String]) {
        self.database = database
        self.ashby = ashby
        self.slack = slack
        self.settings = settings
    }

    static func start(pageSize: Int = 2, settings: [String: String] = [:]) async throws -> SyncHarness {
        let database = try TestDatabase.create()
        try Migrator(files: try Repository.schemaFiles(), connection: try database.connect(),
                     logger: Logger(label: "migrate") { _ in SwiftLogNoOpLogHandler() }).migrate()
        let ashby = try await FakeAshby.start(apiKey: apiKey, pageSize: pageSize)
        let slack = try await FakeSlack.start(botToken: botToken)
        return SyncHarness(database: database, ashby: ashby, slack: slack, settings: settings)
    }

    func stop() async {
        await ashby.stop()
        await slack.stop()
        database.drop()
    }

    func configuration(_ overrides: [String: String] = [:]) throws -> Configuration {
        var values = [
            "DATABASE_URL": database.url, "ASHBY_API_KEY": Self.apiKey, "SLACK_BOT_TOKEN": Self.botToken,
            "ASHBY_API_URL": ashby.baseURL, "SLACK_API_URL": slack.baseURL,
        ]
        values.merge(settings) { $1 }
        values.merge(overrides) { $1 }
        return try Configuration(values: values, requirements: .init(ashby: true, slack: true))
    }

    /// Runs one `sync` (or the given request) at `now`, off the cooperative pool.
    /// - Parameter ashbyClock: the Ashby client's sleeper and clock (its waits recorded, not slept).
    @discardableResult
    func run(
        _ request: SyncRequest = SyncRequest(kind: .sync), now: Date = Date(), settings: [String: String] = [:],
        requestTimeout: Duration = .seconds(5), clock: RunClock? = nil, observer: (any RunObserver & Sendable)? = nil,
        ashbyClock: ManualClock? = nil
    ) async throws -> (outcome: RunSummary.Outcome, summary: RunSummary) {
        let configuration = try configuration(settings)
        return try await offloaded { [self] in
            let logger = self.logger()
            let http = HTTPClientConfiguration(
                connectTimeout: .seconds(2), requestTimeout: requestTimeout,
                retry: RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100), maxRetryAfter: .seconds(5)))
            let engine = SyncEngine(
                configuration: configuration, connection: try database.connect(),
                ashby: AshbyClient(baseURL: configuration.ashbyAPIURL, apiKey: Self.apiKey, apiVersion: configuration.ashbyAPIVersion,
                                   http: ashbyClock.map { HTTPClient(configuration: http, sleeper: $0, clock: $0, logger: logger) }
                                       ?? HTTPClient(configuration: http, logger: logger), logger: logger),
                slack: request.sendReminders
                    ? SlackClient(baseURL: configuration.slackAPIURL, botToken: Self.botToken,
                                  http: HTTPClient(configuration: http, logger: logger), logger: logger)
                    : nil,
                logger: logger, runID: UUID(), clock: clock ?? .fixed(now),
                report: { line in self.reportLines.withLock { $0.append(line) } }, observer: observer)
            return try engine.run(request)
        }
    }

    /// Runs like `run`, expecting the run to fail, and returns how the command would end.
    func failedRun(
        _ request: SyncRequest = SyncRequest(kind: .sync), now: Date = Date(), settings: [String: String] = [:],
        requestTimeout: Duration = .seconds(5), clock: RunClock? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> Failure? {
        do {
            try await run(request, now: now, settings: settings, requestTimeout: requestTimeout, clock: clock)
            Issue.record("expected the run to fail", sourceLocation: sourceLocation)
            return nil
        } catch {
            return Failure(error)
        }
    }

    private func logger() -> Logger {
        let output = LineOutput { line in self.logLines.withLock { $0.append(line) } }
        var logger = Logger(label: "test") { _ in LineLogHandler(format: .json, level: .trace, output: output) }
        logger[metadataKey: "run_id"] = "test"
        return logger
    }

    /// Every log line written so far (JSON, trace level and up).
    var logs: String { logLines.withLock { $0.joined() } }
    /// What dry runs printed.
    var reports: [String] { reportLines.withLock { $0 } }

    // MARK: Database helpers

    func connect() throws -> PostgresConnection { try database.connect() }

    func count(_ table: String, where condition: String = "true") throws -> Int {
        try connect().query("SELECT count(*) FROM \(table) WHERE \(condition)").rows[0][0].decode(Int.self)
    }

    /// `xmin` (the writing transaction) of every row of the domain tables: equal snapshots mean nothing was rewritten.
    func rowVersions() throws -> [String: String] {
        let connection = try connect()
        var versions: [String: String] = [:]
        let tables = [
            ("interview_schedules", "schedule_id::text"), ("interview_events", "event_id::text"),
            ("interview_assignments", "event_id::text || interviewer_id::text"), ("interviews", "interview_id::text"),
            ("feedback_form_definitions", "form_definition_id::text"), ("slack_users", "slack_user_id"),
            ("feedback_reminders_sent", "event_id::text || interviewer_id::text"),
        ]
        for (table, key) in tables {
            for row in try connection.query("SELECT \(key), xmin::text FROM \(table)").rows {
                versions["\(table):\(try row[0].decode(String.self))"] = try row[1].decode(String.self)
            }
        }
        return versions
    }

    func syncToken(_ resource: String) throws -> String? {
        try connect().query("SELECT sync_token FROM sync_state WHERE resource = $1", [resource]).rows.first?[0].decode(String?.self)
    }
}
