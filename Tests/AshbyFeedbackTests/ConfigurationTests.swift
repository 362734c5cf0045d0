import Foundation
import Testing
import TestSupport
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

    /// Issue 19 item 2: the Ashby API version is pinned; an override must be a version date.
    @Test func theAshbyAPIVersionIsPinnedAndAnOverrideMustBeADate() throws {
        #expect(try Configuration(values: base, requirements: everything).ashbyAPIVersion == "2026-01-01")
        var values = base
        values["ASHBY_API_VERSION"] = " 2027-03-01 "
        #expect(try Configuration(values: values, requirements: everything).ashbyAPIVersion == "2027-03-01")
        for malformed in ["latest", "2026-1-1", "2026-02-30", "20260101"] {
            values["ASHBY_API_VERSION"] = malformed
            #expect(
                throws: ConfigurationError(
                    "ASHBY_API_VERSION must be an Ashby API version date, YYYY-MM-DD (this build is written against 2026-01-01)"),
                "\(malformed)"
            ) { try Configuration(values: values, requirements: everything) }
        }
    }

    @Test func defaultTimeZoneIsUTCUnlessSetAndAnUnknownNameIsRefusedByName() throws {
        #expect(try Configuration(values: base, requirements: everything).defaultTimeZone.secondsFromGMT() == 0)
        var values = base
        values["DEFAULT_TIME_ZONE"] = "America/New_York"
        #expect(try Configuration(values: values, requirements: everything).defaultTimeZone.identifier == "America/New_York")
        values["DEFAULT_TIME_ZONE"] = "Mars/Olympus"
        #expect(throws: ConfigurationError("DEFAULT_TIME_ZONE must be a time zone name such as America/New_York or UTC")) {
            try Configuration(values: values, requirements: everything)
        }
    }

    /// Digests go out only inside working hours: a DIGEST_TIME before them means their start (the
    /// digest itself checks that), one at or after their end could never send and is refused.
    @Test func aDigestTimeAtOrAfterTheEndOfWorkingHoursIsRefused() throws {
        var values = base
        values["DIGEST_TIME"] = "08:00"
        #expect(try Configuration(values: values, requirements: everything).digest.timeMinute == 480)
        for (time, hours) in [("18:00", "09:00-18:00"), ("19:30", "09:00-18:00"), ("17:00", "08:00-17:00")] {
            values["DIGEST_TIME"] = time
            values["WORKING_HOURS"] = hours
            #expect(throws: ConfigurationError("DIGEST_TIME must be before the end of WORKING_HOURS (digests go out only in working hours), or off")) {
                try Configuration(values: values, requirements: everything)
            }
        }
        values["DIGEST_TIME"] = "off"
        #expect(try Configuration(values: values, requirements: everything).digest.timeMinute == nil)
    }

    @Test func envFileFillsOnlyUnsetVariables() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("ashby-feedback.env").path
        try """
            # comment
            export DATABASE_URL="postgresql://from-file/db"
            ASHBY_API_KEY='file-key'

            SLACK_BOT_TOKEN=xoxb-file
            """.write(toFile: path, atomically: true, encoding: .utf8)
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

    // MARK: Values as mounted from files (issue 9, items 10, 12, 13)

    /// Kubernetes secrets mounted from files end in a newline; the value is the text without it.
    @Test func trailingNewlinesAndSpacesAreTrimmedFromEveryValue() throws {
        let values = [
            "DATABASE_URL": "postgresql://localhost/x\n", "ASHBY_API_KEY": "k\r\n", "SLACK_BOT_TOKEN": " xoxb-1 \n",
            "ASHBY_API_URL": "http://127.0.0.1:1\n", "REMINDER_WINDOW_START_MINUTES": "5\r\n", "AUDIT_RETENTION_DAYS": "7\n",
        ]
        let configuration = try Configuration(values: values, requirements: everything)
        #expect(configuration.databaseURL == "postgresql://localhost/x")
        #expect(configuration.ashbyAPIKey == "k")
        #expect(configuration.slackBotToken == "xoxb-1")
        #expect(configuration.ashbyAPIURL == "http://127.0.0.1:1")
        #expect(configuration.reminderWindowStartMinutes == 5 && configuration.auditRetentionDays == 7)
    }

    /// A control character left inside a value (a line break in the middle, a tab) would corrupt a
    /// header or a connection string: the error names the variable and never shows the value.
    @Test(arguments: ["DATABASE_URL", "ASHBY_API_KEY", "SLACK_BOT_TOKEN", "SLACK_API_URL", "FORMS_REFRESH_MINUTES"])
    func controlCharactersInsideAValueAreRejectedByName(_ key: String) {
        var values = base
        values[key] = key == "SLACK_BOT_TOKEN" ? "xoxb-hunter2\nsecond-line" : "hunter2\u{7}secret"
        let error = configurationError(values)
        #expect(error?.description.contains(key) == true, "\(String(describing: error))")
        #expect(error?.description.contains("control character") == true, "\(String(describing: error))")
        #expect(error?.description.contains("hunter2") == false)
    }

    /// Every rejected setting gets one line naming the variable, and the line never echoes the value.
    @Test(arguments: [
        ("AUDIT_RETENTION_DAYS", "99999999999"), ("AUDIT_RETENTION_DAYS", "36501"), ("FORMS_REFRESH_MINUTES", "secret-ten"),
        ("ASHBY_API_URL", "ftp://secret.example"), ("SLACK_API_URL", "not a url"), ("REMINDER_WINDOW_END_MINUTES", "-7777"),
        ("RUN_BUDGET_SECONDS", "29"), ("RUN_BUDGET_SECONDS", "3601"), ("RUN_BUDGET_SECONDS", "4.5"),
    ])
    func rejectedValuesAreNamedButNeverEchoed(_ key: String, _ value: String) {
        var values = base
        values[key] = value
        let error = configurationError(values)
        #expect(error?.description.hasPrefix(key) == true, "\(String(describing: error))")
        #expect(error?.description.contains(value) == false, "\(String(describing: error))")
    }

    /// With `sync` every 5 minutes, a window narrower than 5 minutes lets an interview fall between two runs.
    @Test func reminderWindowNarrowerThanTheCronCadenceIsRejected() throws {
        var values = base
        values["REMINDER_WINDOW_START_MINUTES"] = "4"
        values["REMINDER_WINDOW_END_MINUTES"] = "8"
        let error = configurationError(values)
        #expect(error?.description.contains("REMINDER_WINDOW_START_MINUTES") == true, "\(String(describing: error))")
        #expect(error?.description.contains("REMINDER_WINDOW_END_MINUTES") == true)
        #expect(error?.description.contains("between two runs") == true)
        values["REMINDER_WINDOW_END_MINUTES"] = "9"
        let configuration = try Configuration(values: values, requirements: everything)
        #expect(configuration.reminderWindowEndMinutes - configuration.reminderWindowStartMinutes == 5)
    }

    @Test func runBudgetDefaultsTo240SecondsAndIsBounded() throws {
        #expect(try Configuration(values: base, requirements: everything).runBudget == .seconds(240))
        var values = base
        values["RUN_BUDGET_SECONDS"] = "30"
        #expect(try Configuration(values: values, requirements: everything).runBudget == .seconds(30))
        values["RUN_BUDGET_SECONDS"] = "3600"
        #expect(try Configuration(values: values, requirements: everything).runBudget == .seconds(3600))
    }

    @Test func auditRetentionIsBoundedToOneHundredYears() throws {
        var values = base
        values["AUDIT_RETENTION_DAYS"] = "36500"
        #expect(try Configuration(values: values, requirements: everything).auditRetentionDays == 36500)
    }

    /// Windows editors save CRLF; old Mac files use CR. Every line is read, and numbered as an editor shows it.
    @Test(arguments: ["\r\n", "\n", "\r"])
    func envFileLinesSplitOnEveryNewlineForm(_ newline: String) throws {
        let text = ["# comment", "A=1", "", "export B='two'", "C=3"].joined(separator: newline) + newline
        #expect(try EnvironmentFile.parse(text, source: "x.env") == ["A": "1", "B": "two", "C": "3"])
        let broken = ["A=1", "", "not-an-assignment", "B=2"].joined(separator: newline)
        do {
            _ = try EnvironmentFile.parse(broken, source: "x.env")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "x.env line 3: expected KEY=VALUE")
        }
    }

    /// The CRLF file of issue 9 item 13: read whole, it made the rest of the file the database name.
    @Test func aCRLFEnvFileIsReadLineByLineAndItsSecretsStayOutOfErrors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("ashby-feedback.env").path
        try "DATABASE_URL=postgresql://localhost/x\r\nASHBY_API_KEY=ashby-secret-4711\r\nSLACK_BOT_TOKEN=xoxb-secret-4711\r\nAUDIT_RETENTION_DAYS=99999999999\r\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try Configuration.load(environment: [:], envFile: path, requirements: everything)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("AUDIT_RETENTION_DAYS"), "\(error)")
            for secret in ["ashby-secret-4711", "xoxb-secret-4711", "99999999999"] {
                #expect(!error.description.contains(secret), "\(error)")
            }
        }
        try "DATABASE_URL=postgresql://localhost/x\r\nASHBY_API_KEY=ashby-secret-4711\r\nSLACK_BOT_TOKEN=xoxb-secret-4711\r\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let configuration = try Configuration.load(environment: [:], envFile: path, requirements: everything)
        #expect(configuration.databaseURL == "postgresql://localhost/x")
        #expect(configuration.ashbyAPIKey == "ashby-secret-4711" && configuration.slackBotToken == "xoxb-secret-4711")
    }

    private func configurationError(_ values: [String: String]) -> ConfigurationError? {
        do {
            _ = try Configuration(values: values, requirements: everything)
            Issue.record("expected a configuration error")
            return nil
        } catch {
            return error
        }
    }
}
