import Foundation

/// The schema as shipped in `database/`: `schema.sql` for empty databases, and the numbered
/// files of `changes/` for older ones. The database folder is the only copy of the schema.
public struct SchemaFiles: Sendable {
    /// One file of `database/changes/`, e.g. `002_sync_state_and_runs.sql`.
    public struct Change: Sendable, Equatable {
        public var version: Int
        public var name: String
        public var sql: String
    }

    public var directory: URL
    public var schemaSQL: String
    public var changes: [Change]

    /// Every version this build knows: 1 (the initial schema) and one per change file.
    public var knownVersions: [Int] { [1] + changes.map(\.version) }

    /// The newest version, the one a fresh `schema.sql` install records.
    public var currentVersion: Int { knownVersions.max() ?? 1 }

    public init(directory: URL) throws(ConfigurationError) {
        self.directory = directory
        let schemaFile = directory.appendingPathComponent("schema.sql")
        guard let schema = try? String(contentsOf: schemaFile, encoding: .utf8) else {
            throw ConfigurationError("cannot read \(schemaFile.path)")
        }
        schemaSQL = schema
        let changesDirectory = directory.appendingPathComponent("changes")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: changesDirectory.path)) ?? []
        var changes: [Change] = []
        for name in names.sorted() where name.hasSuffix(".sql") {
            let stem = name.dropLast(".sql".count)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]), version > 1 else {
                throw ConfigurationError("\(changesDirectory.path)/\(name): change files are named NNN_name.sql with NNN > 001")
            }
            guard let sql = try? String(contentsOf: changesDirectory.appendingPathComponent(name), encoding: .utf8) else {
                throw ConfigurationError("cannot read \(changesDirectory.path)/\(name)")
            }
            if changes.contains(where: { $0.version == version }) {
                throw ConfigurationError("\(changesDirectory.path): two change files for version \(version)")
            }
            changes.append(Change(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql))
        }
        self.changes = changes.sorted { $0.version < $1.version }
    }

    /// Finds the `database/` folder: the one given, else `./database`, else one beside or above
    /// the executable (a source checkout), else `<prefix>/share/ashby-feedback/database` (an install).
    public static func locate(explicit: String?) throws(ConfigurationError) -> SchemaFiles {
        if let explicit {
            return try SchemaFiles(directory: URL(fileURLWithPath: explicit))
        }
        let fileManager = FileManager.default
        var candidates = [URL(fileURLWithPath: fileManager.currentDirectoryPath).appendingPathComponent("database")]
        let executable = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments.first ?? "")).resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        candidates.append(directory.deletingLastPathComponent().appendingPathComponent("share/ashby-feedback/database"))
        for _ in 0..<6 {
            candidates.append(directory.appendingPathComponent("database"))
            directory = directory.deletingLastPathComponent()
        }
        for candidate in candidates where fileManager.fileExists(atPath: candidate.appendingPathComponent("schema.sql").path) {
            return try SchemaFiles(directory: candidate)
        }
        throw ConfigurationError("cannot find the database/ folder with schema.sql: run from the project folder or pass --database-dir")
    }
}
