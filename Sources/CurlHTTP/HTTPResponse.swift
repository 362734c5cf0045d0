import Foundation

/// The final response to an `HTTPRequest`.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names are lower-cased; repeated headers are joined with ", ".
    public var headers: [String: String]
    /// Decoded body (libcurl undoes gzip/deflate/br content encoding).
    public var body: Data

    /// - Parameter headers: Names are lower-cased here.
    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.body = body
    }

    /// The value of a header, looked up case-insensitively.
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }
}
