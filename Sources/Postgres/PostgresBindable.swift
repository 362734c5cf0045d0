import Foundation

/// A value that can be sent as a query parameter, in PostgreSQL's text format.
///
/// Parameters are always sent separately from the SQL (`$1`, `$2`...), never spliced into it.
/// Add a cast where the server cannot infer the type: `$1::timestamptz`, `$2::jsonb`, `$3::uuid[]`.
/// Pass `nil` (or an optional holding nil) for SQL NULL.
public protocol PostgresBindable {
    /// The value as PostgreSQL's input function for its type reads it.
    var postgresText: String { get }
}

extension String: PostgresBindable {
    public var postgresText: String { self }
}

extension Int: PostgresBindable {
    public var postgresText: String { String(self) }
}

extension Int64: PostgresBindable {
    public var postgresText: String { String(self) }
}

extension Int32: PostgresBindable {
    public var postgresText: String { String(self) }
}

extension Bool: PostgresBindable {
    public var postgresText: String { self ? "true" : "false" }
}

extension Double: PostgresBindable {
    /// Swift's shortest round-tripping form; PostgreSQL also reads `inf`, `-inf` and `nan`.
    public var postgresText: String { String(self) }
}

extension Date: PostgresBindable {
    /// ISO 8601 in UTC with milliseconds, e.g. `2024-10-20T14:00:00.123Z`.
    public var postgresText: String { PostgresTimestamp.format(self) }
}

extension UUID: PostgresBindable {
    public var postgresText: String { uuidString }
}
