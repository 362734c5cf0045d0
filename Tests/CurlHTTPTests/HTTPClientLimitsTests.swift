import CurlHTTP
import Foundation
import Testing
import TestSupport

/// The limits around each request: the run's deadline (on a hand-moved clock), per-request attempts and
/// timeout, and header values refused before anything is sent.
@Suite(.timeLimit(.minutes(1)))
struct HTTPClientLimitsTests {
    static func send(
        _ request: HTTPRequest, clock: ManualClock = ManualClock(), budget: Duration? = nil,
        configuration: HTTPClientConfiguration = HTTPClientTests.configuration
    ) async throws -> HTTPClientTests.Outcome {
        try await HTTPClientTests.send([request], configuration: configuration, clock: clock, budget: budget)
    }

    // MARK: Deadline

    @Test func retryAfterPastTheDeadlineGivesUpAtOnce() async throws {
        let server = try await LoopbackServer.start(handler: HTTPClientTests.ok)
        server.inject(.status(429, headers: ["Retry-After": "7"]), path: "/users.list")
        let clock = ManualClock()
        let outcome = try await Self.send(
            HTTPRequest(url: "\(server.baseURL)/users.list", endpoint: "users.list"), clock: clock, budget: .seconds(5))

        let error = try outcome.error()
        #expect(error.kind == .deadlineReached)
        #expect(error.isTemporary)
        #expect(!error.mayHaveBeenDelivered)
        #expect(error.attempts == 1)
        #expect(error.response?.status == 429)
        #expect(error.description == "users.list: run deadline reached, no further attempt (1 attempt)")
        #expect(clock.sleeps.isEmpty)
        #expect(server.requests.count == 1)
        await server.stop()
    }

    @Test func noAttemptStartsAfterTheDeadline() async throws {
        let server = try await LoopbackServer.start(handler: HTTPClientTests.ok)
        let clock = ManualClock()
        let deadline = Deadline(budget: .seconds(240), clock: clock)
        clock.advance(by: .seconds(241))
        #expect(deadline.hasPassed)
        #expect(deadline.remaining == .zero)
        let outcome = try await Self.send(
            HTTPRequest(url: "\(server.baseURL)/users.list", endpoint: "users.list"), clock: clock, budget: .zero)

        let error = try outcome.error()
        #expect(error.kind == .deadlineReached)
        #expect(error.attempts == 0)
        #expect(error.description == "users.list: run deadline reached, no further attempt (not sent)")
        #expect(server.requests.isEmpty)
        await server.stop()
    }

    @Test func backoffStopsWhenTheNextWaitWouldPassTheDeadline() async throws {
        let server = try await LoopbackServer.start(handler: HTTPClientTests.ok)
        server.inject(.status(503), path: "/flaky", times: 20)
        var configuration = HTTPClientTests.configuration
        configuration.retry = RetryPolicy(maxAttempts: 20, baseDelay: .milliseconds(100), maxDelay: .seconds(30))
        let clock = ManualClock()
        let outcome = try await Self.send(
            HTTPRequest(url: "\(server.baseURL)/flaky", endpoint: "flaky.list"), clock: clock, budget: .seconds(1),
            configuration: configuration)

        let error = try outcome.error()
        #expect(error.kind == .deadlineReached)
        // Every wait the client asked for fit in the budget; the one that would not was never requested.
        // (The last attempts may time out instead of getting their 503: their timeout is what remains.)
        let waited = clock.sleeps.reduce(Duration.zero, +)
        #expect(waited < .seconds(1))
        #expect(clock.sleeps.count >= 2)
        #expect(error.attempts == clock.sleeps.count + 1)
        await server.stop()
    }

    @Test func attemptTimeoutIsCappedByWhatRemains() async throws {
        let server = try await LoopbackServer.start(handler: HTTPClientTests.ok)
        server.inject(.delay(.seconds(3)), path: "/slow")
        // 5 s request timeout, but only 0.5 s of the run left: the attempt must give up after 0.5 s, not wait 3 s.
        let outcome = try await Self.send(
            HTTPRequest(url: "\(server.baseURL)/slow", endpoint: "slow", maxAttempts: 1), budget: .milliseconds(500))

        let error = try outcome.error()
        #expect(error.kind == .timeout)
        #expect(error.elapsed < .seconds(3))
        await server.stop()
    }

    @Test func neverDeadlineHasNoRemainder() {
        #expect(Deadline.never.remaining == nil)
        #expect(!Deadline.never.hasPassed)
    }

    // MARK: Per-request knobs

    @Test func requestAttemptLimitOverridesThePolicy() async throws {
        let server = try await LoopbackServer.start(handler: HTTPClientTests.ok)
        server.inject(.status(503), path: "/candidate.info", times: 3)
        let clock = ManualClock()
        let outcome = try await Self.send(
            HTTPRequest(url: "\(server.baseURL)/candidate.info", endpoint: "candidate.info", maxAttempts: 1), clock: clock)

        let error = try outcome.error()
        #expect(error.kind == .status(503))
        #expect(error.attempts == 1)
        #expect(clock.sleeps.isEmpty)
        #expect(server.requests.count == 1)
        await server.stop()
    }

    @Test func requestTimeoutOverridesTheClients() async throws {
        let server = try await LoopbackServer.start(handler: HTTPClientTests.ok)
        server.inject(.delay(.seconds(3)), path: "/candidate.info")
        let outcome = try await Self.send(HTTPRequest(
            url: "\(server.baseURL)/candidate.info", endpoint: "candidate.info", maxAttempts: 1, timeout: .milliseconds(300)))

        let error = try outcome.error()
        #expect(error.kind == .timeout)
        #expect(error.attempts == 1)
        #expect(error.elapsed < .seconds(3))
        await server.stop()
    }

    // MARK: Header values

    @Test(arguments: ["xoxb-token\n", "xoxb-token\r\n", "xo\rxb", "xoxb\u{0}", "xoxb\u{1b}[0m", "xoxb\u{7f}", "a\tb"])
    func controlCharacterInAHeaderValueIsRefusedBeforeSending(value: String) async throws {
        let server = try await LoopbackServer.start(handler: HTTPClientTests.ok)
        let outcome = try await Self.send(HTTPRequest(
            url: "\(server.baseURL)/users.list",
            headers: [("X-Trace", "t-1"), ("Authorization", "Bearer \(value)")], endpoint: "users.list"))

        let error = try outcome.error()
        #expect(error.kind == .invalidHeaderValue(name: "Authorization"))
        #expect(!error.isTemporary)
        #expect(!error.mayHaveBeenDelivered)
        #expect(error.attempts == 0)
        #expect(error.description.contains("header Authorization"))
        #expect(!error.description.contains("xo"))
        #expect(server.requests.isEmpty)
        await server.stop()
    }

    @Test func cleanHeaderValuesPass() {
        let request = HTTPRequest(url: "http://x", headers: [("Authorization", "Bearer xoxb-1 ünïcode")], endpoint: "x")
        #expect(request.headerWithControlCharacter == nil)
    }
}
