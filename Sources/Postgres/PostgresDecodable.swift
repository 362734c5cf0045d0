import Foundation

/// A Swift type that can be read from PostgreSQL's text output for a column.
public protocol PostgresDecodable {
    /// Parses the column text; nil when it is not a valid value of this type.
    init?(postgresText text: String)
}

extension String: PostgresDecodable {
    public init?(postgresText text: String) { self = text }
}

/// Integers read PostgreSQL's decimal output; a value out of range fails.
extension PostgresDecodable where Self: FixedWidthInteger {
    public init?(postgresText text: String) {
        self.init(text)
    }
}

extension Int: PostgresDecodable {}
extension Int64: PostgresDecodable {}
extension Int32: PostgresDecodable {}

extension Bool: PostgresDecodable {
    /// PostgreSQL prints booleans as `t` and `f`.
    public init?(postgresText text: String) {
        switch text {
        case "t": self = true
        case "f": self = false
        default: return nil
        }
    }
}

extension Double: PostgresDecodable {
    /// Also reads PostgreSQL's `Infinity`, `-Infinity` and `NaN`.
    public init?(postgresText text: String) {
        guard let value = Double(text) else { return nil }
        self = value
    }
}

extension Date: PostgresDecodable {
    /// Reads `timestamptz` output (`2024-10-20 14:00:00.123456+00`), `timestamp` (taken as UTC)
    /// and `date` (midnight UTC). `infinity` and BC dates are not representable and fail.
    public init?(postgresText text: String) {
        guard let value = PostgresTimestamp.parse(text) else { return nil }
        self = value
    }
}

extension UUID: PostgresDecodable {
    public init?(postgresText text: String) {
        self.init(uuidString: text)
    }
}
