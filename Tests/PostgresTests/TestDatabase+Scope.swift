import Postgres
import TestSupport

extension TestDatabase {
    /// Runs `body` with a fresh database and a connection to it, then drops the database.
    static func with<T>(_ body: (TestDatabase, PostgresConnection) throws -> T) throws -> T {
        let database = try TestDatabase.create()
        defer { database.drop() }
        return try body(database, database.connect())
    }
}
