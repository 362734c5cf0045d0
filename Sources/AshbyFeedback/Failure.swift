import AshbyAPI
import CurlHTTP
import Postgres
import SlackAPI

/// How a command ends when it fails: the exit code (documented in the README) and one line
/// saying what is wrong and what to do.
public struct Failure: Error, CustomStringConvertible {
    public enum ExitStatus: Int32, Sendable {
        case failure = 1
        case usage = 64
        case unavailable = 75
        case configuration = 78
    }

    public var status: ExitStatus
    public var description: String

    public init(status: ExitStatus, _ description: String) {
        self.status = status
        self.description = description
    }

    /// Classifies any error a command can throw.
    public init(_ error: any Error) {
        switch error {
        case let failure as Failure:
            self = failure
        case let error as ConfigurationError:
            self.init(status: .configuration, "configuration: \(error)")
        case let error as SchemaError:
            self.init(status: .configuration, "database schema: \(error)")
        case let error as PostgresError where error.isAuthenticationFailure:
            self.init(status: .configuration, "PostgreSQL refused the credentials in DATABASE_URL: \(error)")
        case let error as PostgresError where error.code == .invalidConnectionString:
            self.init(status: .configuration, "DATABASE_URL is not a valid connection string: \(error)")
        case let error as PostgresError where error.isDatabaseMissing:
            self.init(status: .configuration, "the database in DATABASE_URL does not exist (create it with createdb): \(error)")
        case let error as PostgresError where error.isConnectionFailure:
            self.init(status: .unavailable, "PostgreSQL unavailable: \(error); check DATABASE_URL and that the server is running")
        case let error as PostgresError:
            self.init(status: .failure, "PostgreSQL error: \(error)")
        case let error as AshbyError where error.isRateLimited:
            self.init(status: .unavailable, "\(error); Ashby kept rate limiting the API key within the run's budget, the next run will try again")
        case let error as AshbyError where error.isTemporary:
            self.init(status: .unavailable, "\(error); Ashby stayed unavailable after retries, the next run will try again")
        case let error as AshbyError:
            if case .unauthorized = error.kind {
                self.init(status: .configuration, "Ashby refused ASHBY_API_KEY: \(error); check the key and its permissions (interviewsRead, hiringProcessMetadataRead, candidatesRead, jobsRead)")
            } else {
                self.init(status: .failure, String(describing: error))
            }
        case let error as SlackError:
            self.init(slack: error)
        case let error as HTTPError where error.isTemporary:
            self.init(status: .unavailable, "\(error); the service stayed unavailable after retries, the next run will try again")
        default:
            self.init(status: .failure, String(describing: error))
        }
    }

    /// A Slack failure that ends the command, worded by what answered; the exit status follows
    /// `SlackCallOutcome`.
    private init(slack error: SlackError) {
        let outcome = SlackCallOutcome(kind: SlackCallKind(method: error.method), failure: error)
        switch (outcome.stopsRun, error.cause) {
        case (true, .httpStatus):
            self.init(status: .configuration, "SLACK_API_URL answered HTTP \(error.httpStatus ?? 0) without a Slack API response: \(error); check SLACK_API_URL / proxy")
        case (true, .notSent):
            self.init(status: .configuration, "a Slack request could not be built: \(error); check SLACK_BOT_TOKEN for stray characters")
        case (true, _):
            self.init(status: .configuration, "Slack refused the bot token: \(error); fix SLACK_BOT_TOKEN or the app's scopes (chat:write, users:read, users:read.email)")
        case (false, _) where outcome.verdict == .retryLater:
            self.init(status: .unavailable, "\(error); Slack stayed unavailable after retries, the next run will try again")
        case (false, _):
            self.init(status: .failure, String(describing: error))
        }
    }
}
