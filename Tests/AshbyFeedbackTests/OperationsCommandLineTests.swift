import Foundation
import Postgres
import Synchronization
import Testing
import TestSupport
@testable import AshbyFeedback

/// Heartbeat pings, the metrics file, the progress line and a closed stderr, through the built binary
/// against the fakes, the way cron (pipes) and a person (a terminal) run it. One test at a time: each
/// runs whole processes, and the heartbeat's fixed 5-second limit must not meet a starved fake monitor.
@Suite(.serialized, .timeLimit(.minutes(5))) struct OperationsCommandLineTests {
    /// The monitor's key sits in the URL's path, as with healthchecks.io.
    static let heartbeatPath = "/ping/hc-secret-key-0b5e"

    /// A harness with one interview due for a reminder, and a heartbeat monitor on loopback.
    struct Setup {
        let harness: SyncHarness
        let monitor: LoopbackServer

        static func start() async throws -> Setup {
            let harness = try await SyncHarness.start()
            let interview = AshbyFixtures.interview()
            harness.ashby.upsertInterview(interview)
            for _ in 0..<3 {
                harness.ashby.upsertSchedule(AshbyFixtures.schedule(events: [AshbyFixtures.event(
                    interviewId: interview["id"]!.stringValue!, start: Date().addingTimeInterval(3 * 86_400),
                    interviewers: [AshbyFixtures.interviewer(email: "ian@example.com")])]))
            }
            let monitor = try await LoopbackServer.start { _ in .text("OK") }
            return Setup(harness: harness, monitor: monitor)
        }

        func stop() async {
            await monitor.stop()
            await harness.stop()
        }

        func environment(_ extra: [String: String] = [:]) -> [String: String] {
            var environment = [
                "DATABASE_URL": harness.database.url, "ASHBY_API_KEY": SyncHarness.apiKey, "SLACK_BOT_TOKEN": SyncHarness.botToken,
                "ASHBY_API_URL": harness.ashby.baseURL, "SLACK_API_URL": harness.slack.baseURL,
                "HEARTBEAT_URL": monitor.baseURL + OperationsCommandLineTests.heartbeatPath,
            ]
            environment.merge(extra) { $1 }
            return environment
        }

        /// Method and path of each ping the monitor received, in order.
        var pings: [String] {
            monitor.requests.map { "\($0.method) \($0.path)" }
        }
    }

    func expectNoSecrets(_ output: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!output.contains("hc-secret-key"), "the heartbeat URL's key leaked: \(output)", sourceLocation: sourceLocation)
        #expect(!output.contains(SyncHarness.apiKey) && !output.contains(SyncHarness.botToken), sourceLocation: sourceLocation)
    }

    // MARK: Heartbeat

    @Test func aSucceedingRunPingsStartThenThePlainURL() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.stop() } }
        let result = try await BinaryRun.piped(["sync", "--no-reminders"], environment: setup.environment())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(setup.pings == ["GET \(Self.heartbeatPath)/start", "GET \(Self.heartbeatPath)"])
        expectNoSecrets(result.stderr)
    }

    @Test func aRefusedAshbyKeyPingsStartThenFailWithTheErrorLine() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.stop() } }
        let result = try await BinaryRun.piped(["sync", "--no-reminders"], environment: setup.environment(["ASHBY_API_KEY": "wrong-key-1234"]))
        #expect(result.status == 78, "\(result.stderr)")
        #expect(setup.pings == ["GET \(Self.heartbeatPath)/start", "POST \(Self.heartbeatPath)/fail"], "\(result.stderr)")
        let errorLine = try #require(result.stderr.split(separator: "\n").first { $0.hasPrefix("ashby-feedback: error:") })
        #expect(errorLine.contains("Ashby refused ASHBY_API_KEY"))
        #expect(String(decoding: setup.monitor.requests.last?.body ?? Data(), as: UTF8.self) == errorLine)
        expectNoSecrets(result.stderr)
        #expect(!result.stderr.contains("wrong-key-1234"))
    }

    @Test func aSkippedRunPingsNothingAndWritesNoMetrics() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.stop() } }
        let holder = try setup.harness.connect()
        #expect(try holder.tryAdvisoryLock(SyncEngine.lockKey))
        let directory = try TemporaryDirectory("af-metrics")
        defer { directory.remove() }
        let metrics = directory.file("ashby_feedback.prom").path
        let result = try await BinaryRun.piped(["sync", "--no-reminders"], environment: setup.environment(["METRICS_FILE": metrics]))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("\"event\":\"skipped\""))
        #expect(setup.pings.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        _ = try holder.advisoryUnlock(SyncEngine.lockKey)
    }

    @Test func anUnreachableMonitorIsOneWarningAndTheRunStillSucceeds() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.stop() } }
        let refusing = RefusingPort()
        let result = try await BinaryRun.piped(["sync", "--no-reminders"], environment: setup.environment([
            "HEARTBEAT_URL": "http://127.0.0.1:\(refusing.port)\(Self.heartbeatPath)",
        ]))
        withExtendedLifetime(refusing) {}
        #expect(result.status == 0, "\(result.stderr)")
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("\"event\":\"heartbeat_failed\"") }
        #expect(warnings.count == 1, "\(result.stderr)")
        #expect(warnings.first?.contains("\"level\":\"warning\"") == true)
        #expect(warnings.first?.contains("could not connect") == true)
        expectNoSecrets(result.stderr)
    }

    @Test func aBadHeartbeatURLIsAConfigurationErrorThatDoesNotRepeatIt() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.stop() } }
        let result = try await BinaryRun.piped(["sync", "--no-reminders"], environment: setup.environment([
            "HEARTBEAT_URL": "hc-ping.com/hc-secret-key-0b5e",
        ]))
        #expect(result.status == 78)
        #expect(result.stderr.contains("HEARTBEAT_URL must be an http(s) URL"))
        expectNoSecrets(result.stderr)
    }

    // MARK: Metrics file

    @Test func aSucceedingRunWritesValidMetricsWithItsSuccessTime() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.stop() } }
        let directory = try TemporaryDirectory("af-metrics")
        defer { directory.remove() }
        let path = directory.file("ashby_feedback.prom").path
        try "stale\n".write(toFile: path, atomically: false, encoding: .utf8)
        let result = try await BinaryRun.piped(["sync"], environment: setup.environment(["METRICS_FILE": path]))
        #expect(result.status == 0, "\(result.stderr)")

        let text = try String(contentsOfFile: path, encoding: .utf8)
        let metrics = try PrometheusParser.parse(text)
        let finished = try setup.harness.connect().query(
            "SELECT extract(epoch FROM finished_at)::float8 FROM sync_runs WHERE outcome = 'succeeded'").rows[0][0].decode(Double.self)
        let lastSuccess = try #require(metrics.value("ashby_feedback_last_success_timestamp_seconds"))
        #expect(abs(lastSuccess - finished) < 0.001)
        #expect(metrics.value("ashby_feedback_last_run_succeeded") == 1)
        #expect(metrics.value("ashby_feedback_last_run_exit_code") == 0)
        #expect(metrics.value("ashby_feedback_last_run_reminders", ["result": "sent"]) == 0)
        #expect(metrics.value("ashby_feedback_sync_token_age_seconds", ["resource": "interview_schedules"]) != nil)
        #expect(metrics.value("ashby_feedback_last_full_pass_timestamp_seconds", ["resource": "interview_schedules"]) != nil)
        #expect(try #require(metrics.value("ashby_feedback_audit_rows")) > 0)
        #expect(metrics.value("ashby_feedback_quarantined_records") == 0)
        #expect(metrics.value("ashby_feedback_outstanding_feedback", ["age": "over_3d"]) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["ashby_feedback.prom"], "no temporary file left")
        try Self.promtoolAccepts(path)
    }

    @Test func aFailedRunWritesMetricsTooAndLeavesNoTemporaryFile() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.stop() } }
        let directory = try TemporaryDirectory("af-metrics")
        defer { directory.remove() }
        let path = directory.file("ashby_feedback.prom").path
        let result = try await BinaryRun.piped(["sync", "--no-reminders"], environment: setup.environment([
            "METRICS_FILE": path, "ASHBY_API_KEY": "wrong-key-1234",
        ]))
        #expect(result.status == 78, "\(result.stderr)")
        let metrics = try PrometheusParser.parse(try String(contentsOfFile: path, encoding: .utf8))
        #expect(metrics.value("ashby_feedback_last_run_succeeded") == 0)
        #expect(metrics.value("ashby_feedback_last_run_exit_code") == 78)
        #expect(metrics.value("ashby_feedback_last_success_timestamp_seconds") == nil, "no run ever succeeded")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["ashby_feedback.prom"])
        try Self.promtoolAccepts(path)
    }

    /// Issue 19 item 2: Ashby says the pinned API version is deprecated. The run warns once (however many
    /// responses say so), succeeds, and `status` (text and JSON) and the metrics file show it.
    @Test func aDeprecatedAshbyAPIVersionIsWarnedOnceAndShownByStatusAndTheMetrics() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.stop() } }
        setup.harness.ashby.setVersionStatus("deprecated")
        let directory = try TemporaryDirectory("af-metrics")
        defer { directory.remove() }
        let path = directory.file("ashby_feedback.prom").path
        let environment = setup.environment(["METRICS_FILE": path])
        let result = try await BinaryRun.piped(["sync", "--no-reminders"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(setup.harness.ashby.server.requests.count > 1)
        #expect(setup.harness.ashby.server.requests.allSatisfy { $0.header("ashby-version") == "2026-01-01" })
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("\"event\":\"ashby_api_version_deprecated\"") }
        #expect(warnings.count == 1, "\(result.stderr)")
        #expect(warnings.first?.contains("\"level\":\"warning\"") == true)

        let metrics = try PrometheusParser.parse(try String(contentsOfFile: path, encoding: .utf8))
        #expect(metrics.value("ashby_feedback_ashby_api_version_deprecated") == 1)
        try Self.promtoolAccepts(path)

        let text = try await BinaryRun.piped(["status"], environment: environment)
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.contains("Ashby API version 2026-01-01: DEPRECATED"), "\(text.stdout)")
        let json = try await BinaryRun.piped(["status", "--json"], environment: environment)
        let report = try JSONValue(parsing: Data(json.stdout.utf8))
        #expect(report["ashbyAPIVersion"] == ["version": "2026-01-01", "status": "deprecated"])

        // Ashby says the version is active again: the next run's metrics say 0, status no longer warns.
        setup.harness.ashby.setVersionStatus("active")
        #expect(try await BinaryRun.piped(["sync", "--no-reminders"], environment: environment).status == 0)
        #expect(try PrometheusParser.parse(try String(contentsOfFile: path, encoding: .utf8)).value("ashby_feedback_ashby_api_version_deprecated") == 0)
        let active = try await BinaryRun.piped(["status"], environment: environment)
        #expect(active.stdout.contains("Ashby API version 2026-01-01: active"), "\(active.stdout)")
    }

    @Test func anUnwritableMetricsFileIsOneWarningAndChangesNoExitCode() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.stop() } }
        let directory = try TemporaryDirectory("af-metrics")
        defer { directory.remove() }
        let result = try await BinaryRun.piped(["sync", "--no-reminders"], environment: setup.environment([
            "METRICS_FILE": directory.file("missing-dir/ashby_feedback.prom").path,
        ]))
        #expect(result.status == 0, "\(result.stderr)")
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("\"event\":\"metrics_not_written\"") }
        #expect(warnings.count == 1, "\(result.stderr)")
    }

    // MARK: Progress line and log format

    @Test func aTerminalSeesTheProgressLineAndTextLogs() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.stop() } }
        guard let shown = try await BinaryRun.underTerminal(["backfill", "--no-reminders"], environment: setup.environment()) else {
            return  // util-linux `script` is not installed
        }
        #expect(shown.status == 0, "\(shown.stdout)")
        #expect(shown.stdout.contains(ProgressLine.eraseLine + "interview_schedules: page 1, 2 items"), "\(shown.stdout)")
        #expect(shown.stdout.contains(" INFO run_finished"), "auto log format is text on a terminal: \(shown.stdout)")
        #expect(shown.stdout.hasSuffix(ProgressLine.eraseLine) || !shown.stdout.contains("page 2, 3 items\r\n"),
                "the line is cleared at the end")

        let quiet = try #require(try await BinaryRun.underTerminal(["backfill", "--no-reminders", "--no-progress"], environment: setup.environment()))
        #expect(quiet.status == 0)
        #expect(!quiet.stdout.contains(ProgressLine.eraseLine))
    }

    @Test func aPipeSeesNoProgressLineAndJSONLogs() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.stop() } }
        let piped = try await BinaryRun.piped(["backfill", "--no-reminders"], environment: setup.environment())
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(!piped.stderr.contains("\r") && !piped.stderr.contains("\u{1B}"))
        let lines = piped.stderr.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("{") }, "auto log format is JSON through a pipe")
    }

    // MARK: Closed stderr

    @Test func aClosedStandardErrorDoesNotKillTheProcess() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.stop() } }
        let sync = try await BinaryRun.withClosedStandardError(["sync"], environment: setup.environment())
        #expect(sync.exitedNormally, "killed by signal \(sync.status)")
        #expect(sync.status == 0)
        #expect(try setup.harness.count("sync_runs", where: "outcome = 'succeeded'") == 1, "the run went to its end")
        let failing = try await BinaryRun.withClosedStandardError(["migrate"], environment: [:])
        #expect(failing.exitedNormally, "killed by signal \(failing.status)")
        #expect(failing.status == 78)
    }

    // MARK: Helpers

    /// `promtool check metrics` (Debian package `prometheus`), when installed.
    static func promtoolAccepts(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let promtool = "/usr/bin/promtool"
        guard FileManager.default.isExecutableFile(atPath: promtool) else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: FileDescriptorReader.readToEnd(output.fileHandleForReading), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool: \(text)", sourceLocation: sourceLocation)
    }
}
