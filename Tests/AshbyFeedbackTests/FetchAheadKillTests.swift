import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// The real binary killed (SIGKILL) while a schedule page is being fetched ahead of the page being
/// written: what is stored is whole pages only, the sync token has not moved, and the next backfill
/// finishes the job.
@Suite(.timeLimit(.minutes(2))) struct FetchAheadKillTests {
    static let pageSize = 10
    static let schedules = 50

    @Test func killWhileAPageIsFetchedAheadLeavesWholePagesAndNoToken() async throws {
        let harness = try await SyncHarness.start(pageSize: Self.pageSize)
        defer { Task { await harness.stop() } }
        let interview = AshbyFixtures.interview()
        harness.ashby.upsertInterview(interview)
        let interviewID = interview["id"]!.stringValue!
        for index in 0..<Self.schedules {
            harness.ashby.upsertSchedule(AshbyFixtures.schedule(events: [
                AshbyFixtures.event(
                    interviewId: interviewID, start: Date().addingTimeInterval(86_400 + Double(index) * 3600),
                    interviewers: [AshbyFixtures.interviewer(email: "ian@example.com")]),
            ]))
        }
        // The third schedule page hangs: it is requested while page 2 is written, or just after.
        let path = "/interviewSchedule.list"
        harness.ashby.server.inject(.delay(.zero), path: path, times: 2)
        harness.ashby.server.inject(.delay(.seconds(60)), path: path)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
        process.arguments = ["backfill", "--log-format", "json"]
        process.environment = [
            "PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory(), "DATABASE_URL": harness.database.url,
            "ASHBY_API_KEY": SyncHarness.apiKey, "ASHBY_API_URL": harness.ashby.baseURL,
            "SLACK_BOT_TOKEN": SyncHarness.botToken, "SLACK_API_URL": harness.slack.baseURL,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // Waits for the hanging request to arrive (the fake's signal, not a duration).
        let ashby = harness.ashby
        let arrived = try await offloaded { ashby.waitForRequests(path: path, count: 3, timeout: .seconds(60)) }
        try #require(arrived, "the third schedule page was never requested")
        try #require(process.isRunning, "the backfill ended before its third page")
        kill(process.processIdentifier, SIGKILL)
        try await offloaded { process.waitUntilExit() }
        #expect(process.terminationReason == .uncaughtSignal)

        let database = try harness.database.connect()
        let stored = try database.query("SELECT count(*) FROM interview_schedules").rows[0][0].decode(Int.self)
        #expect(stored % Self.pageSize == 0 && stored <= 2 * Self.pageSize, "whole pages only: \(stored) schedules stored")
        let events = try database.query("SELECT count(*) FROM interview_events").rows[0][0].decode(Int.self)
        #expect(events == stored, "each stored schedule with its one event")
        let audited = try database.query(
            "SELECT count(*) FROM ashby_webhook_payloads WHERE action = 'interviewSchedule.list'").rows[0][0].decode(Int.self)
        #expect(audited == stored, "the audit rows of the committed pages, no more")
        let token = try database.query(
            "SELECT count(*) FROM sync_state WHERE resource = $1 AND sync_token IS NOT NULL", [Resource.schedules])
        #expect(try token.rows[0][0].decode(Int.self) == 0, "no sync token before the last page")

        // The next backfill (no fault left) stores everything and then the token.
        let rerun = try await offloaded {
            try Subprocess.run(CommandLineTests.binary, ["backfill", "--log-format", "json"], environment: process.environment)
        }
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try database.query("SELECT count(*) FROM interview_schedules").rows[0][0].decode(Int.self) == Self.schedules)
        #expect(try database.query(
            "SELECT count(*) FROM sync_state WHERE resource = $1 AND sync_token IS NOT NULL", [Resource.schedules]
        ).rows[0][0].decode(Int.self) == 1)
    }
}
