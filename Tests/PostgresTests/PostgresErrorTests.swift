import Foundation
import Postgres
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(3))) struct PostgresErrorTests {
    @Test func uniqueViolationCarriesSQLStateButNotTheValue() throws {
        try TestDatabase.with { _, connection in
            try connection.execute("CREATE TABLE people (email text CONSTRAINT people_email_key UNIQUE)")
            try connection.execute("INSERT INTO people VALUES ($1)", ["dup-secret@example.com"])

            let error = #expect(throws: PostgresError.self) {
                try connection.execute("INSERT INTO people VALUES ($1)", ["dup-secret@example.com"])
            }
            #expect(error?.sqlState == "23505")
            #expect(error?.code == .queryFailed)
            #expect(error?.isConnectionFailure == false)
            #expect(error?.description.contains("people_email_key") == true)
            #expect(error?.description.contains("23505") == true)
            #expect(error?.description.contains("dup-secret") == false)
        }
    }

    @Test func syntaxErrorReports42601() throws {
        try TestDatabase.with { (_, connection) throws in
            let error = #expect(throws: PostgresError.self) { try connection.query("SELEC 1") }
            #expect(error?.sqlState == "42601")
            #expect(error?.message.contains("syntax error") == true)
            #expect(try connection.query("SELECT 1 AS one").rows[0]["one"].decode(Int.self) == 1)
        }
    }

    @Test func rejectedValuesAreRedactedFromMessages() throws {
        try TestDatabase.with { _, connection in
            for (sql, value) in [("SELECT $1::int", "not-a-number-secret" as PostgresBindable),
                                 ("SELECT $1::int", "abc"),
                                 ("SELECT $1::int[]", ["1", "element-secret"]),
                                 ("SELECT $1::uuid[]", [UUID().uuidString, "xyz"])] {
                let error = #expect(throws: PostgresError.self) { try connection.query(sql, [value]) }
                #expect(error?.sqlState == "22P02")
                #expect(error?.description.contains("invalid input syntax") == true)
                for secret in ["not-a-number-secret", "\"abc\"", "element-secret", "\"xyz\""] {
                    #expect(error?.description.contains(secret) == false, "\(error?.description ?? "")")
                }
            }
        }
    }

    @Test func wrongPasswordIsAnAuthenticationFailureWithoutThePassword() throws {
        try TestDatabase.with { database, connection in
            let role = "af_role_\(UInt32.random(in: .min ... .max))"
            try connection.execute("CREATE ROLE \(role) LOGIN PASSWORD 'right-pass-8d1e'")
            defer { _ = try? connection.execute("DROP ROLE \(role)") }

            let good = try PostgresConnection(url(database.url, user: role, password: "right-pass-8d1e"))
            #expect(try good.query("SELECT current_user AS u").rows[0]["u"].decode(String.self) == role)

            let error = #expect(throws: PostgresError.self) {
                try PostgresConnection(url(database.url, user: role, password: "wrong-pass-5f2a"))
            }
            #expect(error?.isAuthenticationFailure == true)
            #expect(error?.sqlState == "28P01")
            #expect(error?.isConnectionFailure == false)
            #expect(error?.description.contains("password authentication failed") == true)
            #expect(error?.description.contains(database.name) == true)
            #expect(error?.description.contains("wrong-pass-5f2a") == false)
            #expect(error?.description.contains("right-pass-8d1e") == false)
            #expect(error?.description.contains("\n") == false)

            let missing = #expect(throws: PostgresError.self) {
                try PostgresConnection(url(database.url, user: role, password: nil) + "?passfile=/nonexistent")
            }
            #expect(missing?.isAuthenticationFailure == true)
            #expect(missing?.isConnectionFailure == false)
        }
    }

    @Test func closedPortIsAConnectionFailure() throws {
        let error = #expect(throws: PostgresError.self) {
            try PostgresConnection("postgresql://postgres:some-pass-1a2b@127.0.0.1:1/postgres?connect_timeout=5")
        }
        #expect(error?.isConnectionFailure == true)
        #expect(error?.code == .connectionFailed)
        #expect(error?.sqlState == nil)
        #expect(error?.description.contains("127.0.0.1") == true)
        #expect(error?.description.contains("some-pass-1a2b") == false)
        #expect(error?.description.contains("postgresql://") == false)
    }

    @Test func unknownDatabaseReports3D000() throws {
        try TestDatabase.with { database, _ in
            let missing = database.url.replacingOccurrences(of: database.name, with: "af_missing_db")
            let error = #expect(throws: PostgresError.self) { try PostgresConnection(missing) }
            #expect(error?.sqlState == "3D000")
            #expect(error?.isDatabaseMissing == true)
            #expect(error?.isConnectionFailure == false)
            #expect(error?.isAuthenticationFailure == false)
            #expect(error?.description.contains("\"af_missing_db\" does not exist") == true)
        }
    }

    @Test func unparsableConnectionStringKeepsPasswordFragmentsOut() {
        let error = #expect(throws: PostgresError.self) {
            try PostgresConnection("host=127.0.0.1 password=correct horse battery")
        }
        #expect(error?.code == .invalidConnectionString)
        #expect(error?.isConnectionFailure == false)
        for fragment in ["correct", "horse", "battery"] {
            #expect(error?.description.contains(fragment) == false, "\(error?.description ?? "")")
        }
    }

    @Test func terminatedSessionIsAConnectionFailure() throws {
        try TestDatabase.with { database, connection in
            let pid = try connection.query("SELECT pg_backend_pid() AS pid").rows[0]["pid"].decode(Int.self)
            _ = try database.connect().query("SELECT pg_terminate_backend($1)", [pid])

            let error = #expect(throws: PostgresError.self) { try connection.query("SELECT 1") }
            #expect(error?.isConnectionFailure == true)
        }
    }

    /// `base` with another user and password (nil: none).
    private func url(_ base: String, user: String, password: String?) throws -> String {
        var components = try #require(URLComponents(string: base))
        components.user = user
        components.password = password
        return try #require(components.string)
    }
}
