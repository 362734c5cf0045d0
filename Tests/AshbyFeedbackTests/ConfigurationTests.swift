import Foundation
import Testing
@testable import AshbyFeedback

@Suite struct ConfigurationTests {
    let base = ["DATABASE_URL": "postgresql://localhost/x", "ASHBY_API_KEY": "k", "SLACK_BOT_TOKEN": "xoxb-1"]
    let everything = Configuration.Requirements(ashby: true, slack: true)

    @Test func defaults() throws {
        let configuration = try Configuration(values: base, requirements: everything)
        #expect(configuration.ashbyAPIURL == "https://api.ashbyhq.com")
        #expect(configuration.slackAPIURL == "https://slack.com/api")
        #expect(configuration.reminderWindowStartMinutes == 4 && configuration.reminderWindowEndMinutes == 20)
        #expect(configuration.formsRefreshMinutes == 360 && configuration.interviewsRefreshMinutes == 360)
        #expect(configuration.slackUsersRefreshMinutes == 60 && configuration.auditRetentionDays == 90)
    }

    @Test func missingDatabaseURLNamesTheVariable() {
        #expect(throws: ConfigurationError.self) { try Configuration(values: [:], requirements: .databaseOnly) }
        do {
            _ = try Configuration(values: ["DATABASE_URL": "  "], requirements: .databaseOnly)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("DATABASE_URL is not set"))
        }
    }

    @Test func slackTokenRequiredOnlyWithReminders() throws {
        var values = base
        values["SLACK_BOT_TOKEN"] = nil
        _ = try Configuration(values: values, requirements: .init(ashby: true, slack: false))
        #expect(throws: ConfigurationError("SLACK_BOT_TOKEN is not set: set it, or run with --no-reminders")) {
            try Configuration(values: values, requirements: everything)
        }
    }

    @Test(arguments: ["REMINDER_WINDOW_END_MINUTES=-1", "AUDIT_RETENTION_DAYS=ten", "ASHBY_API_URL=ftp://x", "REMINDER_WINDOW_START_MINUTES=30"])
    func malformedValuesAreRejected(_ assignment: String) {
        let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
        var values = base
        values[parts[0]] = parts[1]
        #expect(throws: ConfigurationError.self) { try Configuration(values: values, requirements: everything) }
    }

    @Test func envFileFillsOnlyUnsetVariables() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("af-\(UUID()).env").path
        try """
            # comment
            export DATABASE_URL="postgresql://from-file/db"
            ASHBY_API_KEY='file-key'

            SLACK_BOT_TOKEN=xoxb-file
            """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try Configuration.load(
            environment: ["ASHBY_API_KEY": "env-key"], envFile: path, requirements: everything)
        #expect(configuration.databaseURL == "postgresql://from-file/db")
        #expect(configuration.ashbyAPIKey == "env-key")
        #expect(configuration.slackBotToken == "xoxb-file")
    }

    @Test func malformedEnvLineNamesLineButNotContent() {
        do {
            _ = try EnvironmentFile.parse("A=1\nsecret-without-equals\n", source: "cron.env")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "cron.env line 2: expected KEY=VALUE")
        }
    }

    @Test func unreadableEnvFile() {
        do {
            _ = try Configuration.load(environment: [:], envFile: "/nonexistent/ashby.env", requirements: .databaseOnly)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("cannot read env file /nonexistent/ashby.env"))
        }
    }
}
