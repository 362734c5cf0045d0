import Foundation

/// A failure reported by PostgreSQL, libpq or this module.
///
/// `message` is the server's primary message (or libpq's, for connection problems) made safe to
/// print: it never contains a password, the connection string or a bound value, and it is one line.
/// Details and hints are left out because the server puts row values there (`Key (email)=(...)`).
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What kind of operation failed; the SQLSTATE says more when the server sent one.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String {
            case connectionFailed, invalidConnectionString, queryFailed, unexpectedNull, decodingFailed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No connection could be made, or an open one was lost.
        public static let connectionFailed = Code(.connectionFailed)
        /// libpq could not parse the connection string.
        public static let invalidConnectionString = Code(.invalidConnectionString)
        /// The server rejected a statement.
        public static let queryFailed = Code(.queryFailed)
        /// A non-optional decode met SQL NULL.
        public static let unexpectedNull = Code(.unexpectedNull)
        /// A column's text is not a valid value of the requested Swift type.
        public static let decodingFailed = Code(.decodingFailed)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The server's five-character SQLSTATE (`23505`, `42601`, `3D000`...), when it sent one.
    public var sqlState: String?
    public var message: String
    /// libpq asked for a password and none was given (a client-side failure without SQLSTATE).
    var passwordMissing = false

    public init(code: Code, sqlState: String? = nil, message: String) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
    }

    /// The server could not be reached or the connection broke: worth retrying on a later run.
    /// False for a wrong password or a missing database, which retrying will not fix.
    public var isConnectionFailure: Bool {
        if sqlState?.hasPrefix("08") == true { return true }
        return code == .connectionFailed && !isAuthenticationFailure && !isDatabaseMissing
    }

    /// The server refused the credentials (28P01, 28000) or a password was needed but not given.
    public var isAuthenticationFailure: Bool {
        passwordMissing || sqlState == "28P01" || sqlState == "28000"
    }

    /// The database named in the connection string does not exist (3D000).
    public var isDatabaseMissing: Bool { sqlState == "3D000" }

    /// One line: the message and, when known, the SQLSTATE.
    public var description: String {
        guard let sqlState else { return message }
        return "\(message) [SQLSTATE \(sqlState)]"
    }
}

extension PostgresError {
    /// Turns libpq's multi-line text into one line, dropping the source-location line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("LOCATION:") }
            .joined(separator: " ")
    }

    /// Removes bound values (and array elements) from a server message.
    ///
    /// The server quotes values it echoes (`invalid input syntax for type integer: "abc"`), so every
    /// quoted occurrence goes; longer values are also removed where they appear unquoted (text from
    /// `RAISE`), while short ones are left alone so words like `id` in the message survive.
    static func redacting(_ values: [String], in message: String) -> String {
        var result = message
        for value in Set(values).sorted(by: { $0.count > $1.count }) where !value.isEmpty {
            result = result.replacingOccurrences(of: "\"\(value)\"", with: "\"…\"")
            if value.count >= 6 {
                result = result.replacingOccurrences(of: value, with: "…")
            }
        }
        return result
    }
}
