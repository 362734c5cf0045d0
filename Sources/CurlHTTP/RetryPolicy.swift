import Foundation

/// When and how long `HTTPClient` waits before trying a request again. Pure: no clock, no randomness.
///
/// Without a Retry-After header the wait grows exponentially from `baseDelay`, is capped at `maxDelay`,
/// and is spread with "equal jitter": half of the capped value is fixed, the other half scaled by `jitter`.
/// With the defaults (0.5 s base, 30 s cap):
///
///     after attempt   1         2       3       4       5       6        7+
///     wait          0.25–0.5 s  0.5–1 s  1–2 s   2–4 s   4–8 s   8–16 s   15–30 s
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in total, the first included. Values below 1 behave as 1.
    public var maxAttempts: Int
    /// Wait ceiling after the first failed attempt; it doubles with each further attempt.
    public var baseDelay: Duration
    /// Highest wait ceiling between two attempts (a Retry-After header is not capped by it).
    public var maxDelay: Duration
    /// Longest Retry-After the client will wait for; a longer one gives up at once.
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 5,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(120)
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// How long to wait before the next attempt.
    /// - Parameters:
    ///   - attempt: The attempt that just failed, counting from 1.
    ///   - retryAfter: The server's Retry-After, if it sent one; it is honoured exactly (negative counts as 0).
    ///   - jitter: A random number in 0..<1 (clamped), spreading clients that failed together.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?, jitter: Double) -> Duration {
        if let retryAfter {
            return max(retryAfter, .zero)
        }
        let doublings = Double(min(max(attempt - 1, 0), 64))
        let ceiling = min(maxDelay.inSeconds, baseDelay.inSeconds * pow(2, doublings))
        let spread = min(max(jitter, 0), 1)
        return .seconds(ceiling / 2 * (1 + spread))
    }

    /// Whether the client should wait out a server's Retry-After, or give up because it exceeds `maxRetryAfter`.
    public func allowsWaiting(retryAfter: Duration) -> Bool {
        retryAfter <= maxRetryAfter
    }

    /// Parses a Retry-After header (RFC 9110 §10.2.3): delay-seconds ("120") or an HTTP-date
    /// ("Wed, 21 Oct 2015 07:28:00 GMT", also the obsolete RFC 850 and asctime forms).
    /// - Parameter now: The reference time for HTTP-dates; a date in the past gives zero.
    /// - Returns: The wait, or nil when the header is absent or unparseable.
    public static func parseRetryAfter(_ value: String?, now: Date) -> Duration? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return nil
        }
        if text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
            // Clamped to a day: an absurd value must not overflow `Duration` (it is refused as too long).
            guard let seconds = Double(text), seconds.isFinite else { return nil }
            return .seconds(min(seconds, 86_400))
        }
        for format in httpDateFormats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                return .seconds(max(date.timeIntervalSince(now), 0))
            }
        }
        return nil
    }

    /// IMF-fixdate, RFC 850 and asctime, in the order RFC 9110 §5.6.7 lists them.
    private static let httpDateFormats = [
        "EEE, dd MMM yyyy HH:mm:ss zzz",
        "EEEE, dd-MMM-yy HH:mm:ss zzz",
        "EEE MMM d HH:mm:ss yyyy",
    ]
}
