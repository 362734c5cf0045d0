import ArgumentParser
import AshbyFeedback
import Foundation
import Postgres

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring an empty or older database to the current schema.",
        discussion: "Applies database/schema.sql to an empty database, or the pending files of database/changes/ to an older one, each in one transaction with its schema_migrations row."
    )

    @OptionGroup var options: GlobalOptions

    @Flag(name: .long, help: "List applied and pending versions; change nothing.")
    var status = false

    @Option(name: .long, help: ArgumentHelp("The folder holding schema.sql and changes/ (default: found beside the project or install).", valueName: "path"))
    var databaseDir: String?

    func run() throws {
        try CommandContext.run(options, command: "migrate", requirements: .databaseOnly) { configuration, context in
            let files = try SchemaFiles.locate(explicit: databaseDir)
            let connection = try PostgresConnection(configuration.databaseURL)
            let migrator = Migrator(files: files, connection: connection, logger: context.logger)
            if status {
                print(Self.render(try migrator.status()))
                return
            }
            let applied = try migrator.migrate()
            if applied.isEmpty {
                print("Schema is current (version \(files.currentVersion)); nothing to do.")
            } else {
                print("Applied version(s) \(applied.map(String.init).joined(separator: ", ")); schema is at version \(files.currentVersion).")
            }
        }
    }

    static func render(_ status: Migrator.Status) -> String {
        if status.isEmpty {
            return "The database is empty: `ashby-feedback migrate` will create schema version(s) from database/schema.sql."
        }
        var lines = ["version  state    name                            applied_at"]
        for applied in status.applied {
            let state = status.unknown.contains(applied.version) ? "unknown" : "applied"
            let when = applied.appliedAt.map { $0.formatted(.iso8601) } ?? ""
            lines.append(pad(String(applied.version), 9) + pad(state, 9) + pad(applied.name, 32) + when)
        }
        for change in status.pending {
            lines.append(pad(String(change.version), 9) + pad("pending", 9) + change.name)
        }
        if !status.unknown.isEmpty {
            lines.append("Versions marked unknown were applied by a newer ashby-feedback; upgrade this build before migrating.")
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
