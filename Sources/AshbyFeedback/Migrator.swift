import Foundation
import Logging
import Postgres

/// Brings a database to the current schema: `schema.sql` on an empty database, the pending change
/// files on an older one, each in one transaction together with its `schema_migrations` row.
public struct Migrator {
    /// What the database records, compared with what this build ships.
    public struct Status: Sendable {
        public struct Applied: Sendable {
            public var version: Int
            public var name: String
            public var appliedAt: Date?
        }

        public var isEmpty: Bool
        public var applied: [Applied]
        public var pending: [SchemaFiles.Change]
        /// Versions the database records that this build does not know (a newer build migrated it).
        public var unknown: [Int]

        public var isCurrent: Bool { !isEmpty && pending.isEmpty && unknown.isEmpty }
    }

    /// Serializes concurrent `migrate` runs against one database ("ashbyfbm").
    static let lockKey: Int64 = 0x6173_6862_7966_626d

    let files: SchemaFiles
    let connection: PostgresConnection
    let logger: Logger

    public init(files: SchemaFiles, connection: PostgresConnection, logger: Logger) {
        self.files = files
        self.connection = connection
        self.logger = logger
    }

    public func status() throws -> Status {
        let hasTable = try connection.query("SELECT to_regclass('public.schema_migrations') IS NOT NULL AS present")
            .rows[0]["present"].decode(Bool.self)
        guard hasTable else {
            let tables = try connection.query(
                "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'"
            ).rows[0]["n"].decode(Int.self)
            guard tables == 0 else {
                throw SchemaError("the database has \(tables) table(s) but no schema_migrations table: it was not created from database/schema.sql; point DATABASE_URL at the right database")
            }
            return Status(isEmpty: true, applied: [], pending: [], unknown: [])
        }
        let applied = try connection.query(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
        ).rows.map { row in
            Status.Applied(
                version: try row["version"].decode(Int.self),
                name: try row["name"].decode(String.self),
                appliedAt: try row["applied_at"].decode(Date?.self)
            )
        }
        let recorded = Set(applied.map(\.version))
        let known = Set(files.knownVersions)
        return Status(
            isEmpty: false,
            applied: applied,
            pending: files.changes.filter { !recorded.contains($0.version) },
            unknown: recorded.subtracting(known).sorted()
        )
    }

    /// Applies what is pending and returns the versions applied (empty when already current).
    @discardableResult
    public func migrate() throws -> [Int] {
        try connection.execute("SELECT pg_advisory_lock($1)", [Self.lockKey])
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock($1)", [Self.lockKey]) }

        let status = try status()
        try Self.refuseUnknown(status)
        if status.isEmpty {
            try connection.transaction {
                try connection.executeScript(files.schemaSQL)
            }
            let recorded = try self.status()
            guard recorded.pending.isEmpty, recorded.unknown.isEmpty else {
                throw SchemaError("database/schema.sql records versions \(recorded.applied.map(\.version)) but the change files are \(files.knownVersions): fold every change into schema.sql")
            }
            logger.info("schema_created", metadata: ["versions": "\(recorded.applied.map(\.version))"])
            return recorded.applied.map(\.version)
        }
        guard !status.applied.isEmpty, status.applied.contains(where: { $0.version == 1 }) else {
            throw SchemaError("schema_migrations does not record version 1: this database was not created from database/schema.sql")
        }
        for change in status.pending {
            try connection.transaction {
                try connection.executeScript(change.sql)
                try connection.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2) ON CONFLICT (version) DO NOTHING",
                    [change.version, change.name]
                )
            }
            logger.info("schema_change_applied", metadata: ["version": "\(change.version)", "name": "\(change.name)"])
        }
        return status.pending.map(\.version)
    }


    private static func refuseUnknown(_ status: Status) throws {
        guard status.unknown.isEmpty else {
            let versions = status.unknown.map(String.init).joined(separator: ", ")
            throw SchemaError("the database records schema version(s) \(versions) that this build does not know: it was migrated by a newer ashby-feedback; upgrade this one")
        }
    }
}
