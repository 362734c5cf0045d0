import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// The real binary killed (SIGKILL) while a schedule page is being fetched ahead of the page being
/// written, or while two pages are being written at once: what is stored is whole pages only, the
/// sync token has not moved, the pass's checkpoint is exactly the last committed page, and the next
/// backfill continues from there and finishes the job.
@Suite(.timeLimit(.minutes(2))) struct FetchAheadKillTests {
    static let pageSize = 10
    static let schedules = 50

    @Test func killWhileAPageIsFetchedAheadLeavesWholePagesAndNoToken() async throws {
        let harness = try await SyncHarness.start(pageSize: Self.pageSize)
        defer { Task { await harness.stop() } }
        _ = Self.tenant(harness.ashby)
        // The third schedule page hangs: it is requested while page 2 is written, or just after.
        let path = "/interviewSchedule.list"
        harness.ashby.server.inject(.delay(.zero), path: path, times: 2)
        harness.ashby.server.inject(.delay(.seconds(60)), path: path)

        let process = try Self.startBackfill(harness)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // Waits for the hanging request to arrive (the fake's signal, not a duration).
        let ashby = harness.ashby
        let arrived = try await offloaded { ashby.waitForRequests(path: path, count: 3, timeout: .seconds(60)) }
        try #require(arrived, "the third schedule page was never requested")
        try #require(process.isRunning, "the backfill ended before its third page")
        kill(process.processIdentifier, SIGKILL)
        try await offloaded { process.waitUntilExit() }
        #expect(process.terminationReason == .uncaughtSignal)

        let stored = try harness.count("interview_schedules")
        #expect(stored % Self.pageSize == 0 && stored <= 2 * Self.pageSize, "whole pages only: \(stored) schedules stored")
        try await Self.expectWholePagesThenARerunFinishes(harness, stored: stored, environment: process.environment)
    }

    /// Pages 2 and 3 held inside their transactions (both lanes of the page writer busy, neither
    /// committed), then the kill: only page 1 is stored.
    @Test func killWhileTwoPagesAreWrittenAtOnceLeavesOnlyTheCommittedPage() async throws {
        let harness = try await SyncHarness.start(pageSize: Self.pageSize)
        defer { Task { await harness.stop() } }
        let scheduleIDs = Self.tenant(harness.ashby)
        let gate = try harness.connect()
        try gate.execute("SELECT pg_advisory_lock(4711)")
        try gate.execute("""
            CREATE FUNCTION hold_pages() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock_shared(4711);
                RETURN NEW;
            END $$
            """)
        try gate.execute("""
            CREATE TRIGGER hold_pages BEFORE INSERT ON interview_schedules FOR EACH ROW
            WHEN (NEW.schedule_id = ANY('{\(scheduleIDs[Self.pageSize...].prefix(2 * Self.pageSize).joined(separator: ","))}'::uuid[]))
            EXECUTE FUNCTION hold_pages()
            """)

        let process = try Self.startBackfill(harness)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // Both pages are inside their transactions once two sessions wait for the gate (the gate is
        // not released before the kill).
        let gateBox = Unchecked(gate)
        let waiting = try await offloaded { try gateBox.value.waitForAdvisoryLockWaiters(2) }
        try #require(waiting, "two pages never waited inside their transactions")
        try #require(process.isRunning)
        kill(process.processIdentifier, SIGKILL)
        try await offloaded { process.waitUntilExit() }
        // The sessions of the killed process still wait at the gate: the server would go on with what
        // they had been sent (whole pages, in order) once it opened. End them, as the server does once it
        // notices their client is gone: their pages roll back. (Dropping the trigger first would wait for
        // their table locks while they wait for the gate: a deadlock.)
        try gate.execute("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
            """)
        try gate.execute("SELECT pg_advisory_unlock(4711)")
        try gate.execute("DROP TRIGGER hold_pages ON interview_schedules")

        #expect(try harness.count("interview_schedules") == Self.pageSize, "page 1 only")
        try await Self.expectWholePagesThenARerunFinishes(harness, stored: Self.pageSize, environment: process.environment)
    }

    /// `schedules` schedules of one event each, their ids in page order.
    private static func tenant(_ ashby: FakeAshby) -> [String] {
        let interview = AshbyFixtures.interview()
        ashby.upsertInterview(interview)
        let interviewID = interview["id"]!.stringValue!
        return (0..<schedules).map { index in
            let schedule = AshbyFixtures.schedule(events: [
                AshbyFixtures.event(
                    interviewId: interviewID, start: Date().addingTimeInterval(86_400 + Double(index) * 3600),
                    interviewers: [AshbyFixtures.interviewer(email: "ian@example.com")]),
            ])
            ashby.upsertSchedule(schedule)
            return schedule["id"]!.stringValue!
        }
    }

    static func startBackfill(_ harness: SyncHarness) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
        process.arguments = ["backfill", "--log-format", "json"]
        process.environment = BinaryRun.environment([
            "DATABASE_URL": harness.database.url,
            "ASHBY_API_KEY": SyncHarness.apiKey, "ASHBY_API_URL": harness.ashby.baseURL,
            "SLACK_BOT_TOKEN": SyncHarness.botToken, "SLACK_API_URL": harness.slack.baseURL,
        ])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// After a kill: each stored schedule with its event and audit row, no token, the checkpoint at the
    /// last committed page; then a backfill (no fault left) continues there and stores everything and
    /// the token.
    private static func expectWholePagesThenARerunFinishes(
        _ harness: SyncHarness, stored: Int, environment: [String: String]?
    ) async throws {
        let database = try harness.database.connect()
        let events = try database.query("SELECT count(*) FROM interview_events").rows[0][0].decode(Int.self)
        #expect(events == stored, "each stored schedule with its one event")
        let audited = try database.query(
            "SELECT count(*) FROM ashby_webhook_payloads WHERE action = 'interviewSchedule.list'").rows[0][0].decode(Int.self)
        #expect(audited == stored, "the audit rows of the committed pages, no more")
        let token = try database.query(
            "SELECT count(*) FROM sync_state WHERE resource = $1 AND sync_token IS NOT NULL", [Resource.schedules])
        #expect(try token.rows[0][0].decode(Int.self) == 0, "no sync token before the last page")
        let checkpoint = try database.query(
            "SELECT max(page), count(*) FROM sync_pass_checkpoints WHERE resource = $1", [Resource.schedules]).rows[0]
        #expect(try checkpoint[0].decode(Int?.self) == (stored > 0 ? stored / pageSize : nil), "the checkpoint is the last committed page")
        #expect(try checkpoint[1].decode(Int.self) == stored / pageSize, "one checkpoint row per committed page, none for the others")

        // The next backfill (no fault left) continues the pass, stores everything and then the token.
        let rerun = try await offloaded {
            try Subprocess.run(CommandLineTests.binary, ["backfill", "--log-format", "json"], environment: environment)
        }
        #expect(rerun.status == 0, "\(rerun.stderr)")
        // Its log, not the fake's request count: a request the killed process sent may arrive late.
        let synced = rerun.stderr.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }.first { $0["event"] as? String == "resource_synced" && $0["resource"] as? String == Resource.schedules }
        #expect(synced?["fetched"] as? Int == schedules - stored, "only the pages after the checkpoint")
        #expect(synced?["continued_after_page"] as? Int == (stored > 0 ? stored / pageSize : nil))
        #expect(try database.query("SELECT count(*) FROM interview_schedules").rows[0][0].decode(Int.self) == Self.schedules)
        #expect(try database.query("SELECT count(*) FROM sync_pass_checkpoints").rows[0][0].decode(Int.self) == 0)
        #expect(try database.query(
            "SELECT count(*) FROM sync_state WHERE resource = $1 AND sync_token IS NOT NULL", [Resource.schedules]
        ).rows[0][0].decode(Int.self) == 1)
    }
}
