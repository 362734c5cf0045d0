import Foundation
import Postgres
import Testing
import TestSupport

/// Queued writes and grouped reads: one round trip in libpq's pipeline mode, the same results and
/// errors without it (the fallback for servers before PostgreSQL 14).
@Suite struct PostgresPipelineTests {
    /// Both modes: pipeline (the test cluster is ≥ 14) and the one-statement-at-a-time fallback.
    static let modes = [true, false]
    private struct Abort: Error {}

    private func connect(_ database: TestDatabase, pipeline: Bool) throws -> PostgresConnection {
        let connection = try database.connect()
        connection.usesPipelineMode = pipeline
        return connection
    }

    @Test(arguments: modes) func queuedWritesGoOutWithTheCommit(pipeline: Bool) throws {
        try TestDatabase.with { database, setup in
            try setup.execute("CREATE TABLE t (n int PRIMARY KEY)")
            let connection = try connect(database, pipeline: pipeline)
            let before = connection.roundTripCount
            try connection.transaction {
                for n in 1...5 { try connection.enqueue("INSERT INTO t VALUES ($1)", [n]) }
            }
            // BEGIN, five inserts and COMMIT.
            #expect(connection.roundTripCount - before == (pipeline ? 1 : 7))
            #expect(connection.statementCount == 7)
            #expect(try setup.query("SELECT n FROM t ORDER BY n").rows.map { try $0[0].decode(Int.self) } == [1, 2, 3, 4, 5])
        }
    }

    @Test(arguments: modes) func aQueuedQueryHandsItsRowsOverOnceItRan(pipeline: Bool) throws {
        try TestDatabase.with { database, _ in
            let connection = try connect(database, pipeline: pipeline)
            let before = connection.roundTripCount
            let (queued, read) = try connection.transaction {
                let queued = try connection.enqueueQuery("SELECT $1::int + 1 AS n", [41])
                #expect(queued.result == nil, "not sent before the next statement")
                let read = try connection.query("SELECT 2 AS m")
                return (queued, read)
            }
            #expect(try queued.result?.rows.first?["n"].decode(Int.self) == 42)
            #expect(try read.rows.first?["m"].decode(Int.self) == 2)
            // BEGIN, the queued query and the read together, then the COMMIT.
            #expect(connection.roundTripCount - before == (pipeline ? 2 : 4))

            // Outside a transaction it runs at once; after an error it has no rows.
            #expect(try connection.enqueueQuery("SELECT 7 AS n").result?.rows.first?["n"].decode(Int.self) == 7)
            var failing: PostgresPendingResult?
            #expect(throws: PostgresError.self) {
                try connection.transaction {
                    failing = try connection.enqueueQuery("SELECT 1 / 0")
                    _ = try connection.query("SELECT 1")
                }
            }
            #expect(failing != nil && failing?.result == nil)
        }
    }

    @Test(arguments: modes) func aTransactionThatSendsNothingCostsNoRoundTrip(pipeline: Bool) throws {
        try TestDatabase.with { database, _ in
            let connection = try connect(database, pipeline: pipeline)
            let (roundTrips, statements) = (connection.roundTripCount, connection.statementCount)
            let value = try connection.transaction { 42 }
            #expect(value == 42)
            #expect(connection.roundTripCount == roundTrips && connection.statementCount == statements)
            // No BEGIN is left behind: the next statement commits at once, as another session sees.
            try connection.execute("CREATE TABLE committed_at_once (n int)")
            let seen = try database.connect().query("SELECT to_regclass('committed_at_once') IS NOT NULL AS seen")
            #expect(try seen.rows[0]["seen"].decode(Bool.self))
        }
    }

    @Test(arguments: modes) func readsSeeTheQueuedWritesBeforeThem(pipeline: Bool) throws {
        try TestDatabase.with { database, setup in
            try setup.execute("CREATE TABLE t (n int)")
            let connection = try connect(database, pipeline: pipeline)
            let before = connection.roundTripCount
            let results = try connection.transaction {
                try connection.enqueue("INSERT INTO t VALUES (1), (2)")
                return try connection.queryAll([("SELECT count(*) FROM t", []), ("SELECT max(n) FROM t WHERE n < $1", [5])])
            }
            #expect(try results.map { try $0.rows[0][0].decode(Int.self) } == [2, 2])
            #expect(connection.roundTripCount - before == (pipeline ? 2 : 5), "BEGIN, insert and reads together, then COMMIT")
        }
    }

    @Test(arguments: modes) func aFailingQueuedWriteRollsBackTheWholeTransaction(pipeline: Bool) throws {
        try TestDatabase.with { database, setup in
            try setup.execute("CREATE TABLE t (n int PRIMARY KEY)")
            let connection = try connect(database, pipeline: pipeline)
            let error = #expect(throws: PostgresError.self) {
                try connection.transaction {
                    try connection.enqueue("INSERT INTO t VALUES (1)")
                    try connection.enqueue("INSERT INTO t VALUES ($1)", [1])   // duplicate key
                    try connection.enqueue("INSERT INTO t VALUES (3)")
                }
            }
            #expect(error?.sqlState == "23505")
            #expect(try setup.query("SELECT n FROM t").count == 0, "nothing of the transaction stays")
            // The connection is usable afterwards, in and out of transactions.
            #expect(try connection.transaction { try connection.execute("INSERT INTO t VALUES (4)") } == 1)
            #expect(try connection.query("SELECT n FROM t").rows.map { try $0[0].decode(Int.self) } == [4])
        }
    }

    @Test(arguments: modes) func aFailingReadAfterQueuedWritesThrowsAndRollsBack(pipeline: Bool) throws {
        try TestDatabase.with { database, setup in
            try setup.execute("CREATE TABLE t (n int)")
            let connection = try connect(database, pipeline: pipeline)
            #expect(throws: PostgresError.self) {
                try connection.transaction {
                    try connection.enqueue("INSERT INTO t VALUES (1)")
                    _ = try connection.queryAll([("SELECT 1", []), ("SELECT n / 0 FROM t", [])])
                }
            }
            #expect(try setup.query("SELECT n FROM t").count == 0)
        }
    }

    @Test func outsideATransactionEnqueueRunsAtOnce() throws {
        try TestDatabase.with { _, connection in
            try connection.execute("CREATE TABLE t (n int)")
            try connection.enqueue("INSERT INTO t VALUES (1)")
            #expect(try connection.query("SELECT count(*) FROM t").rows[0][0].decode(Int.self) == 1)
        }
    }

    @Test func aTransactionThatSentNothingNeedsNoRollback() throws {
        try TestDatabase.with { _, connection throws in
            let before = connection.roundTripCount
            #expect(throws: Abort.self) { try connection.transaction { () throws -> Void in throw Abort() } }
            #expect(connection.roundTripCount == before, "BEGIN was still queued: nothing to send")
            #expect(try connection.query("SELECT 1").count == 1)
        }
    }
}
