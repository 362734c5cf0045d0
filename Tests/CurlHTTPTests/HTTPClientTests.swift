import CurlHTTP
import Foundation
import Logging
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(1)))
struct HTTPClientTests {
    /// Small delays and timeouts so retry tests stay fast.
    static let configuration = HTTPClientConfiguration(
        connectTimeout: .seconds(2),
        requestTimeout: .seconds(5),
        retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100))
    )

    @Test func getAndPostRoundTripHeadersAndJSON() async throws {
        let server = try await LoopbackServer.start { request in
            .json(["method": request.method, "path": request.path, "query": request.query, "echo": request.json() ?? [:]])
        }
        let (logger, _) = RecordingLogHandler.logger()
        let base = server.baseURL
        let (get, post) = try await offloaded {
            let client = HTTPClient(configuration: Self.configuration, logger: logger)
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
}
