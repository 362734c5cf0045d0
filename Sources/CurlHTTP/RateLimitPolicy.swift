/// How `HTTPClient` paces one endpoint of a service that answers 429 without always saying for how
/// long (Ashby documents its 429 but no Retry-After header). Pure: the caller passes the instants, on
/// the client's monotonic clock.
///
/// Once an endpoint answers 429, its next attempt waits for the server's Retry-After, or at least
/// `waitWithoutRetryAfter` when there is none, and never makes more than `maxAttemptsPerWindow`
/// attempts on that endpoint fall in one `window`: the attempts counted are those answered 429 within
/// the window, plus the one about to start. With Ashby's policy (10 s, 3 a minute), an endpoint that
/// keeps answering 429 sees attempts at 0, 10, 20, 60, 70, … s — where the client's old backoff made
/// five attempts in about 8 s.
///
/// A request without a policy (Slack, which always sends Retry-After) keeps the `RetryPolicy` rules.
public struct RateLimitPolicy: Sendable, Equatable {
    /// The wait after a 429 that carries no Retry-After.
    public var waitWithoutRetryAfter: Duration
    /// Most attempts on one endpoint within `window` while it answers 429 (values below 1 behave as 1).
    public var maxAttemptsPerWindow: Int
    public var window: Duration

    public init(waitWithoutRetryAfter: Duration, maxAttemptsPerWindow: Int, window: Duration) {
        self.waitWithoutRetryAfter = waitWithoutRetryAfter
        self.maxAttemptsPerWindow = maxAttemptsPerWindow
        self.window = window
    }

    /// The earliest instant the endpoint may be tried again after a 429.
    /// - Parameters:
    ///   - refusals: When the endpoint's recent attempts that were answered 429 started, oldest first,
    ///     the one just answered last.
    ///   - answeredAt: When that last 429 arrived.
    ///   - retryAfter: Its Retry-After, if it had one; honoured exactly (negative counts as 0).
    public func nextAttempt(refusals: [Duration], answeredAt: Duration, retryAfter: Duration?) -> Duration {
        var earliest = answeredAt + max(retryAfter ?? waitWithoutRetryAfter, .zero)
        // The next attempt joins the refusals still inside its window: at most `limit - 1` of them may be.
        let limit = max(maxAttemptsPerWindow, 1)
        if refusals.count >= limit {
            earliest = max(earliest, refusals[refusals.count - limit] + window)
        }
        return earliest
    }

    /// Refusals worth remembering for `nextAttempt`: the most recent `maxAttemptsPerWindow`.
    var remembered: Int { max(maxAttemptsPerWindow, 1) }
}
