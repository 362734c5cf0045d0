import Foundation
import Postgres
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(3))) struct PostgresConnectionTests {
    private struct Abort: Error {}

    @Test func keyValueStringOverUnixSocketConnects() throws {
        let socketDirectory = try #require(ProcessInfo.processInfo.environment["PGTEST_SOCKET_DIR"])
        let port = try #require(ProcessInfo.processInfo.environment["PGTEST_PORT"])
        try TestDatabase.with { database, _ in
            let connection = try PostgresConnection("host='\(socketDirectory)' port=\(port) user=postgres dbname=\(database.name)")
            let row = try connection.query("SELECT current_database() AS db, inet_server_addr() AS addr").rows[0]
            #expect(try row["db"].decode(String.self) == database.name)
            #expect(row["addr"].isNull)   // NULL over a Unix socket
        }
    }

    @Test func transactionCommitsItsWork() throws {
        try TestDatabase.with { _, connection in
            try connection.execute("CREATE TABLE t (n int)")
            let inserted = try connection.transaction { try connection.execute("INSERT INTO t VALUES (1), (2)") }
            #expect(inserted == 2)
            #expect(try connection.query("SELECT n FROM t").count == 2)
        }
    }

    @Test func transactionRollsBackWhenTheBodyThrows() throws {
        try TestDatabase.with { _, connection in
            try connection.execute("CREATE TABLE t (n int)")
            #expect(throws: Abort.self) {
                try connection.transaction {
                    try connection.execute("INSERT INTO t VALUES (1)")
                    throw Abort()
                }
            }
            #expect(try connection.query("SELECT n FROM t").count == 0)

            // A statement error swallowed inside the body still makes the transaction fail.
            #expect(throws: PostgresError.self) {
                try connection.transaction {
                    try connection.execute("INSERT INTO t VALUES (2)")
                    _ = try? connection.execute("INSERT INTO t VALUES ('not a number')")
                }
            }
            #expect(try connection.query("SELECT n FROM t").count == 0)
            _ = try connection.transaction { try connection.execute("INSERT INTO t VALUES (3)") }
            #expect(try connection.query("SELECT n FROM t").count == 1)
        }
    }

    @Test func advisoryLockIsExclusiveAcrossConnections() throws {
        try TestDatabase.with { database, first in
            var second: PostgresConnection? = try database.connect()

            #expect(try first.tryAdvisoryLock(42))
            #expect(try second?.tryAdvisoryLock(42) == false)
            #expect(try first.advisoryUnlock(42))
            #expect(try second?.tryAdvisoryLock(42) == true)
            #expect(try !first.tryAdvisoryLock(42))
            #expect(try first.advisoryUnlock(42) == false)   // not held by this session

            // Closing the connection releases its session locks, once the server has seen the
            // session end (asynchronously): wait for the lock itself, bounded by a lock timeout.
            second = nil
            try first.execute("SET lock_timeout = '5s'")
            try first.execute("SELECT pg_advisory_lock(42)")
            #expect(try first.advisoryUnlock(42))
        }
    }

    @Test func tenThousandRowsGoInOneStatement() throws {
        try TestDatabase.with { _, connection in
            try connection.execute("CREATE TABLE items (id uuid PRIMARY KEY, name text, rank bigint, at timestamptz, flag bool)")
            let count = 10_000
            let ids = (0..<count).map { _ in UUID() }
            let names: [String?] = (0..<count).map { $0 % 10 == 0 ? nil : "item \"\($0)\", {x}" }
            let ranks = (0..<count).map { Int64($0) }
            let dates: [Date?] = (0..<count).map { Date(timeIntervalSince1970: 1_700_000_000 + Double($0)) }
            let flags = (0..<count).map { $0 % 2 == 0 }
            let before = connection.statementCount

            let written = try connection.execute("""
                INSERT INTO items (id, name, rank, at, flag)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::timestamptz[], $5::bool[])
                """, [ids, names, ranks, dates, flags])

            #expect(written == count)
            #expect(connection.statementCount - before == 1)
            #expect(try connection.query("SELECT count(*) AS n FROM items").rows[0]["n"].decode(Int.self) == count)
            let last = try connection.query("SELECT * FROM items WHERE id = $1", [ids[9_999]]).rows[0]
            #expect(try last["name"].decode(String?.self) == "item \"9999\", {x}")
            #expect(try last["rank"].decode(Int64.self) == 9_999)
            #expect(try last["at"].decode(Date.self) == Date(timeIntervalSince1970: 1_700_009_999))
            #expect(try last["flag"].decode(Bool.self) == false)
            #expect(try connection.query("SELECT name FROM items WHERE rank = 10").rows[0]["name"].isNull)
        }
    }

    @Test func copyInWritesEscapedTextAndNulls() throws {
        try TestDatabase.with { _, connection in
            try connection.execute("CREATE SCHEMA feed")
            try connection.execute(#"CREATE TABLE feed."Notes" (id int, body text, note text)"#)
            let rows: [[String?]] = [
                ["1", "tab\there", nil],
                ["2", "line\nbreak\r\nwindows", ""],
                ["3", #"back\slash \N \. \t"#, "NULL"],
                ["4", "\\.", "Zoë 🎉"],
                ["5", "", "\\N"],
            ]
            let before = connection.statementCount

            #expect(try connection.copyIn(table: "feed.Notes", columns: ["id", "body", "note"], rows: rows) == 5)
            #expect(connection.statementCount - before == 1)
            let stored = try connection.query(#"SELECT id, body, note FROM feed."Notes" ORDER BY id"#).rows
            #expect(try stored.map { [try $0["id"].decode(String?.self), try $0["body"].decode(String?.self),
                                      try $0["note"].decode(String?.self)] } == rows)
        }
    }

    @Test func failedCopyWritesNothingAndLeavesTheConnectionUsable() throws {
        try TestDatabase.with { _, connection in
            try connection.execute("CREATE TABLE t (n int)")

            let error = #expect(throws: PostgresError.self) {
                try connection.copyIn(table: "t", columns: ["n"], rows: [["1"], ["copy-secret-value"]])
            }
            #expect(error?.sqlState == "22P02")
            #expect(error?.description.contains("copy-secret-value") == false)
            #expect(try connection.query("SELECT n FROM t").count == 0)

            let missing = #expect(throws: PostgresError.self) {
                try connection.copyIn(table: "absent", columns: ["n"], rows: [["1"]])
            }
            #expect(missing?.sqlState == "42P01")
            #expect(try connection.query("SELECT 1").count == 1)
        }
    }

    @Test func copyThroughPlainSQLIsRefusedCleanly() throws {
        try TestDatabase.with { _, connection in
            try connection.execute("CREATE TABLE t (n int)")
            #expect(throws: PostgresError.self) { try connection.execute("COPY t FROM STDIN") }
            #expect(throws: PostgresError.self) { try connection.execute("COPY t TO STDOUT") }
            #expect(try connection.query("SELECT 1").count == 1)
        }
    }

    @Test func scriptsRunSeveralStatementsAndReportErrors() throws {
        try TestDatabase.with { _, connection in
            let before = connection.statementCount
            try connection.executeScript("""
                CREATE TABLE a (n int);
                CREATE TABLE b (n int);
                INSERT INTO a VALUES (1);
                DO $$ BEGIN RAISE NOTICE 'dropped, not printed'; END $$;
                """)
            #expect(connection.statementCount - before == 1)
            #expect(try connection.query("SELECT n FROM a").count == 1)

            let error = #expect(throws: PostgresError.self) {
                try connection.executeScript("INSERT INTO b VALUES (1); INSERT INTO missing VALUES (1);")
            }
            #expect(error?.sqlState == "42P01")
            #expect(try connection.query("SELECT n FROM b").count == 0)   // the script ran as one transaction
        }
    }

    @Test func statementCountCountsEachRoundTrip() throws {
        try TestDatabase.with { _, connection in
            let start = connection.statementCount
            try connection.execute("CREATE TABLE t (n int)")
            _ = try connection.query("SELECT 1")
            _ = try? connection.query("SELEC 1")
            _ = try connection.copyIn(table: "t", columns: ["n"], rows: [["1"]])
            try connection.executeScript("SELECT 1; SELECT 2")
            #expect(connection.statementCount - start == 5)
        }
    }
}
