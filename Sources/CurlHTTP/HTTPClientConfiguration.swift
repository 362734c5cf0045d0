/// Timeouts, retries and limits for an `HTTPClient`.
public struct HTTPClientConfiguration: Sendable {
    /// Longest wait for the TCP (and TLS) connection to be set up. Default 10 s.
    public var connectTimeout: Duration
    /// Longest time one attempt may take in total, connecting included. Default 30 s.
    public var requestTimeout: Duration
    public var retry: RetryPolicy
    /// Sent as the User-Agent header.
    public var userAgent: String
    /// A larger response body fails the request instead of filling memory. Default 32 MiB.
    public var maxResponseBytes: Int

    public init(
        connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(30),
        retry: RetryPolicy = RetryPolicy(),
        userAgent: String = "ashby-feedback",
        maxResponseBytes: Int = 32 * 1024 * 1024
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.userAgent = userAgent
        self.maxResponseBytes = maxResponseBytes
    }
}
