import CurlHTTP
import Foundation
import Logging
import Testing
import TestSupport

/// The shared fake server itself: what it records and how it plays faults. Driven by HTTPClient, the only
/// HTTP client in the project.
@Suite(.timeLimit(.minutes(1)))
struct LoopbackServerTests {
    static let configuration = HTTPClientConfiguration(
        retry: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(10), maxDelay: .milliseconds(20))
    )

    @Test func recordsMethodPathQueryHeadersAndBody() async throws {
        let server = try await LoopbackServer.start { _ in .json(["ok": true]) }
        let base = server.baseURL
        #expect(base == "http://127.0.0.1:\(server.port)")
        _ = try await offloaded {
            try HTTPClient(configuration: Self.configuration, logger: Logger(label: "test")).send(HTTPRequest(
                url: "\(base)/users.list?cursor=abc&limit=10",
                headers: [("X-Mixed-Case", "Value")],
                body: Data(#"{"n": 1, "s": "x"}"#.utf8),
                endpoint: "users.list"
            ))
        }

        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/users.list")
        #expect(request.query == ["cursor": "abc", "limit": "10"])
        #expect(request.headers["x-mixed-case"] == "Value")
        #expect(request.json()?["s"] as? String == "x")
        #expect(request.json()?["n"] as? Int == 1)
        #expect(request.clientPort != nil)
        await server.stop()
    }

    @Test func faultsPlayInOrderOnlyForTheirPath() async throws {
        let server = try await LoopbackServer.start { request in .json(["path": request.path]) }
        server.inject(.status(503), path: "/a")
        server.inject(.status(429, headers: ["Retry-After": "0"]), path: "/a")
        server.inject(.status(500), path: "/a")
        let (logger, logs) = RecordingLogHandler.logger()
        let base = server.baseURL
        let (a, b) = try await offloaded {
            let client = HTTPClient(configuration: Self.configuration, logger: logger)
            let b = try client.send(HTTPRequest(url: "\(base)/b", endpoint: "b"))
            let a = try client.send(HTTPRequest(url: "\(base)/a", endpoint: "a"))
            return (a, b)
        }

        #expect(a.status == 200)
        #expect(b.status == 200)
        let statuses = logs.all.filter { $0.level == .debug }.map { $0.metadata["http.status"] ?? "-" }
        #expect(statuses == ["200", "503", "429", "500", "200"])
        #expect(server.requests.map(\.path) == ["/b", "/a", "/a", "/a", "/a"])
        await server.stop()
    }

    @Test func statusFaultCarriesHeadersAndBody() async throws {
        let server = try await LoopbackServer.start { _ in .json(["ok": true]) }
        server.inject(.status(404, headers: ["X-Reason": "gone"], body: Data("nope".utf8)), path: "/x")
        let base = server.baseURL
        let response = try await offloaded {
            try HTTPClient(configuration: Self.configuration, logger: Logger(label: "test"))
                .send(HTTPRequest(url: "\(base)/x", endpoint: "x"))
        }

        #expect(response.status == 404)
        #expect(response.header("x-reason") == "gone")
        #expect(response.body == Data("nope".utf8))
        await server.stop()
    }
}
