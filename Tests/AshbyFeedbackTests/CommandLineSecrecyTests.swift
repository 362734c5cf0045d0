import Foundation
import Testing
import TestSupport
@testable import AshbyFeedback

/// No error line of the binary may echo a configuration value (issue 9, item 13): the line is printed
/// by `status`/`migrate` and mailed by the hourly cron check.
extension CommandLineTests {
    /// A CRLF env file whose first line is `DATABASE_URL`, pointing at a database that does not exist:
    /// read as one line, the rest of the file became the database name and the error line showed the secrets.
    @Test func aCRLFEnvFileKeepsItsSecretsOutOfTheConnectionError() async throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let missing = database.url.replacingOccurrences(of: "/\(database.name)", with: "/af_no_such_db")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("ashby-feedback.env").path
        try "DATABASE_URL=\(missing)\r\nASHBY_API_KEY=ashby-secret-key-4711\r\nSLACK_BOT_TOKEN=xoxb-secret-token-4711\r\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        for command in [["status"], ["migrate", "--status", "--database-dir", Repository.databaseDirectory.path]] {
            let result = try await run(command + ["--env-file", path])
            expectOneLineFailure(result, status: 78, mentioning: "does not exist")
            #expect(result.stderr.contains("\"af_no_such_db\""), "the database name alone: \(result.stderr)")
            #expect(!result.stderr.contains("ashby-secret-key-4711") && !result.stderr.contains("xoxb-secret-token-4711"), "\(result.stderr)")
        }
    }

    /// A value still holding a control character is refused by name, before anything uses it.
    @Test func aSecretWithAnInnerLineBreakIsRefusedByNameOnly() async throws {
        let result = try await run(["sync", "--no-reminders"], environment: [
            "DATABASE_URL": "postgresql://localhost/x", "ASHBY_API_KEY": "ashby-secret\nkey-4711\n",
        ])
        expectOneLineFailure(result, status: 78, mentioning: "ASHBY_API_KEY")
        #expect(!result.stderr.contains("ashby-secret") && !result.stderr.contains("key-4711"), "\(result.stderr)")
    }
}
