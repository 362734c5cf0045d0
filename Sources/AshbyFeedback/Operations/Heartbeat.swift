import CurlHTTP
import Foundation
import Logging

/// Pings an external monitor (healthchecks.io, Cronitor, Better Stack) so that a job that stops
/// running at all — host down, crontab lost, CronJob suspended — raises an alarm somewhere else.
///
/// The convention those services share: `GET <url>/start` when a run starts working, `GET <url>`
/// when it succeeds, `POST <url>/fail` with the error line as the body when it fails. A run that
/// skips (another run holds the lock) pings nothing, so a stuck run never looks healthy.
///
/// One attempt per ping with a 5-second limit. A failed ping is one warning and changes nothing
/// else; after one, the success ping is left out (an unreachable monitor costs a succeeding run one
/// warning and at most one timeout), but a failure is always reported. The URL carries the monitor's key: it never appears in a log line or an error.
public final class Heartbeat: RunObserver {
    enum Ping: String {
        case start, success, fail

        var pathSuffix: String {
            switch self {
            case .start: "/start"
            case .success: ""
            case .fail: "/fail"
            }
        }
    }

    /// One attempt, 5 seconds at most: a slow monitor must not hold the run (or its lock).
    public static let httpConfiguration = HTTPClientConfiguration(
        connectTimeout: .seconds(5), requestTimeout: .seconds(5), retry: RetryPolicy(maxAttempts: 1))

    private let url: String
    private let http: HTTPClient
    private let logger: Logger
    private var gaveUp = false

    public init(url: String, logger: Logger, configuration: HTTPClientConfiguration = Heartbeat.httpConfiguration) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.http = HTTPClient(configuration: configuration, logger: logger)
        self.logger = logger
    }

    public func runStarted() {
        send(.start)
    }

    public func succeeded() {
        send(.success)
    }

    /// - Parameter line: the one-line error the command prints, sent as the body.
    public func failed(line: String) {
        send(.fail, body: Data(line.utf8))
    }

    private func send(_ ping: Ping, body: Data? = nil) {
        guard !gaveUp || ping == .fail else { return }
        let request = HTTPRequest(
            method: body == nil ? "GET" : "POST", url: url + ping.pathSuffix,
            headers: body == nil ? [] : [("Content-Type", "text/plain; charset=utf-8")],
            body: body, endpoint: "heartbeat \(ping.rawValue)")
        do {
            let response = try http.send(request)
            guard (200..<300).contains(response.status) else {
                giveUp(ping, cause: "HTTP \(response.status)")
                return
            }
            logger.debug("heartbeat_sent", metadata: ["ping": "\(ping.rawValue)"])
        } catch {
            giveUp(ping, cause: "\(error)")
        }
    }

    private func giveUp(_ ping: Ping, cause: String) {
        gaveUp = true
        logger.warning("heartbeat_failed", metadata: [
            "ping": "\(ping.rawValue)", "error": "\(cause)", "effect": "no success ping this run",
        ])
    }
}
