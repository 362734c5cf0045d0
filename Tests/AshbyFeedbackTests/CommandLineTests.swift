import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// The built `ashby-feedback` binary, run as cron would: exit codes and one clear line per failure.
@Suite(.timeLimit(.minutes(3))) struct CommandLineTests {
    /// The executable sits beside the test bundle in the build folder.
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("ashby-feedback").path

    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Subprocess {
        let env = BinaryRun.environment(environment)
        let executable = Self.binary
        return try await offloaded { [env] in
            try Subprocess.run(executable, arguments + ["--log-format", "json"], environment: env)
        }
    }

    func expectOneLineFailure(_ result: Subprocess, status: Int32, mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        let plain = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("{") }
        #expect(plain.count == 1, "one plain line: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(plain.first?.contains(text) == true, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), sourceLocation: sourceLocation)
    }

    @Test func binaryExists() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "\(Self.binary)")
    }

    /// The one version number (ProductVersion), which scripts/package.sh names the package after.
    @Test func versionPrintsTheProductVersion() async throws {
        let result = try await BinaryRun.piped(["--version"], environment: [:])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == ProductVersion.current + "\n")
    }

    @Test func missingDatabaseURL() async throws {
        expectOneLineFailure(try await run(["migrate"]), status: 78, mentioning: "DATABASE_URL is not set")
    }

    @Test func unreadableEnvFile() async throws {
        expectOneLineFailure(try await run(["sync", "--env-file", "/nonexistent/af.env"]), status: 78, mentioning: "cannot read env file /nonexistent/af.env")
    }

    @Test func malformedEnvLineNamesTheLineNotItsContent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("ashby-feedback.env").path
        try "DATABASE_URL=postgresql://x/y\nhunter2-secret\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await run(["migrate", "--env-file", path])
        expectOneLineFailure(result, status: 78, mentioning: "line 2: expected KEY=VALUE")
        #expect(!result.stderr.contains("hunter2"))
    }

    @Test func missingAshbyKeyForSync() async throws {
        expectOneLineFailure(try await run(["sync", "--no-reminders"], environment: ["DATABASE_URL": "postgresql://localhost/x"]),
                             status: 78, mentioning: "ASHBY_API_KEY is not set")
    }

    @Test func malformedAshbyAPIVersion() async throws {
        let environment = ["DATABASE_URL": "postgresql://localhost/x", "ASHBY_API_KEY": "k", "ASHBY_API_VERSION": "v2"]
        expectOneLineFailure(try await run(["sync", "--no-reminders"], environment: environment),
                             status: 78, mentioning: "ASHBY_API_VERSION must be an Ashby API version date")
    }

    @Test func usageError() async throws {
        let result = try await run(["sync", "--frobnicate"])
        #expect(result.status == 64)
        let badDate = try await run(["backfill", "--since", "yesterday"])
        #expect(badDate.status == 64)
        #expect(badDate.stderr.contains("--since must be a date"))
    }

    @Test func unreachableServerIsUnavailable() async throws {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: 0, sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        defer { close(socket) }   // bound, never listening: connections are refused
        let port = UInt16(bigEndian: address.sin_port)
        expectOneLineFailure(try await run(["migrate"], environment: ["DATABASE_URL": "postgresql://postgres@127.0.0.1:\(port)/x?connect_timeout=2"]),
                             status: 75, mentioning: "PostgreSQL unavailable")
    }

    @Test func wrongPasswordAndMissingDatabase() async throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let role = "af_role_\(UInt32.random(in: 0 ... .max))"
        try database.connect().execute("CREATE ROLE \(role) LOGIN PASSWORD 'right-password'")
        let wrong = database.url.replacingOccurrences(of: "postgres@", with: "\(role):wrong-password-123@")
        let result = try await run(["migrate"], environment: ["DATABASE_URL": wrong])
        expectOneLineFailure(result, status: 78, mentioning: "refused the credentials")
        #expect(!result.stderr.contains("wrong-password-123"))

        let missing = database.url.replacingOccurrences(of: "/\(database.name)", with: "/af_no_such_db")
        expectOneLineFailure(try await run(["migrate"], environment: ["DATABASE_URL": missing]), status: 78, mentioning: "does not exist")
    }

    @Test func migrateStatusAndSyncEndToEnd() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let environment = [
            "DATABASE_URL": harness.database.url, "ASHBY_API_KEY": SyncHarness.apiKey, "SLACK_BOT_TOKEN": SyncHarness.botToken,
            "ASHBY_API_URL": harness.ashby.baseURL, "SLACK_API_URL": harness.slack.baseURL,
        ]
        // A fresh, empty database through the binary.
        let fresh = try TestDatabase.create()
        defer { fresh.drop() }
        var freshEnvironment = environment
        freshEnvironment["DATABASE_URL"] = fresh.url
        let beforeMigrate = try await run(["status"], environment: freshEnvironment)
        #expect(beforeMigrate.status == 78 && beforeMigrate.stderr.contains("run `ashby-feedback migrate`"))
        let migrate = try await run(["migrate", "--database-dir", Repository.databaseDirectory.path], environment: freshEnvironment)
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(migrate.stdout.contains("Applied version(s) 1, 2, 3, 4"))
        let status = try await run(["migrate", "--status", "--database-dir", Repository.databaseDirectory.path], environment: freshEnvironment)
        #expect(status.stdout.contains("3        applied  reminder_delivery_state"))

        // No run yet: status says so and exits non-zero for monitoring.
        let unhealthy = try await run(["status"], environment: environment)
        #expect(unhealthy.status == 1 && unhealthy.stderr.contains("no run has succeeded yet"))

        let interview = AshbyFixtures.interview()
        harness.ashby.upsertInterview(interview)
        harness.ashby.upsertSchedule(AshbyFixtures.schedule(events: [AshbyFixtures.event(interviewId: interview["id"]!.stringValue!, start: Date().addingTimeInterval(600), interviewers: [AshbyFixtures.interviewer(email: "ian@example.com")])]))
        harness.ashby.setApplication(AshbyFixtures.application())
        harness.slack.setUsers([SlackFixtures.human(id: "U01IAN0001", email: "ian@example.com")])
        let sync = try await run(["sync"], environment: environment)
        #expect(sync.status == 0, "\(sync.stderr)")
        let lines = sync.stderr.split(separator: "\n")
        let events = lines.compactMap { line -> [String: Any]? in
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
        #expect(events.count == lines.count, "every log line is JSON")
        #expect(events.allSatisfy { $0["ts"] != nil && $0["level"] != nil && $0["event"] != nil && $0["run_id"] != nil })
        #expect(events.contains { $0["event"] as? String == "run_started" })
        #expect(events.contains { $0["event"] as? String == "resource_synced" && $0["resource"] as? String == "interview_schedules" && $0["inserted"] as? Int == 1 })
        #expect(events.contains { $0["event"] as? String == "reminder_sent" })
        #expect(events.last?["event"] as? String == "run_finished")
        #expect(!sync.stderr.contains(SyncHarness.apiKey) && !sync.stderr.contains(SyncHarness.botToken))
        #expect(harness.slack.messages.count == 1)

        let healthy = try await run(["status", "--json"], environment: environment)
        #expect(healthy.status == 0, "\(healthy.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(healthy.stdout.utf8)) as? [String: Any])
        #expect(report["healthy"] as? Bool == true)
        #expect((report["runs"] as? [[String: Any]])?.first?["outcome"] as? String == "succeeded")

        // A second run at the same moment while the first holds the lock is covered by the engine tests;
        // here: a run against an Ashby that stays down exits 75 and status turns unhealthy.
        for _ in 0..<5 { harness.ashby.server.inject(.status(503), path: "/interviewSchedule.list") }
        let down = try await run(["sync", "--no-reminders"], environment: environment)
        expectOneLineFailure(down, status: 75, mentioning: "interviewSchedule.list")
        let afterFailure = try await run(["status"], environment: environment)
        #expect(afterFailure.status == 1 && afterFailure.stdout.contains("UNHEALTHY"))
    }
}
