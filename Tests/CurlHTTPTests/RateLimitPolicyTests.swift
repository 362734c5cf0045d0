import CurlHTTP
import Testing

/// RateLimitPolicy is pure: the instants are made up, nothing sleeps.
@Suite struct RateLimitPolicyTests {
    /// Ashby's: 10 s without Retry-After, at most 3 attempts a minute on one endpoint.
    let policy = RateLimitPolicy(waitWithoutRetryAfter: .seconds(10), maxAttemptsPerWindow: 3, window: .seconds(60))

    /// Plays an endpoint that answers 429 to every attempt, each answered at once: the instants of the attempts.
    func attempts(_ count: Int, retryAfter: Duration? = nil) -> [Duration] {
        var refusals: [Duration] = []
        var next = Duration.zero
        var starts: [Duration] = []
        for _ in 0..<count {
            starts.append(next)
            refusals.append(next)
            next = policy.nextAttempt(refusals: Array(refusals.suffix(3)), answeredAt: next, retryAfter: retryAfter)
        }
        return starts
    }

    @Test func withoutRetryAfterWaitsTenSecondsAndNeverMoreThanThreeAttemptsAMinute() {
        let starts = attempts(8)
        #expect(starts == [0, 10, 20, 60, 70, 80, 120, 130].map { Duration.seconds($0) })
        for start in starts {
            let inWindow = starts.filter { $0 >= start && $0 < start + .seconds(60) }
            #expect(inWindow.count <= 3, "attempts in the minute from \(start)")
        }
    }

    @Test func retryAfterIsHonouredExactlyWithinTheWindow() {
        #expect(attempts(5, retryAfter: .seconds(2)) == [0, 2, 4, 60, 62].map { Duration.seconds($0) })
        #expect(attempts(2, retryAfter: .seconds(45)) == [0, 45].map { Duration.seconds($0) })
        #expect(policy.nextAttempt(refusals: [.zero], answeredAt: .seconds(1), retryAfter: .seconds(-5)) == .seconds(1))
    }

    @Test func theWaitCountsFromTheAnswer() {
        // A slow 429 (answered 4 s after its attempt started): 10 s from the answer.
        #expect(policy.nextAttempt(refusals: [.zero], answeredAt: .seconds(4), retryAfter: nil) == .seconds(14))
    }
}
