import Foundation

/// Everything a command needs from the environment (SPEC §2), validated once at start-up.
public struct Configuration: Sendable {
    public var databaseURL: String
    public var ashbyAPIKey: String?
    public var slackBotToken: String?
    public var ashbyAPIURL: String
    public var slackAPIURL: String
    public var reminderWindowStartMinutes: Int
    public var reminderWindowEndMinutes: Int
    public var formsRefreshMinutes: Int
    public var interviewsRefreshMinutes: Int
    public var slackUsersRefreshMinutes: Int
    public var auditRetentionDays: Int
    /// How long one `sync` may work (`RUN_BUDGET_SECONDS`).
    public var runBudget: Duration = .seconds(240)
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

    public init(values: [String: String], requirements: Requirements) throws(ConfigurationError) {
        func nonEmpty(_ key: String) -> String? {
            guard let value = values[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        func minutes(_ key: String, default defaultValue: Int) throws(ConfigurationError) -> Int {
            guard let text = nonEmpty(key) else { return defaultValue }
            guard let value = Int(text), value >= 0 else {
                throw ConfigurationError("\(key) must be a whole number >= 0, got \"\(text)\"")
            }
            return value
        }
        func baseURL(_ key: String, default defaultValue: String) throws(ConfigurationError) -> String {
            let text = nonEmpty(key) ?? defaultValue
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", url.host != nil else {
                throw ConfigurationError("\(key) must be an http(s) URL, got \"\(text)\"")
            }
            return text.hasSuffix("/") ? String(text.dropLast()) : text
        }

        guard let databaseURL = nonEmpty("DATABASE_URL") else {
            throw ConfigurationError("DATABASE_URL is not set: set it (e.g. postgresql://user@host/ashby_feedback) in the environment or the --env-file")
        }
        self.databaseURL = databaseURL
        ashbyAPIKey = nonEmpty("ASHBY_API_KEY")
        slackBotToken = nonEmpty("SLACK_BOT_TOKEN")
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
        ashbyAPIURL = try baseURL("ASHBY_API_URL", default: "https://api.ashbyhq.com")
        slackAPIURL = try baseURL("SLACK_API_URL", default: "https://slack.com/api")
        reminderWindowStartMinutes = try minutes("REMINDER_WINDOW_START_MINUTES", default: 4)
        reminderWindowEndMinutes = try minutes("REMINDER_WINDOW_END_MINUTES", default: 20)
        guard reminderWindowStartMinutes < reminderWindowEndMinutes else {
            throw ConfigurationError("REMINDER_WINDOW_START_MINUTES (\(reminderWindowStartMinutes)) must be less than REMINDER_WINDOW_END_MINUTES (\(reminderWindowEndMinutes))")
        }
        formsRefreshMinutes = try minutes("FORMS_REFRESH_MINUTES", default: 360)
        interviewsRefreshMinutes = try minutes("INTERVIEWS_REFRESH_MINUTES", default: 360)
        slackUsersRefreshMinutes = try minutes("SLACK_USERS_REFRESH_MINUTES", default: 60)
        auditRetentionDays = try minutes("AUDIT_RETENTION_DAYS", default: 90)
        heartbeatURL = nonEmpty("HEARTBEAT_URL")
        if let heartbeatURL {
            guard let url = URL(string: heartbeatURL), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", url.host != nil, url.query == nil, url.fragment == nil else {
                // The URL carries the monitor's key: the message never repeats it.
                throw ConfigurationError("HEARTBEAT_URL must be an http(s) URL without a query string (its value is not shown: it holds a key)")
            }
        }
        metricsFile = nonEmpty("METRICS_FILE")
    }
}
