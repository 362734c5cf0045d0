import CurlHTTP
import Foundation
import Logging
import SlackAPI
import TestSupport

/// Runs a `SlackClient` against a fake server off the cooperative pool, with fast retries and short timeouts.
struct SlackHarness {
    static let configuration = HTTPClientConfiguration(
        connectTimeout: .seconds(2), requestTimeout: .seconds(2),
        retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100)))

    let baseURL: String
    let botToken: String
    let logger: Logger
    let logs: RecordingLogHandler.Store
    /// The clients' sleeper: records retry waits instead of sleeping.
    let clock = ManualClock()

    init(baseURL: String, botToken: String) {
        self.baseURL = baseURL
        self.botToken = botToken
        (logger, logs) = RecordingLogHandler.logger()
    }

    init(_ slack: FakeSlack, botToken: String? = nil) {
        self.init(baseURL: slack.baseURL, botToken: botToken ?? slack.botToken)
    }

    /// Calls `body` with a fresh client on its own thread (libcurl blocks).
    func run<T: Sendable>(_ body: @escaping @Sendable (SlackClient) throws -> T) async throws -> T {
        let (baseURL, botToken, logger, clock) = (baseURL, botToken, logger, clock)
        return try await offloaded {
            let http = HTTPClient(configuration: Self.configuration, sleeper: clock, logger: logger)
            return try body(SlackClient(baseURL: baseURL, botToken: botToken, http: http, logger: logger))
        }
    }

    /// The error `postMessage` throws, or nil when it succeeds.
    func postError(_ message: SlackMessage) async throws -> SlackError? {
        try await run { client -> SlackError? in
            do throws(SlackError) {
                _ = try client.postMessage(message)
                return nil
            } catch {
                return error
            }
        }
    }

    /// The error `usersPage` throws, or nil when it succeeds.
    func usersError(cursor: String? = nil) async throws -> SlackError? {
        try await run { client -> SlackError? in
            do throws(SlackError) {
                _ = try client.usersPage(cursor: cursor)
                return nil
            } catch {
                return error
            }
        }
    }

    /// Every log line, flattened, for "never contains" checks.
    var allLogText: String {
        logs.all.map(\.text).joined(separator: "\n")
    }
}
