import Foundation
public import Logging

/// A synchronous HTTP client over one reused libcurl easy handle, so consecutive requests to a host share a
/// kept-alive connection. Retries temporary failures itself (see `send(_:)`).
///
/// Blocks the calling thread; use one instance from one thread at a time.
public final class HTTPClient {
    public let configuration: HTTPClientConfiguration
    /// When this client stops making requests; shared by the clients of one run. Default `.never`.
    public var deadline: Deadline
    /// HTTP requests that actually went out on a connection, retries included (failed connects are not counted).
    public private(set) var requestCount = 0
    /// TCP connections opened so far; stays at 1 while keep-alive works.
    public private(set) var connectionCount = 0

    private let logger: Logger
    /// Waits out retry delays (injected: tests record the delays instead of sleeping).
    public let sleeper: any Sleeper
    /// Times the rate-limited endpoints' waits (`RateLimitPolicy`); tests pass the clock their sleeper moves.
    public let clock: any MonotonicClock
    private let easy = CurlEasy()
    /// The endpoints that answered 429 to a request with a `RateLimitPolicy`, and when each may be tried again.
    private var rateLimited = RateLimitedEndpoints()

    /// - Parameters:
    ///   - deadline: The run's deadline (`Deadline(budget:)`); each attempt and retry wait must fit before it.
    ///   - sleeper: Waits between attempts; tests pass one that records the delays instead.
    ///   - clock: Measures the waits of rate-limited endpoints; tests pass the one `sleeper` advances.
    public init(
        configuration: HTTPClientConfiguration = HTTPClientConfiguration(),
        deadline: Deadline = .never,
        sleeper: any Sleeper = ThreadSleeper(),
        clock: any MonotonicClock = SystemMonotonicClock(),
        logger: Logger
    ) {
        self.configuration = configuration
        self.deadline = deadline
        self.sleeper = sleeper
        self.clock = clock
        self.logger = logger
    }

    /// Sends a request, retrying what is worth retrying, and returns the final response.
    ///
    /// Retried, with exponential backoff and jitter (`RetryPolicy`), up to `retry.maxAttempts` attempts
    /// (or the request's own `maxAttempts`):
    /// - 429, waiting as long as its Retry-After says (giving up at once when that exceeds `maxRetryAfter`);
    /// - 500, 502, 503 and 504 (Retry-After honoured when present);
    /// - transport failures (`TransportPhase`): timeouts, name resolution, connect, TLS handshake and proxy
    ///   failures, connections broken mid-exchange — not an untrusted certificate, which fails the same way
    ///   a moment later (a later run tries again), nor a request that cannot be made.
    ///
    /// A non-idempotent request goes out on a fresh connection (so libcurl cannot silently re-send it) and
    /// is retried only on 429 and on failures before it left (`TransportPhase.isBeforeSending`); otherwise
    /// it fails at once with `mayHaveBeenDelivered == true`.
    ///
    /// A request with a `RateLimitPolicy` waits out its endpoint's 429s by that policy instead: every
    /// request to an endpoint that answered 429 waits until the policy lets it go, and gives up with
    /// `.rateLimited` when that wait would pass the deadline or the request may make a single attempt only.
    ///
    /// The `deadline` caps each attempt's timeout; a wait that would pass it, or an attempt that would start
    /// after it, gives up with `.deadlineReached`. A header value with a control character is refused before
    /// anything is sent (`.invalidHeaderValue`).
    ///
    /// Any other status, 4xx included, is returned as a response for the caller to judge.
    /// - Throws: `HTTPError` when attempts run out on a retryable failure, or on a failure not worth retrying.
    public func send(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        if let name = request.headerWithControlCharacter {
            throw HTTPError(
                endpoint: request.endpoint, kind: .invalidHeaderValue(name: name), attempts: 0,
                mayHaveBeenDelivered: false, isTemporary: false)
        }
        let policy = configuration.retry
        let maxAttempts = request.maxAttempts ?? policy.maxAttempts
        var mayHaveBeenDelivered = false
        var attempt = 0
        var lastError: HTTPError?
        while true {
            if let rateLimit = request.rateLimit {
                try waitForRateLimit(request, policy: rateLimit, attempts: attempt, maxAttempts: maxAttempts, last: lastError)
            }
            var attemptConfiguration = configuration
            attemptConfiguration.requestTimeout = request.timeout ?? configuration.requestTimeout
            if let remaining = deadline.remaining {
                // libcurl takes whole milliseconds, and 0 would mean "no timeout".
                guard remaining >= .milliseconds(1) else {
                    throw deadlineReached(request, attempts: attempt, mayHaveBeenDelivered: mayHaveBeenDelivered)
                }
                attemptConfiguration.requestTimeout = min(attemptConfiguration.requestTimeout, remaining)
            }
            attempt += 1
            let attemptStart = clock.now
            let started = ContinuousClock.now
            let transfer = easy.perform(request, configuration: attemptConfiguration)
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
            // A 429 under a rate-limit policy makes every request to the endpoint wait, this one's retry included.
            var paced = false
            if let rateLimit = request.rateLimit, failure.kind == .status(429) {
                rateLimited.recordRefusal(
                    endpoint: request.endpoint, startedAt: attemptStart, answeredAt: clock.now,
                    retryAfter: failure.retryAfter, policy: rateLimit)
                paced = true
            }
            guard mayRetry, attempt < maxAttempts else {
                throw error
            }
            if let retryAfter = failure.retryAfter, !policy.allowsWaiting(retryAfter: retryAfter) {
                error.kind = .retryAfterTooLong(retryAfter)
                throw error
            }
            if paced {
                // The endpoint's wait comes before the next attempt (`waitForRateLimit`).
                lastError = error
                continue
            }
            let delay = policy.delay(afterAttempt: attempt, retryAfter: failure.retryAfter, jitter: .random(in: 0..<1))
            if let remaining = deadline.remaining, delay >= remaining {
                throw deadlineReached(request, attempts: attempt, mayHaveBeenDelivered: mayHaveBeenDelivered, last: error)
            }
            logger.warning("http_retry", metadata: [
                "http.endpoint": "\(request.endpoint)",
                "http.attempt": "\(attempt)",
                "http.reason": "\(failure.reason)",
                "http.delay_ms": "\(delay.inMilliseconds)",
            ])
            sleeper.sleep(for: delay)
        }
    }

