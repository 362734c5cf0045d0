import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 20: the real binary killed (SIGKILL) in the middle of the applications pass, while a page of
/// `application.list` is fetched: what is stored is whole pages only (each with its audit row), the
/// sync token has not moved, the pass's checkpoint is the last committed page, and the next backfill
/// continues from there and finishes the pass.
@Suite(.timeLimit(.minutes(2))) struct ApplicationPassKillTests {
    static let pageSize = 10
    static let applications = 50
    static let path = "/application.list"

    @Test func killDuringTheApplicationPassLeavesWholePagesAndNoTokenAndTheNextRunFinishes() async throws {
        let harness = try await SyncHarness.start(pageSize: Self.pageSize)
        defer { Task { await harness.stop() } }
        harness.ashby.setApplications((0..<Self.applications).map { AshbyFixtures.application(candidateName: "Candidate \($0)") })
        // The fourth page hangs. The fetch-ahead thread holds at most one page besides the one in flight,
        // so it asks for page 4 only once page 2 was taken, after page 1 committed: at least one page
        // is stored, at most three.
        harness.ashby.server.inject(.delay(.zero), path: Self.path, times: 3)
        harness.ashby.server.inject(.delay(.seconds(60)), path: Self.path)

        let process = try FetchAheadKillTests.startBackfill(harness)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let ashby = harness.ashby
        let arrived = try await offloaded { ashby.waitForRequests(path: Self.path, count: 4, timeout: .seconds(60)) }
        try #require(arrived, "the fourth application page was never requested")
        try #require(process.isRunning, "the backfill ended before its fourth page")
        kill(process.processIdentifier, SIGKILL)
        try await offloaded { process.waitUntilExit() }
        #expect(process.terminationReason == .uncaughtSignal)

        let database = try harness.connect()
        func count(_ sql: String, _ parameters: [PostgresBindable?] = []) throws -> Int {
            try database.query(sql, parameters).rows[0][0].decode(Int.self)
        }
        let stored = try count("SELECT count(*) FROM applications")
        #expect(stored % Self.pageSize == 0 && stored >= Self.pageSize && stored <= 3 * Self.pageSize,
                "whole committed pages only: \(stored) applications stored")
        #expect(try count("SELECT count(*) FROM ashby_webhook_payloads WHERE action = 'application.list'") == stored / Self.pageSize,
                "the audit rows of the committed pages, no more")
        #expect(try count("SELECT count(*) FROM sync_state WHERE resource = $1 AND sync_token IS NOT NULL", [Resource.applications]) == 0,
                "no sync token before the last page")
        let checkpoint = try database.query(
            "SELECT max(page), count(*) FROM sync_pass_checkpoints WHERE resource = $1", [Resource.applications]).rows[0]
        #expect(try checkpoint[0].decode(Int?.self) == stored / Self.pageSize, "the checkpoint is the last committed page")

        // The next backfill (no fault left) continues the pass, stores every application and then the token.
        let rerun = try await offloaded {
            try Subprocess.run(CommandLineTests.binary, ["backfill", "--log-format", "json"], environment: process.environment)
        }
        #expect(rerun.status == 0, "\(rerun.stderr)")
        // Its log, not the fake's request count: a request the killed process sent may arrive late.
        let synced = rerun.stderr.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }.first { $0["event"] as? String == "resource_synced" && $0["resource"] as? String == Resource.applications }
        #expect(synced?["fetched"] as? Int == Self.applications - stored, "only the pages after the checkpoint")
        #expect(synced?["continued_after_page"] as? Int == stored / Self.pageSize)
        #expect(try count("SELECT count(*) FROM applications") == Self.applications)
        #expect(try count("SELECT count(*) FROM sync_pass_checkpoints") == 0)
        #expect(try count("SELECT count(*) FROM sync_state WHERE resource = $1 AND sync_token IS NOT NULL", [Resource.applications]) == 1)
    }
}
