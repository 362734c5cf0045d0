import CurlHTTP
import Foundation
import Testing
import TestSupport

/// Requests carrying a `RateLimitPolicy` (Ashby's) against a loopback server answering 429: the waits
/// are asserted on a `ManualClock` (the client's sleeper and clock), never slept.
@Suite(.timeLimit(.minutes(1)))
struct HTTPClientRateLimitTests {
    static let ashbyLike = RateLimitPolicy(waitWithoutRetryAfter: .seconds(10), maxAttemptsPerWindow: 3, window: .seconds(60))
    static let path = "/interviewSchedule.list"

    static func request(_ server: LoopbackServer, path: String = path, maxAttempts: Int? = nil) -> HTTPRequest {
        HTTPRequest(
            url: server.baseURL + path, endpoint: String(path.dropFirst()), maxAttempts: maxAttempts, rateLimit: ashbyLike)
    }

    static var fiveAttempts: HTTPClientConfiguration {
        var configuration = HTTPClientTests.configuration
        configuration.retry.maxAttempts = 5
        return configuration
    }

    @Test func anEndpointThatKeepsAnswering429IsTriedAtMostThreeTimesAMinute() async throws {
        let server = try await LoopbackServer.start(handler: HTTPClientTests.ok)
        server.inject(.status(429), path: Self.path, times: 4)
        let (logger, logs) = RecordingLogHandler.logger()
        let clock = ManualClock()
        let outcome = try await HTTPClientTests.send(
            [Self.request(server)], configuration: Self.fiveAttempts, clock: clock, logger: logger)

        #expect(try outcome.response().status == 200)
        // Attempts at 0, 10, 20, 60 and 70 s: no Retry-After, so 10 s apart, and the fourth waits for the minute.
        #expect(clock.sleeps == [.seconds(10), .seconds(10), .seconds(40), .seconds(10)])
        #expect(server.requests.count == 5)
        let waits = logs.all.filter { $0.message == "http_rate_limited" }
        #expect(waits.map { $0.metadata["http.wait_ms"] } == ["10000", "10000", "40000", "10000"])
        await server.stop()
    }

    @Test func retryAfterIsHonouredExactly() async throws {
        let server = try await LoopbackServer.start(handler: HTTPClientTests.ok)
        server.inject(.status(429, headers: ["Retry-After": "3"]), path: Self.path, times: 2)
        let clock = ManualClock()
        let outcome = try await HTTPClientTests.send([Self.request(server)], clock: clock)

        #expect(try outcome.response().status == 200)
        #expect(clock.sleeps == [.seconds(3), .seconds(3)])
        await server.stop()
    }

    @Test func everyRequestToARateLimitedEndpointWaitsOtherEndpointsDoNot() async throws {
        let server = try await LoopbackServer.start(handler: HTTPClientTests.ok)
        server.inject(.status(429), path: Self.path)
        let clock = ManualClock()
        let outcome = try await offloaded {
            let client = HTTPClient(configuration: HTTPClientTests.configuration, sleeper: clock, clock: clock, logger: .init(label: "t"))
            let refused = Result { () throws(HTTPError) in try client.send(Self.request(server, maxAttempts: 1)) }
            let other = try client.send(Self.request(server, path: "/interview.list"))
            let sleptBeforeOther = clock.sleeps
            let next = try client.send(Self.request(server))
            return (refused, other.status, sleptBeforeOther, next.status)
        }
        guard case .failure(let refused) = outcome.0 else {
            Issue.record("expected the single attempt to fail with its 429")
            return
        }
        #expect(refused.kind == .status(429))
        #expect(refused.isRateLimited)
        #expect(outcome.1 == 200)
        #expect(outcome.2.isEmpty, "another endpoint goes at once")
        #expect(outcome.3 == 200)
        #expect(clock.sleeps == [.seconds(10)], "the next request to the refused endpoint waited its 10 s")
        await server.stop()
    }

    @Test func aSingleAttemptRequestNeitherWaitsNorSendsWhileItsEndpointCoolsDown() async throws {
        let server = try await LoopbackServer.start(handler: HTTPClientTests.ok)
        server.inject(.status(429), path: Self.path)
        let clock = ManualClock()
        let (first, second) = try await offloaded {
            let client = HTTPClient(configuration: HTTPClientTests.configuration, sleeper: clock, clock: clock, logger: .init(label: "t"))
            let first = Result { () throws(HTTPError) in try client.send(Self.request(server, maxAttempts: 1)) }
            let second = Result { () throws(HTTPError) in try client.send(Self.request(server, maxAttempts: 1)) }
            return (first, second)
        }
        guard case .failure(let refused) = first, case .failure(let error) = second else {
            Issue.record("expected both single attempts to fail, got \(first) and \(second)")
            return
        }
        #expect(refused.kind == .status(429) && refused.attempts == 1)
        #expect(error.kind == .rateLimited(wait: .seconds(10), pastDeadline: false))
        #expect(error.attempts == 0)
        #expect(error.isTemporary && error.isRateLimited && !error.mayHaveBeenDelivered)
        #expect(
            error.description
                == "interviewSchedule.list: rate limited (HTTP 429): the next attempt could start only in 10 s, "
                + "and this request makes a single attempt (not sent)")
        #expect(server.requests.count == 1, "the second request was not sent")
        #expect(clock.sleeps.isEmpty)
        await server.stop()
    }

    @Test func aWaitThatWouldPassTheDeadlineGivesUpAsRateLimited() async throws {
        let server = try await LoopbackServer.start(handler: HTTPClientTests.ok)
        server.inject(.status(429), path: Self.path, times: 3)
        let clock = ManualClock()
        let outcome = try await HTTPClientTests.send(
            [Self.request(server)], configuration: Self.fiveAttempts, clock: clock, budget: .seconds(15))

        let error = try outcome.error()
        #expect(error.kind == .rateLimited(wait: .seconds(10), pastDeadline: true))
        #expect(error.attempts == 2)
        #expect(error.response?.status == 429)
        #expect(
            error.description
                == "interviewSchedule.list: rate limited (HTTP 429): the next attempt could start only in 10 s, "
                + "after the run's deadline (2 attempts)")
        #expect(clock.sleeps == [.seconds(10)], "never slept past the deadline")
        #expect(server.requests.count == 2)
        await server.stop()
    }

    /// Slack's requests carry no policy: a 429 keeps the `RetryPolicy` rules (backoff without Retry-After,
    /// exactly Retry-After with it) and holds back nothing else.
    @Test func withoutAPolicyA429KeepsTheRetryPolicy() async throws {
        let server = try await LoopbackServer.start(handler: HTTPClientTests.ok)
        server.inject(.status(429), path: "/chat.update")
        server.inject(.status(429, headers: ["Retry-After": "7"]), path: "/chat.update")
        let clock = ManualClock()
        let request = HTTPRequest(url: "\(server.baseURL)/chat.update", endpoint: "chat.update")
        let outcome = try await HTTPClientTests.send([request, request], clock: clock)

        #expect(try outcome.response().status == 200)
        #expect(clock.sleeps.count == 2)
        #expect(clock.sleeps[0] <= .milliseconds(20), "the backoff of HTTPClientTests.configuration")
        #expect(clock.sleeps[1] == .seconds(7))
        await server.stop()
    }
}