    /// Waits until a rate-limited endpoint may be tried again (`RateLimitedEndpoints`), or gives up with
    /// `.rateLimited` when the wait would pass the deadline or the request makes a single attempt, and with
    /// `.retryAfterTooLong` when a server's Retry-After made it longer than `RetryPolicy.maxRetryAfter` (the
    /// policy's own waits are never longer than its window).
    private func waitForRateLimit(
        _ request: HTTPRequest, policy: RateLimitPolicy, attempts: Int, maxAttempts: Int, last: HTTPError?
    ) throws(HTTPError) {
        let wait = rateLimited.wait(before: request.endpoint, now: clock.now)
        guard wait > .zero else { return }
        func giveUp(_ kind: HTTPError.Kind) -> HTTPError {
            logger.warning("http_rate_limited", metadata: [
                "http.endpoint": "\(request.endpoint)", "http.attempt": "\(attempts)",
                "http.wait_ms": "\(wait.inMilliseconds)", "http.gave_up": "true",
            ])
            return HTTPError(
                endpoint: request.endpoint, kind: kind, attempts: attempts,
                mayHaveBeenDelivered: last?.mayHaveBeenDelivered ?? false, isTemporary: true, response: last?.response,
                elapsed: last?.elapsed ?? .zero)
        }
        if maxAttempts <= 1 { throw giveUp(.rateLimited(wait: wait, pastDeadline: false)) }
        if let remaining = deadline.remaining, wait >= remaining { throw giveUp(.rateLimited(wait: wait, pastDeadline: true)) }
        if wait > policy.window, !configuration.retry.allowsWaiting(retryAfter: wait) { throw giveUp(.retryAfterTooLong(wait)) }
        logger.warning("http_rate_limited", metadata: [
            "http.endpoint": "\(request.endpoint)", "http.attempt": "\(attempts)", "http.wait_ms": "\(wait.inMilliseconds)",
        ])
        sleeper.sleep(for: wait)
    }

    /// The error for a request given up because of the deadline, keeping the last attempt's response.
    private func deadlineReached(
        _ request: HTTPRequest, attempts: Int, mayHaveBeenDelivered: Bool, last: HTTPError? = nil
    ) -> HTTPError {
        logger.warning("http_deadline_reached", metadata: [
            "http.endpoint": "\(request.endpoint)", "http.attempt": "\(attempts)",
        ])
        return HTTPError(
            endpoint: request.endpoint, kind: .deadlineReached, attempts: attempts,
            mayHaveBeenDelivered: mayHaveBeenDelivered, isTemporary: true, response: last?.response,
            elapsed: last?.elapsed ?? .zero)
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
            case .connectFailed(let phase, _): "\(phase) failed"
            case .transport(let message): message
            case .status(let status): "HTTP \(status)"
            case .retryAfterTooLong: "Retry-After too long"
            case .responseTooLarge: "response too large"
            case .deadlineReached: "deadline reached"
            case .rateLimited: "rate limited"
            case .invalidHeaderValue: "invalid header value"
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
        case .failure(.transport(let phase, let message, let timedOut)):
            let kind: HTTPError.Kind =
                timedOut ? .timeout
                : phase.isBeforeSending && phase != .request ? .connectFailed(phase, message)
                : .transport(message)
            let failure = Failure(kind: kind, mayHaveBeenDelivered: !phase.isBeforeSending, isTemporary: phase.isTemporary)
            let repeatsSafely = request.isIdempotent || phase.isBeforeSending
            return phase.retriesAtOnce && repeatsSafely ? .retry(failure) : .fail(failure)
        case .failure(.bodyTooLarge):
            return .fail(Failure(
                kind: .responseTooLarge(configuration.maxResponseBytes), mayHaveBeenDelivered: true, isTemporary: false
            ))
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
