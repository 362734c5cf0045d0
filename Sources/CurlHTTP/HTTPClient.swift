import Foundation
public import Logging

/// A synchronous HTTP client over one reused libcurl easy handle, so consecutive requests to a host share a
/// kept-alive connection. Retries temporary failures itself (see `send(_:)`).
///
/// Blocks the calling thread; use one instance from one thread at a time.
public final class HTTPClient {
    public let configuration: HTTPClientConfiguration
    /// HTTP requests that actually went out on a connection, retries included (failed connects are not counted).
    public private(set) var requestCount = 0
    /// TCP connections opened so far; stays at 1 while keep-alive works.
    public private(set) var connectionCount = 0

    private let logger: Logger
    private let easy = CurlEasy()

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration(), logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Sends a request, retrying what is worth retrying, and returns the final response.
    ///
    /// Retried, with exponential backoff and jitter (`RetryPolicy`), up to `retry.maxAttempts` attempts:
    /// - 429, waiting as long as its Retry-After says (giving up at once when that exceeds `maxRetryAfter`);
    /// - 500, 502, 503 and 504 (Retry-After honoured when present);
    /// - timeouts, connect failures and connections broken mid-exchange.
    ///
    /// A non-idempotent request is retried only on 429 and on failures before it was sent (connect failures,
    /// connect timeouts); otherwise it fails at once with `mayHaveBeenDelivered == true`.
    ///
    /// Any other status, 4xx included, is returned as a response for the caller to judge.
    /// - Throws: `HTTPError` when attempts run out on a retryable failure, or on a failure not worth retrying.
    public func send(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        let policy = configuration.retry
        var mayHaveBeenDelivered = false
        var attempt = 0
        while true {
            attempt += 1
            let started = ContinuousClock.now
            let transfer = easy.perform(request, configuration: configuration)
            let elapsed = started.duration(to: .now)
            if transfer.requestSent {
                requestCount += 1
            }
            connectionCount += transfer.newConnections
            logAttempt(request, transfer: transfer, attempt: attempt, elapsed: elapsed)

            let failure: Failure
            let mayRetry: Bool
            switch judge(transfer, of: request) {
            case .success(let response):
                return response
            case .retry(let retryable):
                (failure, mayRetry) = (retryable, true)
            case .fail(let final):
                (failure, mayRetry) = (final, false)
            }
            // Only a non-idempotent request can do harm when repeated, so only there is delivery worth reporting.
            mayHaveBeenDelivered = mayHaveBeenDelivered || (failure.mayHaveBeenDelivered && !request.isIdempotent)
            var error = HTTPError(
                endpoint: request.endpoint,
                kind: failure.kind,
                attempts: attempt,
                mayHaveBeenDelivered: mayHaveBeenDelivered,
                isTemporary: failure.isTemporary,
                response: failure.response,
                elapsed: elapsed
            )
            guard mayRetry, attempt < policy.maxAttempts else {
                throw error
            }
            if let retryAfter = failure.retryAfter, !policy.allowsWaiting(retryAfter: retryAfter) {
                error.kind = .retryAfterTooLong(retryAfter)
                throw error
            }
            let delay = policy.delay(afterAttempt: attempt, retryAfter: failure.retryAfter, jitter: .random(in: 0..<1))
            logger.warning("http_retry", metadata: [
                "http.endpoint": "\(request.endpoint)",
                "http.attempt": "\(attempt)",
                "http.reason": "\(failure.reason)",
                "http.delay_ms": "\(delay.inMilliseconds)",
            ])
            Thread.sleep(forTimeInterval: delay.inSeconds)
        }
    }

    /// What went wrong in one attempt, and what it means for the next.
    private struct Failure {
        var kind: HTTPError.Kind
        var mayHaveBeenDelivered: Bool
        var isTemporary: Bool
        var response: HTTPResponse? = nil
        var retryAfter: Duration? = nil

        /// Short cause for the retry log line.
        var reason: String {
            switch kind {
            case .timeout: "timeout"
            case .connectFailed: "connect failed"
            case .transport(let message): message
            case .status(let status): "HTTP \(status)"
            case .retryAfterTooLong: "Retry-After too long"
            case .responseTooLarge: "response too large"
            }
        }
    }

    private enum Verdict {
        case success(HTTPResponse)
        case retry(Failure)
        case fail(Failure)
    }

    private static let retryableStatuses: Set<Int> = [429, 500, 502, 503, 504]

    /// Applies the retry rules to one attempt's outcome.
    private func judge(_ transfer: CurlEasy.Transfer, of request: HTTPRequest) -> Verdict {
        switch transfer.outcome {
        case .response(let response) where response.status == 429:
            // Rate limited: the server did not act on the request, so even a non-idempotent one may be repeated.
            return .retry(Failure(
                kind: .status(429), mayHaveBeenDelivered: false, isTemporary: true, response: response,
                retryAfter: RetryPolicy.parseRetryAfter(response.header("retry-after"), now: Date())
            ))
        case .response(let response) where Self.retryableStatuses.contains(response.status):
            let failure = Failure(
                kind: .status(response.status), mayHaveBeenDelivered: true, isTemporary: true, response: response,
                retryAfter: RetryPolicy.parseRetryAfter(response.header("retry-after"), now: Date())
            )
            return request.isIdempotent ? .retry(failure) : .fail(failure)
        case .response(let response):
            return .success(response)
        case .failure(.connect):
            return .retry(Failure(kind: .connectFailed, mayHaveBeenDelivered: false, isTemporary: true))
        case .failure(.timeout):
            let failure = Failure(kind: .timeout, mayHaveBeenDelivered: transfer.requestSent, isTemporary: true)
            return request.isIdempotent || !transfer.requestSent ? .retry(failure) : .fail(failure)
        case .failure(.broken(let message)):
            let failure = Failure(kind: .transport(message), mayHaveBeenDelivered: transfer.requestSent, isTemporary: true)
            return request.isIdempotent || !transfer.requestSent ? .retry(failure) : .fail(failure)
        case .failure(.bodyTooLarge):
            return .fail(Failure(
                kind: .responseTooLarge(configuration.maxResponseBytes), mayHaveBeenDelivered: true, isTemporary: false
            ))
        case .failure(.other(let message)):
            return .fail(Failure(kind: .transport(message), mayHaveBeenDelivered: transfer.requestSent, isTemporary: false))
        }
    }

    /// One debug line per attempt: method, endpoint, status or failure, attempt number, duration. Never the
    /// URL, headers or body.
    private func logAttempt(_ request: HTTPRequest, transfer: CurlEasy.Transfer, attempt: Int, elapsed: Duration) {
        var metadata: Logger.Metadata = [
            "http.method": "\(request.method)",
            "http.endpoint": "\(request.endpoint)",
            "http.attempt": "\(attempt)",
            "http.ms": "\(elapsed.inMilliseconds)",
        ]
        switch transfer.outcome {
        case .response(let response):
            metadata["http.status"] = "\(response.status)"
        case .failure(let failure):
            metadata["http.error"] = "\(failure)"
        }
        logger.debug("http_request", metadata: metadata)
    }
}

@available(*, unavailable, message: "HTTPClient blocks and keeps per-handle state: use it from one thread")
extension HTTPClient: Sendable {}
