import AshbyAPI
import CurlHTTP
import Dispatch
import Foundation
import Logging
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// The page writer's promises against a real PostgreSQL: pages of a pass are written at the same time
/// on connections of their own, yet commit in page order, a failed page takes the pages after it down, a page
/// sharing a key with the one before reads after it committed, and without a second connection pages
/// are written one after another. Each page's body writes one row of `page_rows`.
@Suite(.timeLimit(.minutes(2))) struct OrderedPageWriterTests {
    struct PageFailed: Error {}

    /// As many pages as lanes are written at once: page 1 holds its transaction open until every later
    /// page has done its work, and none of them may commit before it.
    @Test(arguments: [2, 3])
    func pagesAreWrittenAtOnceButCommitInOrder(lanes: Int) async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        try harness.connect().execute(Self.pageRows)
        let laterDone = DispatchSemaphore(value: 0)
        let observed = Observations()

        try await offloaded {
            let (context, _) = try Self.context(harness)
            let writer = OrderedPageWriter(context: context, lanes: lanes)
            let observer = try harness.connect()
            let first = Self.page(1, keys: ["schedule-1"]) { connection in
                // The later pages are written meanwhile (rows in, transactions open); none may commit first.
                observed.secondWroteMeanwhile = (2...lanes).allSatisfy { _ in laterDone.wait(timeout: .now() + 10) == .success }
                observed.secondVisibleBeforeFirstCommitted = try Self.rows(observer) != []
            }
            observed.committed.append(try writer.submit(first).map(\.items))
            for number in 2...lanes {
                observed.committed.append(try writer.submit(Self.page(number, keys: ["schedule-\(number)"]) { _ in laterDone.signal() }).map(\.items))
            }
            observed.rows.append(try Self.rows(observer))
            observed.committed.append(try writer.finish().map(\.items))
            observed.rows.append(try Self.rows(observer))
        }
        // submit waits for the oldest page only once every lane is busy.
        #expect(observed.committed == Array(repeating: [], count: lanes - 1) + [[1], Array(2...lanes)])
        #expect(observed.rows.first?.contains(1) == true, "page 1 is committed when the last submit returns")
        #expect(observed.rows.last == Array(1...lanes))
        #expect(observed.secondWroteMeanwhile, "the later pages waited for page 1 instead of being written beside it")
        #expect(!observed.secondVisibleBeforeFirstCommitted, "a later page committed before page 1")
    }

    /// Page 1 has done its work and sent its COMMIT, but a statement queued before it waits on a gate
    /// the test holds; page 2, done too, must not commit before page 1 (the server holds its COMMIT),
    /// and rolls back when page 1 fails there after all.
    @Test(arguments: [false, true])
    func thePageAfterCommitsOnlyOnceThePageBeforeHas(firstFails: Bool) async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        try harness.connect().execute(Self.pageRows)
        let gate = Unchecked(try harness.connect())
        try gate.value.execute("SELECT pg_advisory_lock(4712)")
        let observed = Observations()

        async let writing: Void = offloaded {
            let (context, _) = try Self.context(harness)
            let writer = OrderedPageWriter(context: context, lanes: 2)
            let first = Self.page(1, keys: ["schedule-a"]) { connection in
                try connection.enqueue("SELECT pg_advisory_xact_lock_shared(4712)")
                if firstFails { try connection.enqueue("SELECT 1 / 0") }
            }
            do {
                observed.committed.append(try writer.submit(first).map(\.items))
                observed.committed.append(try writer.submit(Self.page(2, keys: ["schedule-b"]) { _ in }).map(\.items))
                observed.committed.append(try writer.finish().map(\.items))
            } catch {
                observed.error = "\(error)"
                writer.abandon()
            }
        }
        // Page 1 waits at the gate, page 2 at page 1's turn: both have sent their COMMIT.
        let bothWaiting = try await offloaded { try gate.value.waitForAdvisoryLockWaiters(2, attempts: 1000) }
        let visibleBeforeTheGateOpened = try Self.rows(gate.value)
        try gate.value.execute("SELECT pg_advisory_unlock(4712)")
        try await writing

        #expect(bothWaiting, "page 2 committed without waiting for page 1")
        #expect(visibleBeforeTheGateOpened == [])
        if firstFails {
            #expect(observed.error?.contains("division by zero") == true, "page 1's own error is reported: \(observed.error ?? "none")")
            #expect(try Self.rows(harness.connect()) == [], "page 2 rolled back with page 1")
        } else {
            #expect(observed.committed == [[], [1], [2]])
            #expect(try Self.rows(harness.connect()) == [1, 2])
        }
    }

    @Test func aFailedPageRollsBackThePageAfterIt() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        try harness.connect().execute(Self.pageRows)
        let secondDone = DispatchSemaphore(value: 0)
        let observed = Observations()

        try await offloaded {
            let (context, _) = try Self.context(harness)
            let writer = OrderedPageWriter(context: context, lanes: 2)
            let failing = Self.page(1, keys: ["schedule-a"]) { _ in
                // Fail only once page 2's work is done: its transaction is open, waiting for this one.
                _ = secondDone.wait(timeout: .now() + 10)
                throw PageFailed()
            }
            let second = Self.page(2, keys: ["schedule-b"]) { _ in secondDone.signal() }
            _ = try writer.submit(failing)
            do {
                _ = try writer.submit(second)
            } catch is PageFailed {
                observed.failedWithThePagesError = true
            }
            observed.committed.append(try writer.finish().map(\.items))
            observed.rows.append(try Self.rows(harness.connect()))
        }
        #expect(observed.failedWithThePagesError, "the failed page's own error is thrown")
        #expect(observed.committed == [[]], "nothing is left in flight")
        #expect(observed.rows == [[]], "page 2 was rolled back with page 1")
    }

    /// Page 2 shares `event-1` with page 1, or (by reference) points at `interview-1`, which page 1 writes.
    @Test(arguments: [false, true])
    func aPageSharingAKeyReadsWhatThePageBeforeCommitted(byReference: Bool) async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        try harness.connect().execute(Self.pageRows)
        let secondStarted = DispatchSemaphore(value: 0)
        let observed = Observations()

        try await offloaded {
            let (context, _) = try Self.context(harness)
            let writer = OrderedPageWriter(context: context, lanes: 2)
            let first = Self.page(1, keys: ["schedule-a", "event-1", "interview-1"]) { _ in
                // Held open a moment: a page 2 started now would read before this row is committed.
                observed.secondWroteMeanwhile = secondStarted.wait(timeout: .now() + 0.5) == .success
            }
            var second = Self.page(2, keys: byReference ? ["schedule-b", "event-2"] : ["schedule-b", "event-1"]) { connection in
                secondStarted.signal()
                observed.secondSawFirst = try Self.rows(connection).contains(1)
            }
            if byReference { second.references = ["interview-1"] }
            _ = try writer.submit(first)
            _ = try writer.submit(second)
            _ = try writer.finish()
        }
        #expect(!observed.secondWroteMeanwhile, "page 2 started while page 1, which it depends on, was open")
        #expect(observed.secondSawFirst)
    }

    /// Page 1's reads show it must also write `event-x` (an event it marks removed), the row page 2
    /// writes. Both queue an update of it; page 2 must send its writes only after page 1 committed:
    /// the other way round page 2 would hold the row while it waits for page 1, which waits for the row
    /// (the sessions' lock timeout would end it).
    @Test func aPageWritingARowThePageBeforeAlsoWritesSendsItAfterThatCommit() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        try harness.connect().execute(Self.pageRows)
        try harness.connect().execute("CREATE TABLE shared_rows (id text PRIMARY KEY, page int)")
        try harness.connect().execute("INSERT INTO shared_rows VALUES ('event-x', 0)")
        let secondDone = DispatchSemaphore(value: 0)
        let observed = Observations()

        try await offloaded {
            let (context, _) = try Self.context(harness, sessionSetup: "SET lock_timeout = '3s'")
            let writer = OrderedPageWriter(context: context, lanes: 2)
            let first = Self.page(1, keys: ["schedule-a"], alsoWrites: ["event-x"]) { connection in
                // Its reads are done once page 2's body is: then it queues its write of the shared row.
                observed.secondWroteMeanwhile = secondDone.wait(timeout: .now() + 10) == .success
                try connection.enqueue("UPDATE shared_rows SET page = 1 WHERE id = 'event-x'")
            }
            let second = Self.page(2, keys: ["schedule-b", "event-x"]) { connection in
                try connection.enqueue("UPDATE shared_rows SET page = 2 WHERE id = 'event-x'")
                secondDone.signal()
            }
            observed.committed.append(try writer.submit(first).map(\.items))
            observed.committed.append(try writer.submit(second).map(\.items))
            observed.committed.append(try writer.finish().map(\.items))
            observed.rows.append(try harness.connect().query("SELECT page FROM shared_rows").rows.map { try $0[0].decode(Int.self) })
        }
        #expect(observed.secondWroteMeanwhile, "page 2 was read and diffed beside page 1")
        #expect(observed.committed == [[], [1], [2]])
        #expect(observed.rows == [[2]], "page 2's write came last, as its page does")
    }

    @Test func withoutASecondConnectionPagesAreWrittenOneAfterAnother() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        try harness.connect().execute(Self.pageRows)
        let refusing = RefusingPort()

        let observed = Observations()
        let logs = try await offloaded {
            let (context, logs) = try Self.context(
                harness, sideURL: "postgresql://postgres@127.0.0.1:\(refusing.port)/x?connect_timeout=2")
            let writer = OrderedPageWriter(context: context, lanes: 2)
            for number in 1...3 {
                observed.committed.append(try writer.submit(Self.page(number, keys: ["schedule-\(number)"]) { _ in }).map(\.items))
            }
            observed.committed.append(try writer.finish().map(\.items))
            observed.rows.append(try Self.rows(harness.connect()))
            return logs.all
        }
        #expect(observed.committed == [[1], [2], [3], []], "each page written and committed at once, in order")
        #expect(observed.rows == [[1, 2, 3]])
        #expect(logs.filter { $0.message == "page_writer_sequential" }.count == 1)
    }

    /// A backfill against a role the server allows a single connection of its own: the first lane
    /// opens, the second cannot, and the pass goes on one page at a time on the run's connection.
    @Test func aSyncAtTheConnectionLimitStillWritesEveryPage() async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        let role = "af_lanes_\(UInt32.random(in: 0 ... .max))"
        let admin = try harness.connect()
        try admin.execute("CREATE ROLE \(role) LOGIN PASSWORD 'lane-pass-5b2c' CONNECTION LIMIT 1")
        try admin.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO \(role)")
        try admin.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO \(role)")
        let limited = harness.database.url.replacingOccurrences(of: "postgres@", with: "\(role):lane-pass-5b2c@")
        _ = AshbySyncTests.Tenant(harness.ashby, schedules: 4)

        let (outcome, summary) = try await harness.run(
            SyncRequest(kind: .sync, sendReminders: false), settings: ["DATABASE_URL": limited])
        #expect(outcome == .succeeded)
        #expect(summary.resources["interview_schedules"]?.inserted == 4)
        #expect(try harness.count("interview_schedules") == 4)
        #expect(try harness.count("interview_events") == 8)
        #expect(try harness.syncToken("interview_schedules") != nil)
        #expect(harness.logs.contains("page_writer_sequential"))
    }

    // MARK: Support

    /// What the pages' bodies saw, read after the writer is done.
    final class Observations: @unchecked Sendable {
        var error: String?
        var secondWroteMeanwhile = false
        var secondVisibleBeforeFirstCommitted = false
        var secondSawFirst = false
        var failedWithThePagesError = false
        /// What each `submit` and `finish` returned (the pages' numbers).
        var committed: [[Int]] = []
        /// `page_rows` as a test connection saw it at each check.
        var rows: [[Int]] = []
    }

    static let pageRows = "CREATE TABLE page_rows (page int PRIMARY KEY)"

    /// A page whose body inserts its number into `page_rows`, then runs `then` on the page's connection.
    static func page(
        _ number: Int, keys: Set<String>, alsoWrites: Set<String> = [], then: @escaping (PostgresConnection) throws -> Void
    ) -> OrderedPageWriter.Page {
        OrderedPageWriter.Page(keys: keys, items: number, moreDataAvailable: true) { context in
            try context.connection.execute("INSERT INTO page_rows VALUES ($1)", [number])
            try then(context.connection)
            var written = PullCounts()
            written.add(counts(page: number)["page_rows"]!, to: "page_rows")
            return .init(counts: written, alsoWrites: alsoWrites)
        }
    }

    static func counts(page: Int) -> [String: TableCounts] {
        var counts = TableCounts()
        counts.inserted = page
        return ["page_rows": counts]
    }

    static func rows(_ connection: PostgresConnection) throws -> [Int] {
        try connection.query("SELECT page FROM page_rows ORDER BY page").rows.map { try $0[0].decode(Int.self) }
    }

    /// A run's context on a connection of its own, its side connections going to `sideURL`
    /// (the harness's database by default).
    static func context(
        _ harness: SyncHarness, sideURL: String? = nil, sessionSetup: String = "SELECT 1"
    ) throws -> (RunContext, RecordingLogHandler.Store) {
        let configuration = try harness.configuration()
        let (logger, logs) = RecordingLogHandler.logger()
        let ashby = AshbyClient(
            baseURL: configuration.ashbyAPIURL, apiKey: SyncHarness.apiKey,
            http: HTTPClient(configuration: HTTPClientConfiguration(), logger: logger), logger: logger)
        let context = RunContext(
            configuration: configuration, connection: try harness.connect(), ashby: ashby, slack: nil, logger: logger,
            runID: UUID(), request: SyncRequest(kind: .sync, sendReminders: false), clock: .fixed(Date()),
            budget: RunBudget(total: nil), report: { _ in },
            sideConnections: SideConnections(databaseURL: sideURL ?? configuration.databaseURL, sessionSetup: sessionSetup))
        return (context, logs)
    }
}
