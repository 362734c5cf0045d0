import Foundation

/// One HTTP request for `HTTPClient.send(_:)`.
///
/// Authorization is an ordinary header the caller sets, e.g.
/// `("Authorization", HTTPRequest.basicAuthorization(user: apiKey, password: ""))`. Header values are never
/// logged or put into errors, and `description` leaves them (and the URL) out.
public struct HTTPRequest: Sendable, CustomStringConvertible {
    /// "GET", "POST", or any other method; only GET, HEAD and POST get libcurl's dedicated handling.
    public var method: String
    public var url: String
    /// Sent in this order; names are sent as given.
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Short name for logs and errors, e.g. "interviewSchedule.list".
    public var endpoint: String
    /// False for requests with side effects (chat.postMessage): once such a request may have reached the
    /// server it is never retried, so a message is not sent twice. It goes out on a fresh connection, closed
    /// afterwards, because libcurl re-sends a request by itself when a reused connection dies unanswered.
    public var isIdempotent: Bool
    /// Attempts for this request instead of the client's `RetryPolicy.maxAttempts` (e.g. 1: no retry).
    public var maxAttempts: Int?
    /// Longest time one attempt may take in total, instead of the client's `requestTimeout`.
    public var timeout: Duration?
    /// How the client paces this request's endpoint once it answers 429 (see `RateLimitPolicy`); nil keeps
    /// the `RetryPolicy` rules (Retry-After exactly, else exponential backoff).
    public var rateLimit: RateLimitPolicy?

    public init(
        method: String = "POST",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: Data? = nil,
        endpoint: String,
        isIdempotent: Bool = true,
        maxAttempts: Int? = nil,
        timeout: Duration? = nil,
        rateLimit: RateLimitPolicy? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.endpoint = endpoint
        self.isIdempotent = isIdempotent
        self.maxAttempts = maxAttempts
        self.timeout = timeout
        self.rateLimit = rateLimit
    }

    /// The name of the first header whose value holds a control character (CR, LF, NUL, any other C0, DEL),
    /// which would corrupt the request or smuggle in another header; nil when all are clean.
    public var headerWithControlCharacter: String? {
        headers.first { header in
            header.value.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        }?.name
    }

    /// Method and endpoint only: safe to log.
    public var description: String {
        "\(method) \(endpoint)"
    }

    /// The value of an `Authorization` header for HTTP Basic authentication (RFC 7617):
    /// `Basic base64(user:password)`. Ashby takes the API key as user and an empty password.
    public static func basicAuthorization(user: String, password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    /// The value of an `Authorization` header for a bearer token (RFC 6750), as Slack expects.
    public static func bearerAuthorization(token: String) -> String {
        "Bearer \(token)"
    }
}
