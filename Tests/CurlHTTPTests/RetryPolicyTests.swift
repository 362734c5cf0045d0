import CurlHTTP
import Foundation
import Testing

/// RetryPolicy is pure: these tests need no network and no clock.
@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(500), maxDelay: .seconds(30))

    @Test func defaultsMatchTheContract() {
        let defaults = RetryPolicy()
        #expect(defaults.maxAttempts == 5)
        #expect(defaults.baseDelay == .milliseconds(500))
        #expect(defaults.maxDelay == .seconds(30))
        #expect(defaults.maxRetryAfter == .seconds(120))
    }

    @Test func delayDoublesWithEachAttempt() {
        let ceilings = (1...5).map { policy.delay(afterAttempt: $0, retryAfter: nil, jitter: 1) }
        #expect(ceilings == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8)])
        let floors = (1...5).map { policy.delay(afterAttempt: $0, retryAfter: nil, jitter: 0) }
        #expect(floors == [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(4)])
    }

    @Test func delayIsCappedAtMaxDelay() {
        #expect(policy.delay(afterAttempt: 7, retryAfter: nil, jitter: 1) == .seconds(30))
        #expect(policy.delay(afterAttempt: 7, retryAfter: nil, jitter: 0) == .seconds(15))
        #expect(policy.delay(afterAttempt: 1_000, retryAfter: nil, jitter: 1) == .seconds(30))
        #expect(policy.delay(afterAttempt: .max, retryAfter: nil, jitter: 0.5) <= .seconds(30))
    }

    @Test(arguments: [0.0, 0.1, 0.5, 0.999, -3, 7])
    func jitterKeepsDelayBetweenHalfAndFullCeiling(jitter: Double) {
        for attempt in 1...8 {
            let ceiling = min(Duration.milliseconds(500) * (1 << (attempt - 1)), .seconds(30))
            let delay = policy.delay(afterAttempt: attempt, retryAfter: nil, jitter: jitter)
            #expect(delay >= ceiling / 2)
            #expect(delay <= ceiling)
        }
    }

    @Test func retryAfterIsHonouredExactly() {
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(7), jitter: 0.9) == .seconds(7))
        #expect(policy.delay(afterAttempt: 4, retryAfter: .seconds(45), jitter: 0) == .seconds(45))
        #expect(policy.delay(afterAttempt: 2, retryAfter: .zero, jitter: 0.5) == .zero)
    }

    @Test func retryAfterLongerThanLimitIsNotWaitedFor() {
        #expect(policy.allowsWaiting(retryAfter: .seconds(120)))
        #expect(!policy.allowsWaiting(retryAfter: .seconds(121)))
    }

    @Test(arguments: [
        ("120", Duration.seconds(120)),
        ("0", .zero),
        (" 3 ", .seconds(3)),
        ("1.5", .milliseconds(1500)),
    ])
    func parsesDelaySeconds(value: String, expected: Duration) {
        #expect(RetryPolicy.parseRetryAfter(value, now: Date()) == expected)
    }

    @Test(arguments: [
        "Wed, 21 Oct 2015 07:28:00 GMT",     // IMF-fixdate
        "Wednesday, 21-Oct-15 07:28:00 GMT", // RFC 850
        "Wed Oct 21 07:28:00 2015",          // asctime
    ])
    func parsesHTTPDates(value: String) throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2015-10-21T07:27:30Z"))
        #expect(RetryPolicy.parseRetryAfter(value, now: now) == .seconds(30))
    }

    @Test func pastHTTPDateMeansNoWait() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2015-10-21T08:00:00Z"))
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .zero)
    }

    @Test(arguments: [nil, "", "soon", "-1", "+5", "1e3", "Wed, 32 Oct 2015 07:28:00 GMT"])
    func rejectsUnparseableValues(value: String?) {
        #expect(RetryPolicy.parseRetryAfter(value, now: Date()) == nil)
    }
}

extension RetryPolicyTests {
    /// A hostile header must not crash the job (Duration overflows past ~9.2e9 s): it is clamped and refused.
    @Test func absurdRetryAfterIsClampedNotACrash() {
        let parsed = RetryPolicy.parseRetryAfter("99999999999999999999999", now: Date())
        #expect(parsed == .seconds(86_400))
        #expect(RetryPolicy().allowsWaiting(retryAfter: parsed!) == false)
    }
}
