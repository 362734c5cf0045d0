import Foundation

/// What a loopback fake server's handler answers.
public struct FakeResponse: Sendable {
    public var status: Int
    /// Header names as they should be sent; Content-Length is added by the server.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int = 200, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response built from dictionaries, arrays, strings, numbers, booleans and `NSNull`.
    ///
    /// Traps when `object` is not a valid JSON object: that is a mistake in the test, not in the code under test.
    public static func json(_ object: Any, status: Int = 200) -> FakeResponse {
        precondition(JSONSerialization.isValidJSONObject(object), "FakeResponse.json: not a valid JSON object")
        // Valid objects always serialise, so the force-try cannot fail.
        let body = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return FakeResponse(status: status, headers: ["Content-Type": "application/json"], body: body)
    }

    /// A JSON response whose body is sent exactly as given (fixtures, or deliberately odd JSON).
    public static func json(raw: String, status: Int = 200) -> FakeResponse {
        FakeResponse(status: status, headers: ["Content-Type": "application/json"], body: Data(raw.utf8))
    }

    /// A plain-text response.
    public static func text(_ text: String, status: Int = 200) -> FakeResponse {
        FakeResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Data(text.utf8))
    }
}
