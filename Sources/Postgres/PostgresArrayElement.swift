import Foundation

/// A value that can be an element of a bound array; optionals are elements too (nil = NULL).
///
/// Arrays of these bind as PostgreSQL array literals, so a whole page of rows goes to the server
/// in one statement: `INSERT ... SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[])`.
public protocol PostgresArrayElement {
    /// The element's text, or nil for NULL.
    var postgresArrayElementText: String? { get }
}

extension PostgresArrayElement where Self: PostgresBindable {
    public var postgresArrayElementText: String? { postgresText }
}

extension String: PostgresArrayElement {}
extension Int: PostgresArrayElement {}
extension Int64: PostgresArrayElement {}
extension Int32: PostgresArrayElement {}
extension Bool: PostgresArrayElement {}
extension Double: PostgresArrayElement {}
extension Date: PostgresArrayElement {}
extension UUID: PostgresArrayElement {}

extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    public var postgresArrayElementText: String? { self?.postgresArrayElementText }
}

extension Array: PostgresBindable where Element: PostgresArrayElement {
    /// A one-dimensional array literal: every element double-quoted with `"` and `\` escaped, so
    /// commas, braces, spaces, empty strings and the text `NULL` stay data; a nil element is `NULL`.
    public var postgresText: String {
        var literal: [UInt8] = [UInt8(ascii: "{")]
        for (index, element) in enumerated() {
            if index > 0 { literal.append(UInt8(ascii: ",")) }
            guard let text = element.postgresArrayElementText else {
                literal.append(contentsOf: "NULL".utf8)
                continue
            }
            literal.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { literal.append(UInt8(ascii: "\\")) }
                literal.append(byte)
            }
            literal.append(UInt8(ascii: "\""))
        }
        literal.append(UInt8(ascii: "}"))
        return String(decoding: literal, as: UTF8.self)
    }
}

/// Lets error messages be scrubbed of array elements, which the server echoes one at a time.
protocol PostgresArrayParameter {
    var elementTexts: [String] { get }
}

extension Array: PostgresArrayParameter where Element: PostgresArrayElement {
    var elementTexts: [String] { compactMap(\.postgresArrayElementText) }
}
