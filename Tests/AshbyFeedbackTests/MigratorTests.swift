import Foundation
import Logging
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

@Suite(.timeLimit(.minutes(3))) struct MigratorTests {
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
            #expect(try migrator.migrate() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
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
            #expect(status.pending.map(\.version) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
            #expect(throws: SchemaError.self) { try SchemaVersion.requireCurrent(connection) }
            #expect(try migrator.migrate() == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
            #expect(try migrator.migrate() == [])
            let recorded = try connection.query("SELECT version FROM schema_migrations ORDER BY version").rows.map { try $0[0].decode(Int.self) }
            #expect(recorded == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        }
    }

    /// A database at version 5 (the version before the ledger) with reminders already sent: every sent DM becomes an editable ledger
    /// row (channel, ts, announced start = the event's start, fingerprint unknown); other states do not.
    @Test func upgradeFromVersionFiveKeepsEverySentDMEditable() throws {
        try withDatabase { _, connection in
            // Version 5 as an upgraded installation has it: version 1, then changes 2 to 5 by hand.
            try connection.executeScript(try String(contentsOf: Repository.schemaV1, encoding: .utf8))
            for name in ["002_sync_state_and_runs.sql", "003_reminder_delivery_state.sql", "004_event_removed_at.sql", "005_quarantined_records.sql"] {
                let url = Repository.databaseDirectory.appendingPathComponent("changes/\(name)")
                try connection.executeScript(try String(contentsOf: url, encoding: .utf8))
            }
            try connection.executeScript("""
                INSERT INTO interview_schedules (schedule_id, status) VALUES ('11111111-1111-1111-1111-111111111111', 'Scheduled');
                INSERT INTO interview_events (event_id, schedule_id, start_time, end_time) VALUES
                    ('22222222-2222-2222-2222-222222222222', '11111111-1111-1111-1111-111111111111', '2026-12-01 10:00Z', '2026-12-01 11:00Z');
                INSERT INTO feedback_reminders_sent (event_id, interviewer_id, slack_user_id, slack_channel_id, slack_message_ts, sent_at, status) VALUES
                    ('22222222-2222-2222-2222-222222222222', '33333333-3333-3333-3333-333333333333', 'U1', 'DU1', '1700000001.000100', '2026-12-01 09:45Z', 'sent'),
                    ('22222222-2222-2222-2222-222222222222', '44444444-4444-4444-4444-444444444444', 'U2', NULL, NULL, NULL, 'unknown'),
                    ('22222222-2222-2222-2222-222222222222', '55555555-5555-5555-5555-555555555555', 'U3', NULL, NULL, NULL, 'failed');
                """)
            #expect(try Migrator(files: try Repository.schemaFiles(), connection: connection, logger: logger).migrate() == [6, 7, 8, 9, 10, 11, 12])
            try SchemaVersion.requireCurrent(connection)
            let rows = try connection.query("""
                SELECT interviewer_id::text, slack_user_id, channel_id, message_ts, announced_start_time, fingerprint, post_state, posted_at
                FROM slack_messages WHERE kind = 'reminder'
                """).rows
            try #require(rows.count == 1, "only the sent reminder has a DM to edit")
            #expect(try rows[0]["interviewer_id"].decode(String.self) == "33333333-3333-3333-3333-333333333333")
            #expect(try rows[0]["channel_id"].decode(String.self) == "DU1")
            #expect(try rows[0]["message_ts"].decode(String.self) == "1700000001.000100")
            #expect(try rows[0]["announced_start_time"].decode(Date.self) == Date(timeIntervalSince1970: 1_796_119_200))
            #expect(try rows[0]["fingerprint"].decode(String?.self) == nil, "what it showed is unknown")
            #expect(try rows[0]["post_state"].decode(String.self) == "posted")
            #expect(try rows[0]["posted_at"].decode(Date.self) == Date(timeIntervalSince1970: 1_796_118_300))
            // feedback_reminders_sent keeps its rows and columns.
            #expect(try connection.query("SELECT count(*) FROM feedback_reminders_sent").rows[0][0].decode(Int.self) == 3)
        }
    }

    /// Version 11 gives submissions their interview: rows stored before it have none (and may name the
    /// credited user), so the submissions' sync token is forgotten and the next run reads them in full.
    /// Every other resource keeps its token.
    @Test func upgradeToElevenRereadsTheSubmissionsOnly() throws {
        try withDatabase { _, connection in
            try connection.executeScript(try String(contentsOf: Repository.schemaV1, encoding: .utf8))
            for change in try Repository.schemaFiles().changes where change.version < 11 {
                try connection.executeScript(change.sql)
            }
            try connection.execute("""
                INSERT INTO sync_state (resource, sync_token, token_updated_at)
                VALUES ('feedback_submissions', 'old-token', now()), ('interview_schedules', 'kept-token', now())
                """)
            #expect(try Migrator(files: try Repository.schemaFiles(), connection: connection, logger: logger).migrate() == [11, 12])
            let tokens = try connection.query("SELECT resource, sync_token FROM sync_state ORDER BY resource").rows.map {
                [try $0["resource"].decode(String.self): try $0["sync_token"].decode(String?.self)]
            }
            #expect(tokens == [["feedback_submissions": nil], ["interview_schedules": "kept-token"]])
        }
    }

    /// Version 12 replaces the `application_lookups` cache with the synced `applications` (and
    /// `candidate_profiles`): the cache goes, every sync token stays, and the first run pulls
    /// `application.list` in full (it has no token yet).
    @Test func upgradeToTwelveDropsTheLookupCacheAndKeepsEveryToken() throws {
        try withDatabase { _, connection in
            try connection.executeScript(try String(contentsOf: Repository.schemaV1, encoding: .utf8))
            for change in try Repository.schemaFiles().changes where change.version < 12 {
                try connection.executeScript(change.sql)
            }
            try connection.execute("""
                INSERT INTO application_lookups (application_id, candidate_name, hiring_team, fetched_at)
                VALUES (gen_random_uuid(), 'Casey Candidate', '[]', now())
                """)
            try connection.execute("""
                INSERT INTO sync_state (resource, sync_token, token_updated_at)
                VALUES ('feedback_submissions', 'kept-1', now()), ('interview_schedules', 'kept-2', now())
                """)
            #expect(try Migrator(files: try Repository.schemaFiles(), connection: connection, logger: logger).migrate() == [12])
            try SchemaVersion.requireCurrent(connection)
            #expect(try connection.query("SELECT to_regclass('public.application_lookups') IS NULL").rows[0][0].decode(Bool.self))
            #expect(try connection.query("SELECT count(*) FROM applications").rows[0][0].decode(Int.self) == 0)
            #expect(try connection.query("SELECT count(*) FROM candidate_profiles").rows[0][0].decode(Int.self) == 0)
            #expect(try connection.query("SELECT count(*) FROM sync_state WHERE sync_token LIKE 'kept-%'").rows[0][0].decode(Int.self) == 2)
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
        let directory = try TemporaryDirectory("af-schema")
        defer { directory.remove() }
        try FileManager.default.createDirectory(at: directory.file("changes"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Repository.schemaV1, to: directory.file("schema.sql"))
        try "CREATE TABLE half_done (id int);\nSELECT 1/0;\n".write(
            to: directory.file("changes/002_broken.sql"), atomically: true, encoding: .utf8)
        try withDatabase { _, connection in
            let migrator = Migrator(files: try SchemaFiles(directory: directory.url), connection: connection, logger: logger)
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
