import Foundation

/// A misbehaviour the loopback fake server plays instead of (or before) its handler, injected per path with
/// `LoopbackServer.inject(_:path:times:)`.
public enum Fault: Sendable {
    /// Answer with this status, headers and body instead of calling the handler,
    /// e.g. `.status(429, headers: ["Retry-After": "1"])` or `.status(503, body: Data("<html>".utf8))`.
    case status(Int, headers: [String: String] = [:], body: Data = Data())
    /// Wait this long, then call the handler and answer normally (use a delay past the client's timeout).
    case delay(Duration)
    /// Send a 200 whose Content-Length promises more than is sent, then close the connection: the client sees
    /// a truncated body (libcurl: CURLE_PARTIAL_FILE). The handler is not called.
    case closeMidBody
    /// Answer 200 `application/json` with a truncated, unparseable JSON body. The handler is not called.
    case malformedJSON
}
