import Foundation

/// JSON text bound to or read from a `json`/`jsonb` column; bind it with `$n::jsonb`.
///
/// The text is passed through as is: the server validates it, and `jsonb` output is normalised
/// (key order and spacing), so compare decoded values rather than text.
public struct PostgresJSON: PostgresBindable, PostgresDecodable, PostgresArrayElement, Hashable, Sendable {
    public let rawJSON: String

    public init(_ rawJSON: String) {
        self.rawJSON = rawJSON
    }

    /// UTF-8 JSON, e.g. from `JSONEncoder`.
    public init(data: Data) {
        self.rawJSON = String(decoding: data, as: UTF8.self)
    }

    public init?(postgresText text: String) {
        self.rawJSON = text
    }

    /// The UTF-8 bytes, e.g. for `JSONDecoder`.
    public var data: Data { Data(rawJSON.utf8) }

    public var postgresText: String { rawJSON }
}
