import Foundation

/// A request as the loopback fake server received it, for handlers and for assertions in tests.
public struct FakeRequest: Sendable {
    /// Upper-case method, e.g. "GET" or "POST".
    public var method: String
    /// Path without the query string, e.g. "/interviewSchedule.list".
    public var path: String
    /// Decoded query parameters; the last value wins when a name repeats.
    public var query: [String: String]
    /// Headers with lower-cased names; repeated headers are joined with ", ".
    public var headers: [String: String]
    public var body: Data
    /// The client's TCP port: requests that share it came over the same (kept-alive) connection.
    public var clientPort: UInt16?

    public init(
        method: String,
        path: String,
        query: [String: String] = [:],
        headers: [String: String] = [:],
        body: Data = Data(),
        clientPort: UInt16? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.clientPort = clientPort
    }

    /// The value of a header, looked up case-insensitively.
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }

    /// The body parsed as a JSON object, or nil when it is not one.
    public func json() -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}
