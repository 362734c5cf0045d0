import Foundation
import Logging
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

@Suite struct MigratorTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    func withDatabase<T>(_ body: (TestDatabase, PostgresConnection) throws -> T) throws -> T {
        let database = try TestDatabase.create()
        defer { database.drop() }
        return try body(database, try database.connect())
    }

    @Test func emptyDatabaseGetsTheWholeSchemaThenNothingMore() throws {
        try withDatabase { _, connection in
            let migrator = Migrator(files: try Repository.schemaFiles(), connection: connection, logger: logger)
            #expect(try migrator.status().isEmpty)
            #expect(try migrator.migrate() == [1, 2, 3, 4, 5])
            #expect(try migrator.status().isCurrent)
            #expect(try migrator.migrate() == [], "a second run does nothing")
            try SchemaVersion.requireCurrent(connection)
        }
    }

    @Test func versionOneDatabaseGetsThePendingChanges() throws {
        try withDatabase { _, connection in
            try connection.executeScript(try String(contentsOf: Repository.schemaV1, encoding: .utf8))
            try connection.execute(
                "INSERT INTO feedback_reminders_sent (event_id, interviewer_id, sent_at) SELECT gen_random_uuid(), gen_random_uuid(), now() WHERE false")
            let migrator = Migrator(files: try Repository.schemaFiles(), connection: connection, logger: logger)
            let status = try migrator.status()
            #expect(status.applied.map(\.version) == [1])
            #expect(status.pending.map(\.version) == [2, 3, 4, 5])
            #expect(throws: SchemaError.self) { try SchemaVersion.requireCurrent(connection) }
            #expect(try migrator.migrate() == [2, 3, 4, 5])
            #expect(try migrator.migrate() == [])
            let recorded = try connection.query("SELECT version FROM schema_migrations ORDER BY version").rows.map { try $0[0].decode(Int.self) }
            #expect(recorded == [1, 2, 3, 4, 5])
        }
    }

    @Test func unknownRecordedVersionIsRefused() throws {
        try withDatabase { _, connection in
            let migrator = Migrator(files: try Repository.schemaFiles(), connection: connection, logger: logger)
            try migrator.migrate()
            try connection.execute("INSERT INTO schema_migrations (version, name) VALUES (99, 'from_the_future')")
            do {
                try migrator.migrate()
                Issue.record("expected a refusal")
            } catch let error as SchemaError {
                #expect(error.description.contains("version(s) 99 that this build does not know"))
                #expect(Failure(error).status == .configuration)
            }
            #expect(throws: SchemaError.self) { try SchemaVersion.requireCurrent(connection) }
        }
    }

    @Test func foreignTablesWithoutVersionTableAreRefused() throws {
        try withDatabase { _, connection in
            try connection.execute("CREATE TABLE something_else (id int)")
            let migrator = Migrator(files: try Repository.schemaFiles(), connection: connection, logger: logger)
            #expect(throws: SchemaError.self) { try migrator.migrate() }
            let tables = try connection.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").rows[0][0].decode(Int.self)
            #expect(tables == 1, "nothing was created")
        }
    }

    @Test func aFailingChangeLeavesNothingHalfApplied() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("af-schema-\(UUID())")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("changes"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(at: Repository.schemaV1, to: directory.appendingPathComponent("schema.sql"))
        try "CREATE TABLE half_done (id int);\nSELECT 1/0;\n".write(
            to: directory.appendingPathComponent("changes/002_broken.sql"), atomically: true, encoding: .utf8)
        try withDatabase { _, connection in
            let migrator = Migrator(files: try SchemaFiles(directory: directory), connection: connection, logger: logger)
            try connection.executeScript(try String(contentsOf: Repository.schemaV1, encoding: .utf8))
            #expect(throws: PostgresError.self) { try migrator.migrate() }
            #expect(try connection.query("SELECT to_regclass('public.half_done') IS NULL").rows[0][0].decode(Bool.self))
            #expect(try migrator.status().pending.map(\.version) == [2])
        }
    }

    @Test func buildVersionMatchesTheDatabaseFolder() throws {
        let files = try Repository.schemaFiles()
        #expect(SchemaVersion.current == files.currentVersion)
        #expect(files.knownVersions == Array(1...files.currentVersion), "versions are consecutive")
    }

    /// `psql -f schema.sql`, `migrate` on an empty database and `migrate` from version 1 give one schema.
    @Test func allThreeRoutesGiveTheSameSchema() throws {
        let byPsql = try TestDatabase.create(), byMigrate = try TestDatabase.create(), byUpgrade = try TestDatabase.create()
        defer { byPsql.drop(); byMigrate.drop(); byUpgrade.drop() }

        let psql = try Subprocess.run("psql", [byPsql.url, "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", Repository.databaseDirectory.appendingPathComponent("schema.sql").path])
        #expect(psql.status == 0, "\(psql.stderr)")
        try Migrator(files: try Repository.schemaFiles(), connection: try byMigrate.connect(), logger: logger).migrate()
        let upgraded = try byUpgrade.connect()
        try upgraded.executeScript(try String(contentsOf: Repository.schemaV1, encoding: .utf8))
        try Migrator(files: try Repository.schemaFiles(), connection: upgraded, logger: logger).migrate()

        func dump(_ database: TestDatabase) throws -> String {
            let result = try Subprocess.run("pg_dump", ["--schema-only", "--no-owner", database.url])
            #expect(result.status == 0, "\(result.stderr)")
            // pg_dump ≥ 15.14 writes a random \restrict key per dump.
            return result.stdout.split(separator: "\n").filter { !$0.hasPrefix("\\restrict") && !$0.hasPrefix("\\unrestrict") }.joined(separator: "\n")
        }
        let reference = try dump(byPsql)
        #expect(reference.contains("CREATE TABLE public.feedback_reminders_sent"))
        #expect(try dump(byMigrate) == reference)
        #expect(try dump(byUpgrade) == reference)
    }
}
