/// What one `HTTPClient` remembers about the endpoints that answered 429 to requests carrying a
/// `RateLimitPolicy`: when their recent refused attempts started, and the earliest instant each may be
/// tried again (every request to the endpoint waits for it, not only the retries of the refused one).
struct RateLimitedEndpoints {
    private struct Endpoint {
        /// Start instants of the remembered refused attempts, oldest first.
        var refusals: [Duration] = []
        var notBefore: Duration = .zero
    }

    private var endpoints: [String: Endpoint] = [:]

    /// How long an attempt on `endpoint` starting at `now` must wait; zero when it may go at once.
    func wait(before endpoint: String, now: Duration) -> Duration {
        guard let notBefore = endpoints[endpoint]?.notBefore else { return .zero }
        return max(notBefore - now, .zero)
    }

    /// Records a 429 to an attempt on `endpoint` that started at `startedAt` and was answered at
    /// `answeredAt`, and returns when the endpoint may be tried again.
    @discardableResult
    mutating func recordRefusal(
        endpoint name: String, startedAt: Duration, answeredAt: Duration, retryAfter: Duration?, policy: RateLimitPolicy
    ) -> Duration {
        var endpoint = endpoints[name] ?? Endpoint()
        endpoint.refusals.append(startedAt)
        endpoint.refusals.removeFirst(max(endpoint.refusals.count - policy.remembered, 0))
        endpoint.notBefore = policy.nextAttempt(refusals: endpoint.refusals, answeredAt: answeredAt, retryAfter: retryAfter)
        endpoints[name] = endpoint
        return endpoint.notBefore
    }
}
