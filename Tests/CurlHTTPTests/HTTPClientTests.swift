import CurlHTTP
import Foundation
import Logging
import Testing
import TestSupport

/// HTTPClient against a real HTTP server on loopback, with faults injected per path.
/// Every blocking client call runs through `offloaded`, off the cooperative pool the server runs on.
@Suite(.timeLimit(.minutes(1)))
struct HTTPClientTests {
    /// Short backoff so retry tests stay fast; three attempts.
    static let configuration = HTTPClientConfiguration(
        connectTimeout: .seconds(2),
        requestTimeout: .seconds(5),
        retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100))
    )

    /// What a test needs back from a client used inside `offloaded`.
    struct Outcome: Sendable {
        var result: Result<HTTPResponse, HTTPError>
        var requestCount: Int
        var connectionCount: Int

        func response() throws -> HTTPResponse {
            try result.get()
        }

        func error() throws -> HTTPError {
            guard case .failure(let error) = result else {
                throw Unexpected("expected an HTTPError, got a response")
            }
            return error
        }
    }

    struct Unexpected: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Sends `requests` in order on one fresh client (on its own thread); the outcome is the last request's,
    /// earlier ones must succeed.
    /// - Parameters:
    ///   - clock: The client's sleeper and clock (retry waits are recorded in `clock.sleeps`, not slept).
    ///   - budget: When set, the client's deadline: this much from now on `clock`.
    static func send(
        _ requests: [HTTPRequest],
        configuration: HTTPClientConfiguration = configuration,
        clock: ManualClock = ManualClock(),
        budget: Duration? = nil,
        logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> Outcome {
        try await offloaded {
            guard let last = requests.last else { throw Unexpected("no request to send") }
            let deadline = budget.map { Deadline(budget: $0, clock: clock) } ?? .never
            let client = HTTPClient(configuration: configuration, deadline: deadline, sleeper: clock, clock: clock, logger: logger)
            for request in requests.dropLast() {
                _ = try client.send(request)
            }
            let result = Result { () throws(HTTPError) in try client.send(last) }
            return Outcome(
                result: result,
                requestCount: client.requestCount,
                connectionCount: client.connectionCount
            )
        }
    }

    static func ok(_ request: FakeRequest) -> FakeResponse {
        .json(["ok": true])
    }

    @Test func getAndPostRoundTripHeadersAndJSON() async throws {
        let server = try await LoopbackServer.start { request in
            .json(["method": request.method, "path": request.path, "query": request.query, "echo": request.json() ?? [:]])
        }
        let base = server.baseURL
        let (get, post) = try await offloaded {
            let client = HTTPClient(configuration: Self.configuration, logger: Logger(label: "test"))
            let get = try client.send(HTTPRequest(
                method: "GET", url: "\(base)/items?page=2&q=a%20b", headers: [("X-Trace", "t-1")], endpoint: "items.get"
            ))
            let post = try client.send(HTTPRequest(
                url: "\(base)/items.create",
                headers: [("Content-Type", "application/json"), ("Authorization", "Bearer s3cret")],
                body: Data(#"{"name": "Ada"}"#.utf8),
                endpoint: "items.create"
            ))
            return (get, post)
        }

        #expect(get.status == 200)
        #expect(get.header("Content-Type") == "application/json")
        #expect(get.headers["content-type"] == "application/json")
        let getJSON = try #require(try JSONSerialization.jsonObject(with: get.body) as? [String: Any])
        #expect(getJSON["method"] as? String == "GET")
        #expect(getJSON["query"] as? [String: String] == ["page": "2", "q": "a b"])

        let postJSON = try #require(try JSONSerialization.jsonObject(with: post.body) as? [String: Any])
        #expect(postJSON["method"] as? String == "POST")
        #expect(postJSON["echo"] as? [String: String] == ["name": "Ada"])

        let received = server.requests
        try #require(received.count == 2)
        #expect(received[0].path == "/items")
        #expect(received[0].header("x-trace") == "t-1")
        #expect(received[1].header("authorization") == "Bearer s3cret")
        #expect(received[1].header("content-type") == "application/json")
        #expect(received[1].header("expect") == nil)
        await server.stop()
    }

    @Test func largeBodyIsSentWithoutWaitingForContinue() async throws {
        let server = try await LoopbackServer.start { request in .json(["size": request.body.count]) }
        // Above libcurl's threshold for "Expect: 100-continue", which would stall until its 1 s fallback.
        let body = Data(repeating: UInt8(ascii: "x"), count: 2_000_000)
        let outcome = try await Self.send([HTTPRequest(url: "\(server.baseURL)/upload", body: body, endpoint: "upload")])

        let json = try JSONSerialization.jsonObject(with: try outcome.response().body) as? [String: Int]
        #expect(json == ["size": 2_000_000])
        // No "Expect: 100-continue": asserted on the wire, not by timing (timed tests flake under load).
        #expect(server.requests.first?.header("expect") == nil)
        await server.stop()
    }

    @Test func keepAliveReusesOneConnection() async throws {
        let server = try await LoopbackServer.start(handler: Self.ok)
        let requests = (1...5).map { HTTPRequest(method: "GET", url: "\(server.baseURL)/ping/\($0)", endpoint: "ping") }
        let outcome = try await Self.send(requests)

        #expect(try outcome.response().status == 200)
        #expect(outcome.requestCount == 5)
        #expect(outcome.connectionCount == 1)
        let ports = Set(server.requests.map(\.clientPort))
        #expect(server.requests.count == 5)
        #expect(ports.count == 1)
        await server.stop()
    }

    @Test func rateLimitWaitsForRetryAfterThenSucceeds() async throws {
        let server = try await LoopbackServer.start(handler: Self.ok)
        server.inject(.status(429, headers: ["Retry-After": "7"]), path: "/users.list")
        let (logger, logs) = RecordingLogHandler.logger()
        let clock = ManualClock()
        let outcome = try await Self.send(
            [HTTPRequest(url: "\(server.baseURL)/users.list", endpoint: "users.list")], clock: clock, logger: logger
        )

        #expect(try outcome.response().status == 200)
        #expect(clock.sleeps == [.seconds(7)])
        #expect(server.requests.count == 2)
        #expect(outcome.requestCount == 2)
        let warnings = logs.all.filter { $0.level == .warning }
        try #require(warnings.count == 1)
        #expect(warnings[0].metadata["http.reason"] == "HTTP 429")
        #expect(warnings[0].metadata["http.delay_ms"] == "7000")
        await server.stop()
    }

    @Test func serviceUnavailableIsRetriedAndEachAttemptLogged() async throws {
        let server = try await LoopbackServer.start(handler: Self.ok)
        server.inject(.status(503, body: Data("<html>down</html>".utf8)), path: "/interviewSchedule.list")
        let (logger, logs) = RecordingLogHandler.logger()
        let outcome = try await Self.send(
            [HTTPRequest(url: "\(server.baseURL)/interviewSchedule.list", endpoint: "interviewSchedule.list")],
            logger: logger
        )

        #expect(try outcome.response().status == 200)
        #expect(server.requests.count == 2)
        let attempts = logs.all.filter { $0.level == .debug }
        #expect(attempts.map { $0.metadata["http.status"] } == ["503", "200"])
        #expect(attempts.map { $0.metadata["http.attempt"] } == ["1", "2"])
        #expect(attempts.allSatisfy { $0.metadata["http.endpoint"] == "interviewSchedule.list" })
        #expect(attempts.allSatisfy { $0.metadata["http.method"] == "POST" })
        #expect(attempts.allSatisfy { $0.metadata["http.ms"].flatMap(Int.init) != nil })
        let warnings = logs.all.filter { $0.level == .warning }
        #expect(warnings.map { $0.metadata["http.reason"] } == ["HTTP 503"])
        await server.stop()
    }

    @Test func timeoutIsRetried() async throws {
        let server = try await LoopbackServer.start(handler: Self.ok)
        // Far apart, so a loaded machine cannot make the second (undelayed) attempt time out too.
        server.inject(.delay(.seconds(12)), path: "/slow")
        var configuration = Self.configuration
        configuration.requestTimeout = .seconds(4)
        let (logger, logs) = RecordingLogHandler.logger()
        let outcome = try await Self.send(
            [HTTPRequest(url: "\(server.baseURL)/slow", endpoint: "slow")], configuration: configuration, logger: logger
        )

        #expect(try outcome.response().status == 200)
        #expect(server.requests.count == 2)
        #expect(logs.all.filter { $0.level == .warning }.map { $0.metadata["http.reason"] } == ["timeout"])
        await server.stop()
    }

    @Test func bodyCutShortIsRetried() async throws {
        let server = try await LoopbackServer.start(handler: Self.ok)
        server.inject(.closeMidBody, path: "/cut")
        let (logger, logs) = RecordingLogHandler.logger()
        let outcome = try await Self.send(
            [HTTPRequest(url: "\(server.baseURL)/cut", endpoint: "cut")], logger: logger
        )

        #expect(try outcome.response().body == Data(#"{"ok":true}"#.utf8))
        #expect(server.requests.count == 2)
        // libcurl reports CURLE_PARTIAL_FILE for a body shorter than its Content-Length.
        #expect(logs.all.filter { $0.level == .warning }.map { $0.metadata["http.reason"] } == ["Transferred a partial file"])
        await server.stop()
    }

    @Test func malformedJSONFaultReturnsUnparseableBody() async throws {
        let server = try await LoopbackServer.start(handler: Self.ok)
        server.inject(.malformedJSON, path: "/broken")
        let outcome = try await Self.send([HTTPRequest(url: "\(server.baseURL)/broken", endpoint: "broken")])

        let response = try outcome.response()
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json")
        #expect((try? JSONSerialization.jsonObject(with: response.body)) == nil)
        await server.stop()
    }

    @Test func persistentServerErrorExhaustsAttempts() async throws {
        let server = try await LoopbackServer.start(handler: Self.ok)
        server.inject(.status(502), path: "/flaky", times: 5)
        let clock = ManualClock()
        let outcome = try await Self.send([HTTPRequest(url: "\(server.baseURL)/flaky", endpoint: "flaky.list")], clock: clock)

        let error = try outcome.error()
        #expect(error.kind == .status(502))
        #expect(error.attempts == 3)
        #expect(error.isTemporary)
        #expect(error.response?.status == 502)
        #expect(!error.mayHaveBeenDelivered)
        #expect(error.description == "flaky.list: HTTP 502 (3 attempts)")
        #expect(server.requests.count == 3)
        #expect(outcome.requestCount == 3)
        // Equal jitter around a doubling ceiling (20 ms, then 40 ms): half fixed, half random.
        try #require(clock.sleeps.count == 2)
        #expect((Duration.milliseconds(10)...Duration.milliseconds(20)).contains(clock.sleeps[0]))
        #expect((Duration.milliseconds(20)...Duration.milliseconds(40)).contains(clock.sleeps[1]))
        await server.stop()
    }

    @Test func clientErrorIsReturnedNotRetried() async throws {
        let server = try await LoopbackServer.start { _ in .json(["error": "not found"], status: 404) }
        let outcome = try await Self.send([HTTPRequest(url: "\(server.baseURL)/missing", endpoint: "missing")])

        #expect(try outcome.response().status == 404)
        #expect(server.requests.count == 1)
        await server.stop()
    }

    @Test func redirectIsReturnedNotFollowed() async throws {
        let server = try await LoopbackServer.start { request in
            request.path == "/old" ? FakeResponse(status: 302, headers: ["Location": "/new"]) : Self.ok(request)
        }
        let outcome = try await Self.send([HTTPRequest(method: "GET", url: "\(server.baseURL)/old", endpoint: "old")])

        let response = try outcome.response()
        #expect(response.status == 302)
        #expect(response.header("location") == "/new")
        #expect(server.requests.map(\.path) == ["/old"])
        await server.stop()
    }

    @Test func unsupportedSchemeFailsAtOnceAsPermanent() async throws {
        let outcome = try await Self.send([HTTPRequest(url: "ftp://127.0.0.1/file", endpoint: "file.get")])

        let error = try outcome.error()
        guard case .transport = error.kind else {
            Issue.record("expected a transport error, got \(error.kind)")
            return
        }
        #expect(!error.isTemporary)
        #expect(error.attempts == 1)
        #expect(!error.description.contains("ftp://"))
    }

    @Test func nonIdempotentRequestIsNotRetriedAfterTimeout() async throws {
        let server = try await LoopbackServer.start(handler: Self.ok)
        server.inject(.delay(.seconds(3)), path: "/chat.postMessage")
        var configuration = Self.configuration
        configuration.requestTimeout = .seconds(1)
        let request = HTTPRequest(url: "\(server.baseURL)/chat.postMessage", endpoint: "chat.postMessage", isIdempotent: false)
        let outcome = try await Self.send([request], configuration: configuration)

        let error = try outcome.error()
        #expect(error.kind == .timeout)
        #expect(error.attempts == 1)
        #expect(error.mayHaveBeenDelivered)
        #expect(error.isTemporary)
        #expect(error.description.hasPrefix("chat.postMessage: timed out after 1"))
        #expect(error.description.hasSuffix("(1 attempt; may have been delivered)"))
        // Sent once on the wire (libcurl's count). The server logs a request only once it has read it, which
        // on a loaded machine may come after the client gave up, so its log is an upper bound here.
        #expect(outcome.requestCount == 1)
        #expect(server.requests.count <= 1)
        await server.stop()
    }

    @Test func nonIdempotentRequestIsNotRetriedAfterBrokenResponse() async throws {
        let server = try await LoopbackServer.start(handler: Self.ok)
        server.inject(.closeMidBody, path: "/chat.postMessage")
        let request = HTTPRequest(url: "\(server.baseURL)/chat.postMessage", endpoint: "chat.postMessage", isIdempotent: false)
        let outcome = try await Self.send([request])

        let error = try outcome.error()
        #expect(error.kind == .transport("Transferred a partial file"))
        #expect(error.attempts == 1)
        #expect(error.mayHaveBeenDelivered)
        #expect(error.isTemporary)
        #expect(server.requests.count == 1)
        await server.stop()
    }

    @Test func nonIdempotentRequestIsNotRetriedAfterServerError() async throws {
        let server = try await LoopbackServer.start(handler: Self.ok)
        server.inject(.status(500), path: "/chat.postMessage")
        let request = HTTPRequest(url: "\(server.baseURL)/chat.postMessage", endpoint: "chat.postMessage", isIdempotent: false)
        let outcome = try await Self.send([request])

        let error = try outcome.error()
        #expect(error.kind == .status(500))
        #expect(error.attempts == 1)
        #expect(error.mayHaveBeenDelivered)
        #expect(server.requests.count == 1)
        await server.stop()
    }

    /// libcurl re-sends a request on its own when a reused keep-alive connection dies without an answer
    /// (body rewound): a non-idempotent request must go out on a fresh connection so that cannot happen.
    @Test func nonIdempotentRequestOnAConnectionThatDiesIsNotResentByLibcurl() async throws {
        let server = DroppingPostServer()
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let outcome = try await Self.send([
            HTTPRequest(method: "GET", url: "\(base)/warm-up", endpoint: "warm-up"),
            HTTPRequest(url: "\(base)/chat.postMessage", body: Data("{}".utf8), endpoint: "chat.postMessage", isIdempotent: false),
        ])

        #expect(server.postsReceived == 1)
        let error = try outcome.error()
        #expect(error.mayHaveBeenDelivered)
        #expect(error.attempts == 1)
    }

    @Test func nonIdempotentRequestIsRetriedOnRateLimit() async throws {
        let server = try await LoopbackServer.start(handler: Self.ok)
        server.inject(.status(429, headers: ["Retry-After": "0"]), path: "/chat.postMessage")
        let request = HTTPRequest(url: "\(server.baseURL)/chat.postMessage", endpoint: "chat.postMessage", isIdempotent: false)
        let outcome = try await Self.send([request])

        #expect(try outcome.response().status == 200)
        #expect(server.requests.count == 2)
        await server.stop()
    }

    @Test func retryAfterBeyondLimitGivesUpAtOnce() async throws {
        let server = try await LoopbackServer.start(handler: Self.ok)
        server.inject(.status(429, headers: ["Retry-After": "600"]), path: "/users.list")
        let clock = ManualClock()
        let outcome = try await Self.send([HTTPRequest(url: "\(server.baseURL)/users.list", endpoint: "users.list")], clock: clock)

        let error = try outcome.error()
        #expect(error.kind == .retryAfterTooLong(.seconds(600)))
        #expect(error.attempts == 1)
        #expect(error.isTemporary)
        #expect(!error.mayHaveBeenDelivered)
        #expect(error.description.contains("600 s"))
        #expect(clock.sleeps.isEmpty, "gave up at once instead of waiting 600 s")
        #expect(server.requests.count == 1)
        await server.stop()
    }

    @Test(arguments: [true, false])
    func refusedConnectionFailsAfterAllAttempts(isIdempotent: Bool) async throws {
        let closed = RefusingPort()
        let request = HTTPRequest(url: "http://127.0.0.1:\(closed.port)/x", endpoint: "x.list", isIdempotent: isIdempotent)
        let outcome = try await Self.send([request])

        let error = try outcome.error()
        #expect(error.kind == .connectFailed(.connect, "Couldn't connect to server"))
        #expect(error.attempts == 3)
        #expect(error.isTemporary)
        #expect(!error.mayHaveBeenDelivered)
        #expect(error.description == "x.list: could not connect (connect): Couldn't connect to server (3 attempts)")
        #expect(outcome.requestCount == 0)
        withExtendedLifetime(closed) {}
    }

    /// A certificate nobody trusts (a CA bundle gone after an upgrade, a proxy re-signing traffic): the
    /// handshake fails before anything is sent, so even a post is temporary and never delivered; it is
    /// not tried again at once, where the same certificate would fail the same way.
    @Test func anUntrustedCertificateFailsBeforeSendingAndWaitsForALaterRun() async throws {
        let server = try await offloaded { try UntrustedTLSServer() }
        defer { server.stop() }
        let request = HTTPRequest(
            url: "\(server.baseURL)/chat.postMessage", body: Data("{}".utf8), endpoint: "chat.postMessage", isIdempotent: false)
        let outcome = try await Self.send([request])

        let error = try outcome.error()
        guard case .connectFailed(.tlsTrust, _) = error.kind else {
            Issue.record("expected a TLS certificate failure, got \(error.kind)")
            return
        }
        #expect(error.isTemporary)
        #expect(!error.mayHaveBeenDelivered)
        #expect(error.attempts == 1)
        #expect(outcome.requestCount == 0)
        #expect(error.description.hasPrefix("chat.postMessage: could not connect (TLS certificate): "), "\(error)")
        #expect(!error.description.contains("127.0.0.1"))
    }

    @Test func oversizedBodyFailsWithoutRetry() async throws {
        let server = try await LoopbackServer.start { _ in .text(String(repeating: "a", count: 10_000)) }
        var configuration = Self.configuration
        configuration.maxResponseBytes = 1_000
        let outcome = try await Self.send(
            [HTTPRequest(method: "GET", url: "\(server.baseURL)/huge", endpoint: "huge")], configuration: configuration
        )

        let error = try outcome.error()
        #expect(error.kind == .responseTooLarge(1_000))
        #expect(!error.isTemporary)
        #expect(error.attempts == 1)
        #expect(server.requests.count == 1)
        await server.stop()
    }

    @Test func secretsStayOutOfErrorsAndLogs() async throws {
        let server = try await LoopbackServer.start(handler: Self.ok)
        server.inject(.status(503), path: "/chat.postMessage", times: 3)
        let (logger, logs) = RecordingLogHandler.logger()
        let secret = "xoxb-0000-very-secret"
        let request = HTTPRequest(
            url: "http://bot:hunter2@127.0.0.1:\(server.port)/chat.postMessage?token=qtoken42",
            headers: [("Authorization", HTTPRequest.bearerAuthorization(token: secret))],
            body: Data(#"{"text": "bodysecret"}"#.utf8),
            endpoint: "chat.postMessage"
        )
        let outcome = try await Self.send([request], logger: logger)

        let error = try outcome.error()
        #expect(server.requests.first?.header("authorization") == "Bearer \(secret)")
        let texts = [error.description, String(describing: error), request.description] + logs.all.map(\.text)
        #expect(logs.all.count == 5)
        for text in texts {
            for needle in [secret, "hunter2", "qtoken42", "bodysecret", "127.0.0.1"] {
                #expect(!text.contains(needle), "\(needle) leaked into: \(text)")
            }
        }
        await server.stop()
    }
}
