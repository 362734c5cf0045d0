import AshbyAPI
import Foundation

/// Everything a command needs from the environment (SPEC §2), validated once at start-up.
public struct Configuration: Sendable {
    public var databaseURL: String
    public var ashbyAPIKey: String?
    public var slackBotToken: String?
    public var ashbyAPIURL: String
    /// The Ashby API version every request names (`ASHBY_API_VERSION`, default `AshbyAPIVersion.pinned`).
    public var ashbyAPIVersion: String
    public var slackAPIURL: String
    public var reminderWindowStartMinutes: Int
    public var reminderWindowEndMinutes: Int
    public var formsRefreshMinutes: Int
    public var interviewsRefreshMinutes: Int
    public var slackUsersRefreshMinutes: Int
    public var auditRetentionDays: Int
    /// How long one run may spend on its data steps (`RUN_BUDGET_SECONDS`): kept below the cron cadence.
    public var runBudget: Duration
    /// When nudges and digests may reach people, in their own Slack time zone (`WORKING_HOURS`, `WORKING_DAYS`).
    public var workingHours: WorkingHours
    /// The zone of a Slack member whose `tz` this build does not know and who has no `tz_offset`
    /// (`DEFAULT_TIME_ZONE`, UTC unless set): see `SlackTimeZone`.
    public var defaultTimeZone: TimeZone
    /// Overdue feedback and the daily digest (`FEEDBACK_OVERDUE_HOURS`, `DIGEST_*`).
    public var digest: DigestSettings
    /// Post-interview nudges (`FEEDBACK_NUDGE_*`): when the first goes out, how many at most, and
    /// how old an interview may be to be nudged about at all.
    public var nudges: NudgeSettings
    /// Pinged at the start and end of each run that works (`Heartbeat`); carries the monitor's key, never logged.
    public var heartbeatURL: String?
    /// Where the Prometheus gauges go after each run that works (`MetricsFile`).
    public var metricsFile: String?

    /// What the command about to run requires beyond `DATABASE_URL`.
    public struct Requirements: Sendable {
        public var ashby: Bool
        public var slack: Bool

        public static let databaseOnly = Requirements(ashby: false, slack: false)

        public init(ashby: Bool, slack: Bool) {
            self.ashby = ashby
            self.slack = slack
        }
    }

    /// Reads the process environment, with `envFile` filling what is unset.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        envFile: String?,
        requirements: Requirements
    ) throws(ConfigurationError) -> Configuration {
        var merged = environment
        if let envFile {
            for (key, value) in try EnvironmentFile.load(path: envFile) where merged[key] == nil {
                merged[key] = value
            }
        }
        return try Configuration(values: merged, requirements: requirements)
    }

    /// How often cron runs `sync`: the reminder window must be at least this wide.
    static let cronCadenceMinutes = 5

    /// Validates `values`. Every error names the variable and never shows its value, which may be a secret.
    public init(values: [String: String], requirements: Requirements) throws(ConfigurationError) {
        let settings = ConfigurationValues(values)
        guard let databaseURL = try settings.text("DATABASE_URL") else {
            throw ConfigurationError("DATABASE_URL is not set: set it (e.g. postgresql://user@host/ashby_feedback) in the environment or the --env-file")
        }
        self.databaseURL = databaseURL
        ashbyAPIKey = try settings.text("ASHBY_API_KEY")
        slackBotToken = try settings.text("SLACK_BOT_TOKEN")
        if requirements.ashby, ashbyAPIKey == nil {
            throw ConfigurationError("ASHBY_API_KEY is not set: set it in the environment or the --env-file")
        }
        if requirements.slack {
            guard let token = slackBotToken else {
                throw ConfigurationError("SLACK_BOT_TOKEN is not set: set it, or run with --no-reminders")
            }
            guard token.hasPrefix("xoxb-") else {
                throw ConfigurationError("SLACK_BOT_TOKEN must be a bot token (xoxb-…)")
            }
        }
        ashbyAPIURL = try settings.baseURL("ASHBY_API_URL", default: "https://api.ashbyhq.com")
        slackAPIURL = try settings.baseURL("SLACK_API_URL", default: "https://slack.com/api")
        ashbyAPIVersion = try settings.text("ASHBY_API_VERSION") ?? AshbyAPIVersion.pinned
        guard AshbyAPIVersion.isWellFormed(ashbyAPIVersion) else {
            throw ConfigurationError("ASHBY_API_VERSION must be an Ashby API version date, YYYY-MM-DD (this build is written against \(AshbyAPIVersion.pinned))")
        }
        reminderWindowStartMinutes = try settings.wholeNumber("REMINDER_WINDOW_START_MINUTES", default: 4, in: 0...1440)
        reminderWindowEndMinutes = try settings.wholeNumber("REMINDER_WINDOW_END_MINUTES", default: 20, in: 0...1440)
        guard reminderWindowEndMinutes - reminderWindowStartMinutes >= Self.cronCadenceMinutes else {
            throw ConfigurationError("REMINDER_WINDOW_END_MINUTES must be at least \(Self.cronCadenceMinutes) more than REMINDER_WINDOW_START_MINUTES (the cron cadence), or a reminder could fall between two runs")
        }
        formsRefreshMinutes = try settings.wholeNumber("FORMS_REFRESH_MINUTES", default: 360, in: 0...525_600)
        interviewsRefreshMinutes = try settings.wholeNumber("INTERVIEWS_REFRESH_MINUTES", default: 360, in: 0...525_600)
        slackUsersRefreshMinutes = try settings.wholeNumber("SLACK_USERS_REFRESH_MINUTES", default: 60, in: 0...525_600)
        auditRetentionDays = try settings.wholeNumber("AUDIT_RETENTION_DAYS", default: 90, in: 0...36_500)
        runBudget = .seconds(try settings.wholeNumber("RUN_BUDGET_SECONDS", default: 240, in: 30...3600))
        workingHours = try WorkingHours.parse(hours: try settings.text("WORKING_HOURS"), days: try settings.text("WORKING_DAYS"))
        defaultTimeZone = WorkingHours.utc
        if let name = try settings.text("DEFAULT_TIME_ZONE") {
            guard let zone = TimeZone(identifier: name) else {
                throw ConfigurationError("DEFAULT_TIME_ZONE must be a time zone name such as America/New_York or UTC")
            }
            defaultTimeZone = zone
        }
        digest = try DigestSettings(settings)
        // A DIGEST_TIME before the working day sends at its start; one at or after its end could never send.
        if let time = digest.timeMinute, time >= workingHours.endMinute {
            throw ConfigurationError("DIGEST_TIME must be before the end of WORKING_HOURS (digests go out only in working hours), or off")
        }
        nudges = NudgeSettings(
            afterMinutes: try settings.wholeNumber("FEEDBACK_NUDGE_AFTER_MINUTES", default: 60, in: 0...10_080),
            maxNudges: try settings.wholeNumber("FEEDBACK_NUDGE_MAX", default: 3, in: 0...20),
            maxAgeHours: try settings.wholeNumber("FEEDBACK_NUDGE_MAX_AGE_HOURS", default: 96, in: 1...8_760))
        heartbeatURL = try settings.text("HEARTBEAT_URL")
        if let heartbeatURL {
            guard let url = URL(string: heartbeatURL), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", url.host != nil, url.query == nil, url.fragment == nil else {
                // The URL carries the monitor's key: the message never repeats it.
                throw ConfigurationError("HEARTBEAT_URL must be an http(s) URL without a query string (its value is not shown: it holds a key)")
            }
        }
        metricsFile = try settings.text("METRICS_FILE")
    }
}
