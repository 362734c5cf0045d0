import Foundation
@testable import AshbyFeedback

/// Paths inside this repository, found from this file's location.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let databaseDirectory = root.appendingPathComponent("database")
    static let schemaV1 = root.appendingPathComponent("Tests/AshbyFeedbackTests/Fixtures/schema-v1.sql")

    static func schemaFiles() throws -> SchemaFiles {
        try SchemaFiles(directory: databaseDirectory)
    }
}
