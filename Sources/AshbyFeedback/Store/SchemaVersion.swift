import Postgres

/// The schema version this build's SQL is written for (the highest file in `database/`).
public enum SchemaVersion {
    public static let current = 12

    /// Refuses to work on a database that is not exactly at `current`.
    static func requireCurrent(_ connection: PostgresConnection) throws {
        let hasTable = try connection.query("SELECT to_regclass('public.schema_migrations') IS NOT NULL")
            .rows[0][0].decode(Bool.self)
        guard hasTable else {
            throw SchemaError("the database has no schema yet: run `ashby-feedback migrate` first")
        }
        let version = try connection.query("SELECT max(version) FROM schema_migrations").rows[0][0].decode(Int?.self) ?? 0
        if version < current {
            throw SchemaError("the database schema is at version \(version), this build needs \(current): run `ashby-feedback migrate`")
        }
        if version > current {
            throw SchemaError("the database schema is at version \(version), newer than this build knows (\(current)): upgrade ashby-feedback")
        }
    }
}
