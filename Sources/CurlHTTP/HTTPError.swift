/// Why `HTTPClient.send(_:)` gave up on a request.
///
/// `description` is one line naming the endpoint and the cause, e.g.
/// "interviewSchedule.list: timed out after 30 s (3 attempts)". It never contains a URL, a header value or
/// a body, so it is safe to log and to store.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The attempt ran past the connect or request timeout (`mayHaveBeenDelivered` says on which side
        /// of sending).
        case timeout
        /// The request never reached the server: name resolution, connect, TLS handshake or certificate,
        /// or the proxy failed (`TransportPhase` says which); the text is libcurl's generic message.
        case connectFailed(TransportPhase, String)
        /// The connection failed mid-exchange (reset, truncated body, empty or malformed reply) or libcurl
        /// refused the request (e.g. a malformed URL); the text is libcurl's generic message for its error code.
        case transport(String)
        /// The server kept answering 429 or 5xx until attempts ran out, or a non-idempotent request got a 5xx.
        case status(Int)
        /// The server asked to wait (Retry-After) longer than `RetryPolicy.maxRetryAfter`.
        case retryAfterTooLong(Duration)
        /// The response body exceeded `HTTPClientConfiguration.maxResponseBytes` (the limit, in bytes).
        case responseTooLarge(Int)
        /// The run's `Deadline` passed, or a retry wait would have passed it: no (further) attempt was made.
        case deadlineReached
        /// The endpoint answered 429 and its `RateLimitPolicy` wants the next attempt `wait` from now:
        /// past the run's deadline, or (`pastDeadline == false`) longer than a single-attempt request waits.
        /// No (further) attempt was made.
        case rateLimited(wait: Duration, pastDeadline: Bool)
        /// The value of the named header holds a control character; nothing was sent. The value itself is
        /// never reported.
        case invalidHeaderValue(name: String)
    }

    /// The request's short name, e.g. "chat.postMessage".
    public var endpoint: String
    public var kind: Kind
    /// Attempts made, the failed last one included (0: nothing was sent).
    public var attempts: Int
    /// True when a non-idempotent request may have reached the server and been acted on (timeout or broken
    /// connection after sending, 5xx: `TransportPhase` is the rule for transport failures), so repeating it
    /// could duplicate its effect. Always false for idempotent requests, which are safe to repeat either way.
    public var mayHaveBeenDelivered: Bool
    /// Worth trying again on a later run (timeouts, name resolution, connect, TLS and proxy failures, 5xx,
    /// 429), as opposed to a request that cannot be made at all or an answer too large.
    public var isTemporary: Bool
    /// The last response, when the failure was a status.
    public var response: HTTPResponse?
    /// How long the last attempt took.
    public var elapsed: Duration

    public init(
        endpoint: String,
        kind: Kind,
        attempts: Int,
        mayHaveBeenDelivered: Bool,
        isTemporary: Bool,
        response: HTTPResponse? = nil,
        elapsed: Duration = .zero
    ) {
        self.endpoint = endpoint
        self.kind = kind
        self.attempts = attempts
        self.mayHaveBeenDelivered = mayHaveBeenDelivered
        self.isTemporary = isTemporary
        self.response = response
        self.elapsed = elapsed
    }

    /// The server said "not now" (HTTP 429), as opposed to failing: the last answer was a 429, or the
    /// rate limit's wait did not fit.
    public var isRateLimited: Bool {
        if case .rateLimited = kind { return true }
        return response?.status == 429
    }

    public var description: String {
        let attemptCount = attempts == 0 ? "not sent" : attempts == 1 ? "1 attempt" : "\(attempts) attempts"
        let delivery = mayHaveBeenDelivered ? "; may have been delivered" : ""
        return "\(endpoint): \(cause) (\(attemptCount)\(delivery))"
    }

    private var cause: String {
        switch kind {
        case .timeout:
            "timed out after \(elapsed.secondsDescription)"
        case .connectFailed(let phase, let message):
            "could not connect (\(phase)): \(message)"
        case .transport(let message):
            "connection failed: \(message)"
        case .status(let status):
            "HTTP \(status)"
        case .retryAfterTooLong(let retryAfter):
            "HTTP \(response?.status ?? 429), server asked to retry after \(retryAfter.secondsDescription), "
                + "longer than this client waits"
        case .responseTooLarge(let limit):
            "response body larger than \(limit) bytes"
        case .deadlineReached:
            "run deadline reached, no further attempt"
        case .rateLimited(let wait, let pastDeadline):
            "rate limited (HTTP 429): the next attempt could start only in \(wait.secondsDescription), "
                + (pastDeadline ? "after the run's deadline" : "and this request makes a single attempt")
        case .invalidHeaderValue(let name):
            "header \(name) has a control character (CR, LF, NUL…) in its value"
        }
    }
}
