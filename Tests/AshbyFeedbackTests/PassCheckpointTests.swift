import Foundation
import Postgres
import Synchronization
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 18 item 6: a pass longer than one run's budget still finishes. Each committed page records
/// where the pass stands in its own transaction; the next run continues from there (cursor alone, no
/// token), restarts the pass when Ashby refuses the saved cursor, and a full pass spread over runs
/// reconciles against its original start. The budget is ended by the test's clock after a given
/// number of committed schedule pages.
@Suite(.timeLimit(.minutes(3))) struct PassCheckpointTests {
    let noReminders = SyncRequest(kind: .sync, sendReminders: false)
    static let path = "/interviewSchedule.list"

    /// One interview and schedules of one event each, in the fake's page order.
    struct Tenant {
        let interviewID: String
        private(set) var scheduleIDs: [String] = []
        private(set) var eventIDs: [String] = []

        init(_ ashby: FakeAshby) {
            let interview = AshbyFixtures.interview(title: "System Design")
            ashby.upsertInterview(interview)
            interviewID = interview["id"]!.stringValue!
        }

        mutating func addSchedules(_ count: Int, to ashby: FakeAshby, createdAt: Date? = nil) {
            for index in 0..<count {
                let event = AshbyFixtures.event(
                    interviewId: interviewID, start: Date().addingTimeInterval(86_400 + Double(scheduleIDs.count + index) * 3600),
                    interviewers: [AshbyFixtures.interviewer(email: "ian@example.com")])
                var schedule = AshbyFixtures.schedule(events: [event])
                if let createdAt { schedule["createdAt"] = .string(AshbyFixtures.timestamp(createdAt)) }
                ashby.upsertSchedule(schedule)
                scheduleIDs.append(schedule["id"]!.stringValue!)
                eventIDs.append(event["id"]!.stringValue!)
            }
        }
    }

    /// The schedules pass's latest checkpoint row.
    struct StoredCheckpoint {
        var page: Int
        var items: Int
        var cursor: String
        var fullPass: Bool
        var startToken: String?
        var createdAfter: Date?
    }

    static func checkpoint(_ harness: SyncHarness) throws -> StoredCheckpoint? {
        try harness.connect().query("""
            SELECT page, items, next_cursor, full_pass, start_token, created_after FROM sync_pass_checkpoints
            WHERE resource = $1 ORDER BY page DESC LIMIT 1
            """, [Resource.schedules]).rows.first.map { row in
            StoredCheckpoint(
                page: try row[0].decode(Int.self), items: try row[1].decode(Int.self), cursor: try row[2].decode(String.self),
                fullPass: try row[3].decode(Bool.self), startToken: try row[4].decode(String?.self),
                createdAfter: try row[5].decode(Date?.self))
        }
    }

    /// A clock whose data budget is spent once `pages` schedule pages have been seen committed.
    static func budgetEndingAfter(_ pages: Int, now: Date) -> (RunClock, PageCounter) {
        let counter = PageCounter(resource: Resource.schedules)
        let clock = RunClock(now: { now }, elapsed: { counter.committed >= pages ? .seconds(3600) : .zero })
        return (clock, counter)
    }

    /// The schedule list requests sent since `start` requests.
    static func requests(_ ashby: FakeAshby, after start: Int) -> [JSONValue] {
        Array(ashby.requestBodies(path: path).dropFirst(start))
    }

    /// Runs a sync whose budget ends after 2 committed schedule pages, expecting it to stop there.
    private func runOutOfBudget(_ harness: SyncHarness, _ request: SyncRequest? = nil, now: Date) async throws -> Failure? {
        let (clock, counter) = Self.budgetEndingAfter(2, now: now)
        do {
            try await harness.run(request ?? noReminders, clock: clock, observer: counter)
            Issue.record("expected the run to stop at its budget")
            return nil
        } catch {
            return Failure(error)
        }
    }

    // MARK: Continuing

    @Test func aPassStoppedByTheBudgetContinuesInTheNextRunFromItsCheckpoint() async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        var tenant = Tenant(harness.ashby)
        tenant.addSchedules(1, to: harness.ashby)
        let now = Date()
        try await harness.run(noReminders, now: now)
        let firstToken = try #require(try harness.syncToken(Resource.schedules))

        // Six changes: an incremental pass of six pages, stopped by the budget after page 2.
        tenant.addSchedules(6, to: harness.ashby)
        let before = harness.ashby.requestCount(path: Self.path)
        let failure = try #require(try await runOutOfBudget(harness, now: now))
        #expect(failure.status == .unavailable && failure.description.contains("RUN_BUDGET_SECONDS"))
        #expect(failure.description.contains("continues the pass"))
        #expect(try harness.syncToken(Resource.schedules) == firstToken, "the token moves only when the whole pass committed")
        // The page in flight when the budget ended commits too: the checkpoint is the last committed page.
        let saved = try #require(try Self.checkpoint(harness))
        #expect((2..<6).contains(saved.page))
        #expect(try harness.count("interview_schedules") == 1 + saved.page, "the checkpoint is exactly where the committed data ends")
        #expect(saved.items == saved.page && !saved.fullPass && saved.startToken == firstToken)
        let status = try StatusReport.read(try harness.connect(), runLimit: 5, maxAgeMinutes: 60, now: now)
        let inProgress = try #require(status.resources.first { $0.resource == Resource.schedules }?.passInProgress)
        #expect(inProgress.pages == saved.page && inProgress.items == saved.page && !inProgress.fullPass)
        let runOne = Self.requests(harness.ashby, after: before)
        #expect(runOne.first?["syncToken"]?.stringValue == firstToken)

        // The next run continues at the saved cursor, with the cursor alone, and finishes the pass.
        let resumed = harness.ashby.requestCount(path: Self.path)
        let (outcome, summary) = try await harness.run(noReminders, now: now.addingTimeInterval(300))
        #expect(outcome == .succeeded)
        let runTwo = Self.requests(harness.ashby, after: resumed)
        #expect(runTwo.first?["cursor"]?.stringValue == saved.cursor, "asked for the page after the checkpoint")
        #expect(runTwo.allSatisfy { $0["syncToken"] == nil }, "a continued pass sends no token")
        #expect(runTwo.count == 6 - saved.page, "no page fetched again")
        #expect(summary.resources["interview_schedules"]?.fetched == 6 - saved.page)
        #expect(try harness.count("interview_schedules") == 7)
        let newToken = try #require(try harness.syncToken(Resource.schedules))
        #expect(newToken != firstToken)
        #expect(try harness.count("sync_pass_checkpoints") == 0, "the checkpoint goes with the completed pass")
        #expect(harness.logs.contains(#""event":"pass_continued""#))
        let after = try StatusReport.read(try harness.connect(), runLimit: 5, maxAgeMinutes: 60, now: now)
        #expect(after.resources.first { $0.resource == Resource.schedules }?.passInProgress == nil)

        // The token of the continued pass covers the changes it saw: the next pass finds none.
        let (_, next) = try await harness.run(noReminders, now: now.addingTimeInterval(600))
        #expect(next.resources["interview_schedules"]?.fetched == 0)
        #expect(Self.requests(harness.ashby, after: resumed + runTwo.count).first?["syncToken"]?.stringValue == newToken)
    }

    @Test(arguments: ["next_cursor_expired", "invalid_next_cursor"])
    func aSavedCursorAshbyRefusesRestartsThePass(code: String) async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        var tenant = Tenant(harness.ashby)
        tenant.addSchedules(1, to: harness.ashby)
        let now = Date()
        try await harness.run(noReminders, now: now)
        let firstToken = try #require(try harness.syncToken(Resource.schedules))
        tenant.addSchedules(5, to: harness.ashby)
        _ = try await runOutOfBudget(harness, now: now)
        let saved = try #require(try Self.checkpoint(harness))

        harness.ashby.expireCursors(code: code)
        let resumed = harness.ashby.requestCount(path: Self.path)
        let (outcome, summary) = try await harness.run(noReminders, now: now.addingTimeInterval(300))
        #expect(outcome == .succeeded)
        let runTwo = Self.requests(harness.ashby, after: resumed)
        #expect(runTwo.first?["cursor"]?.stringValue == saved.cursor && runTwo.first?["syncToken"] == nil)
        // Refused: the pass starts over from the token it started from, which goes with its first page only.
        #expect(runTwo.dropFirst().first?["syncToken"]?.stringValue == firstToken)
        #expect(runTwo.dropFirst().first?["cursor"] == nil)
        #expect(runTwo.dropFirst(2).allSatisfy { $0["syncToken"] == nil && $0["cursor"] != nil })
        #expect(summary.resources["interview_schedules"]?.fetched == 5, "the whole pass again")
        #expect(try harness.count("interview_schedules") == 6)
        #expect(try harness.syncToken(Resource.schedules) != firstToken)
        #expect(try harness.count("sync_pass_checkpoints") == 0)
        #expect(harness.logs.contains(#""event":"ashby_pagination_restarted""#) && harness.logs.contains(code))
    }

    /// Also: a record set aside on a page of run 1 is still set aside after the pass completes in run 2
    /// (the full pass saw it, in an earlier run).
    @Test func aFullPassOverTwoRunsReconcilesAgainstItsOriginalStart() async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        var tenant = Tenant(harness.ashby)
        // First in page order: a schedule whose event has no start, which cannot be stored.
        var unstorable = AshbyFixtures.schedule(events: [AshbyFixtures.event(interviewId: tenant.interviewID, start: Date())])
        var events = unstorable["interviewEvents"]!.arrayValue!
        events[0]["startTime"] = nil
        unstorable["interviewEvents"] = .array(events)
        harness.ashby.upsertSchedule(unstorable)
        tenant.addSchedules(7, to: harness.ashby)
        let now = Date()
        try await harness.run(noReminders, now: now)
        #expect(try harness.count("quarantined_records") == 1)
        // The last schedule is deleted in Ashby (no tombstone), and the token expires: the next pass is
        // a full one, and only a full pass can tell the schedule is gone.
        let deleted = tenant.eventIDs[6]
        harness.ashby.deleteSchedule(id: tenant.scheduleIDs[6])
        harness.ashby.expireSyncTokens()

        _ = try await runOutOfBudget(harness, now: now.addingTimeInterval(300))
        let saved = try #require(try Self.checkpoint(harness))
        #expect(saved.fullPass && saved.startToken == nil)
        #expect(try harness.count("interview_events", where: "removed_at IS NOT NULL") == 0, "nothing reconciled before the pass completed")

        let resumed = harness.ashby.requestCount(path: Self.path)
        let (outcome, summary) = try await harness.run(noReminders, now: now.addingTimeInterval(600))
        #expect(outcome == .succeeded)
        #expect(harness.ashby.requestCount(path: Self.path) - resumed == 7 - saved.page, "continued, not started over")
        #expect(try harness.count("quarantined_records") == 1, "seen by the pass on run 1's first page: still set aside")
        // The schedules of run 1's pages were seen by the pass: their events stay.
        for event in tenant.eventIDs.prefix(6) {
            #expect(try harness.count("interview_events", where: "event_id = '\(event)' AND removed_at IS NULL") == 1)
        }
        #expect(try harness.count("interview_events", where: "event_id = '\(deleted)' AND removed_at IS NOT NULL") == 1)
        #expect(summary.resources["interview_events"]?.deleted == 1)
        let fullPass = try harness.connect().query(
            "SELECT last_full_pass_at FROM sync_state WHERE resource = $1", [Resource.schedules]).rows[0][0].decode(Date?.self)
        #expect(abs((fullPass ?? .distantPast).timeIntervalSince(now.addingTimeInterval(600))) < 0.001, "recorded as a full pass")
    }

    /// Audit retention shorter than a full pass in progress: the rows its reconcile will count as seen
    /// stay until it completes, older ones go.
    @Test func auditRowsOfAFullPassInProgressOutliveTheRetention() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let database = try harness.connect()
        try database.execute("""
            INSERT INTO ashby_webhook_payloads (action, payload, received_at) VALUES
              ('interviewSchedule.list', '{}', now() - interval '11 days'), ('interviewSchedule.list', '{}', now() - interval '9 days')
            """)
        try database.execute("""
            INSERT INTO sync_pass_checkpoints (resource, page, items, next_cursor, full_pass, pass_started_at, run_id)
            VALUES ($1, 1, 1, 'c', true, now() - interval '10 days', gen_random_uuid())
            """, [Resource.schedules])
        #expect(try AuditStore(connection: database).prune(olderThanDays: 7) == 1)
        #expect(try harness.count("ashby_webhook_payloads", where: "received_at > now() - interval '10 days'") == 1)
        try database.execute("DELETE FROM sync_pass_checkpoints")
        #expect(try AuditStore(connection: database).prune(olderThanDays: 7) == 1, "once the pass is done, retention applies")
    }

    // MARK: Never ahead of the data

    /// Page 4's transaction fails (a trigger refuses one of its rows): pages 1–3 stay committed with
    /// their checkpoint, page 4's checkpoint (and any page after it in flight) rolls back with it.
    @Test func aFailingPageLeavesThePreviousCheckpoint() async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        var tenant = Tenant(harness.ashby)
        tenant.addSchedules(6, to: harness.ashby)
        let database = try harness.connect()
        try database.execute("""
            CREATE FUNCTION refuse_schedule() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'refused by the test'; END $$
            """)
        try database.execute("""
            CREATE TRIGGER refuse_schedule BEFORE INSERT ON interview_schedules FOR EACH ROW
            WHEN (NEW.schedule_id = '\(tenant.scheduleIDs[3])') EXECUTE FUNCTION refuse_schedule()
            """)
        let failure = try #require(await harness.failedRun(noReminders))
        #expect(failure.description.contains("refused by the test"))
        #expect(try harness.count("interview_schedules") == 3)
        let saved = try #require(try Self.checkpoint(harness))
        #expect(saved.page == 3 && saved.items == 3 && saved.fullPass)
        #expect(try harness.count("sync_pass_checkpoints") == 3, "one row per committed page, none for the failed ones")
        // Page 4 was asked for with page 3's cursor: that is where the pass continues.
        let bodies = harness.ashby.requestBodies(path: Self.path)
        #expect(bodies[3]["cursor"]?.stringValue == saved.cursor)
        #expect(try harness.syncToken(Resource.schedules) == nil)

        try database.execute("DROP TRIGGER refuse_schedule ON interview_schedules")
        let resumed = harness.ashby.requestCount(path: Self.path)
        let (outcome, _) = try await harness.run(noReminders)
        #expect(outcome == .succeeded)
        #expect(Self.requests(harness.ashby, after: resumed).first?["cursor"]?.stringValue == saved.cursor)
        #expect(try harness.count("interview_schedules") == 6)
        #expect(try harness.syncToken(Resource.schedules) != nil)
        #expect(try harness.count("sync_pass_checkpoints") == 0)
    }

    // MARK: Which run continues which pass

    @Test func aBackfillStartsOverAfterAnIncrementalPassButContinuesAFullOne() async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        var tenant = Tenant(harness.ashby)
        tenant.addSchedules(1, to: harness.ashby)
        let now = Date()
        try await harness.run(noReminders, now: now)
        tenant.addSchedules(5, to: harness.ashby)
        _ = try await runOutOfBudget(harness, now: now)
        #expect(try Self.checkpoint(harness)?.fullPass == false)

        // A backfill is a full pass: an incremental pass's checkpoint is no place to continue it from.
        var start = harness.ashby.requestCount(path: Self.path)
        try await harness.run(SyncRequest(kind: .backfill, sendReminders: false), now: now)
        let backfill = Self.requests(harness.ashby, after: start)
        #expect(backfill.first?["cursor"] == nil && backfill.first?["syncToken"] == nil)
        #expect(backfill.count == 6)
        #expect(harness.logs.contains(#""event":"pass_checkpoint_dropped""#))
        #expect(try harness.count("sync_pass_checkpoints") == 0)

        // A full pass (the fallback after an expired token) stopped by the budget: a backfill continues it.
        tenant.addSchedules(1, to: harness.ashby)
        harness.ashby.expireSyncTokens()
        _ = try await runOutOfBudget(harness, now: now.addingTimeInterval(300))
        let saved = try #require(try Self.checkpoint(harness))
        #expect(saved.fullPass)
        start = harness.ashby.requestCount(path: Self.path)
        let (outcome, _) = try await harness.run(SyncRequest(kind: .backfill, sendReminders: false), now: now.addingTimeInterval(600))
        #expect(outcome == .succeeded)
        let continued = Self.requests(harness.ashby, after: start)
        #expect(continued.first?["cursor"]?.stringValue == saved.cursor)
        #expect(continued.count == 7 - saved.page)
        #expect(try harness.count("interview_schedules") == 7)
        #expect(try harness.count("sync_pass_checkpoints") == 0)
    }

    /// A `--since` backfill's pass is filtered: the same backfill may continue it, a sync must not (it
    /// would store a token and reconcile as if it had seen everything).
    @Test func aFilteredBackfillIsContinuedOnlyByTheSameBackfill() async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        var tenant = Tenant(harness.ashby)
        tenant.addSchedules(2, to: harness.ashby)   // created long ago (the fixtures' 2024 date)
        try await harness.run(noReminders)
        let token = try harness.syncToken(Resource.schedules)
        let since = Calendar(identifier: .gregorian).startOfDay(for: Date().addingTimeInterval(-86_400))
        tenant.addSchedules(5, to: harness.ashby, createdAt: Date())
        let database = try harness.connect()
        try database.execute("""
            CREATE FUNCTION refuse_schedule() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'refused by the test'; END $$
            """)
        try database.execute("""
            CREATE TRIGGER refuse_schedule BEFORE INSERT ON interview_schedules FOR EACH ROW
            WHEN (NEW.schedule_id = '\(tenant.scheduleIDs[5])') EXECUTE FUNCTION refuse_schedule()
            """)
        let filtered = SyncRequest(kind: .backfill, since: since, sendReminders: false)
        _ = await harness.failedRun(filtered)
        let saved = try #require(try Self.checkpoint(harness))
        #expect(saved.page == 3 && saved.fullPass && saved.createdAfter == since)
        try database.execute("DROP TRIGGER refuse_schedule ON interview_schedules")

        // The same backfill continues it, with its filter.
        try await harness.run(filtered)
        #expect(try harness.count("interview_schedules") == 7)
        #expect(try harness.syncToken(Resource.schedules) == token, "a filtered pass stores no token")
        let continued = harness.ashby.requestBodies(path: Self.path).suffix(2)
        #expect(continued.first?["cursor"]?.stringValue == saved.cursor && continued.first?["createdAfter"] != nil)
        #expect(try harness.count("sync_pass_checkpoints") == 0)

        // A sync never continues a filtered pass: it drops the checkpoint and passes from its token. (The
        // filtered backfill is stopped at its fourth page again, this time by an update it cannot make.)
        try database.execute("""
            CREATE TRIGGER refuse_schedule BEFORE UPDATE ON interview_schedules FOR EACH ROW
            WHEN (NEW.schedule_id = '\(tenant.scheduleIDs[5])') EXECUTE FUNCTION refuse_schedule()
            """)
        for id in tenant.scheduleIDs.suffix(5) { harness.ashby.modifySchedule(id: id) { $0["status"] = "Complete" } }
        _ = await harness.failedRun(filtered)
        #expect(try Self.checkpoint(harness)?.createdAfter == since)
        try database.execute("DROP TRIGGER refuse_schedule ON interview_schedules")
        let start = harness.ashby.requestCount(path: Self.path)
        let (outcome, _) = try await harness.run(noReminders)
        #expect(outcome == .succeeded)
        let sync = Self.requests(harness.ashby, after: start)
        #expect(sync.first?["cursor"] == nil && sync.first?["createdAfter"] == nil)
        #expect(sync.first?["syncToken"]?.stringValue == token)
        #expect(harness.logs.contains("filtered backfill"))
        #expect(try harness.count("interview_schedules", where: "status = 'Complete'") == 5)
        #expect(try harness.count("sync_pass_checkpoints") == 0)
    }

    @Test func theCheckpointDecidesWhichRunContinuesWhichPass() {
        let day = Date(timeIntervalSince1970: 1_800_000_000)
        let full = PassCheckpoint(pages: 3, items: 300, cursor: "c", startToken: nil, createdAfter: nil, passStarted: "t")
        let incremental = PassCheckpoint(pages: 3, items: 300, cursor: "c", startToken: "T", createdAfter: nil, passStarted: "t")
        let filtered = PassCheckpoint(pages: 3, items: 300, cursor: "c", startToken: nil, createdAfter: day, passStarted: "t")
        // A sync (from token T) continues a full pass or its own incremental one.
        #expect(full.continues(syncToken: "T", createdAfter: nil))
        #expect(incremental.continues(syncToken: "T", createdAfter: nil))
        #expect(!incremental.continues(syncToken: "U", createdAfter: nil))
        #expect(!filtered.continues(syncToken: "T", createdAfter: nil))
        // A backfill (no token) continues a full pass, never an incremental one; `--since` only its own.
        #expect(full.continues(syncToken: nil, createdAfter: nil))
        #expect(!incremental.continues(syncToken: nil, createdAfter: nil))
        #expect(filtered.continues(syncToken: nil, createdAfter: day))
        #expect(!filtered.continues(syncToken: nil, createdAfter: day.addingTimeInterval(86_400)))
        #expect(!full.continues(syncToken: nil, createdAfter: day))
    }
}

/// Counts the committed pages of one resource's pass in this run, for a clock that ends the budget.
final class PageCounter: RunObserver, Sendable {
    let resource: String
    private let pages = Mutex(0)

    init(resource: String) {
        self.resource = resource
    }

    func progress(_ update: RunProgress) {
        if update.resource == resource { pages.withLock { $0 = update.pages } }
    }

    var committed: Int { pages.withLock { $0 } }
}
