import Foundation
import Postgres

/// A fresh, empty database on the throwaway cluster that `database/test-cluster.sh` starts, so
/// each test owns its data and tests can run in parallel.
///
/// The cluster's admin URL (to its `postgres` database) comes from `TEST_DATABASE_URL`. Without
/// it `create()` fails with instructions rather than letting database tests skip silently.
public struct TestDatabase: Sendable {
    /// The database's name, `af_test_` plus random hex.
    public let name: String
    /// A connection string for this database: the admin URL with its database replaced.
    public let url: String
    private let adminURL: String

    /// Creates a uniquely named database on the test cluster.
    public static func create() throws -> TestDatabase {
        guard let adminURL = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !adminURL.isEmpty else {
            throw TestDatabaseError()
        }
        let name = "af_test_" + String(UInt64.random(in: .min ... .max), radix: 16)
        try PostgresConnection(adminURL).execute("CREATE DATABASE \(name)")
        return TestDatabase(name: name, url: connectionString(adminURL, database: name), adminURL: adminURL)
    }

    /// A new connection to this database.
    public func connect() throws -> PostgresConnection {
        try PostgresConnection(url)
    }

    /// Drops the database, ending any sessions still connected to it. Best effort: the whole
    /// cluster is thrown away after the test run anyway, so a failure here is not worth failing a test.
    public func drop() {
        _ = try? PostgresConnection(adminURL).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// `adminURL` pointing at `database`: the path of a URI is replaced; a `key=value` string gets
    /// a later `dbname`, which libpq lets override the earlier one.
    private static func connectionString(_ adminURL: String, database: String) -> String {
        guard let schemeEnd = adminURL.range(of: "://") else { return "\(adminURL) dbname=\(database)" }
        let query = adminURL.firstIndex(of: "?").map { String(adminURL[$0...]) } ?? ""
        let beforeQuery = adminURL[..<(adminURL.firstIndex(of: "?") ?? adminURL.endIndex)]
        let authorityEnd = beforeQuery[schemeEnd.upperBound...].firstIndex(of: "/") ?? beforeQuery.endIndex
        return "\(beforeQuery[..<authorityEnd])/\(database)\(query)"
    }
}

/// `TEST_DATABASE_URL` is not set: the tests were started without a test cluster.
public struct TestDatabaseError: Error, CustomStringConvertible {
    public var description: String {
        "TEST_DATABASE_URL is not set: run the tests with scripts/test.sh "
            + "(or database/test-cluster.sh run swift test), which starts a throwaway PostgreSQL cluster"
    }
}
