/// One value of a row: PostgreSQL's text for it, decoded on demand.
public struct PostgresCell: Sendable {
    /// The column text; nil is SQL NULL, while "" is an empty string.
    public let raw: String?
    /// The column's name, for error messages.
    public let column: String

    public var isNull: Bool { raw == nil }

    /// The value as `T`; NULL or unparsable text throws. The error never repeats the text.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self) throws(PostgresError) -> T {
        guard let raw else {
            throw PostgresError(code: .unexpectedNull, message: "column \"\(column)\" is NULL, expected \(T.self)")
        }
        guard let value = T(postgresText: raw) else {
            throw PostgresError(code: .decodingFailed, message: "column \"\(column)\" does not hold a valid \(T.self)")
        }
        return value
    }

    /// The value as `T`, or nil for NULL; unparsable text throws.
    public func decode<T: PostgresDecodable>(_ type: T?.Type = T?.self) throws(PostgresError) -> T? {
        guard raw != nil else { return nil }
        return try decode(T.self)
    }
}
