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
    ///
    /// A page binds arrays of hundreds of elements, and its audit payloads make literals of hundreds of
    /// kilobytes, so the literal is sized up front and copied in runs between the bytes that need a backslash.
    public var postgresText: String {
        let texts = map { $0.postgresArrayElementText }   // a closure: a key path here costs 10 % of a backfill
        var size = 2 + texts.count * 3
        for text in texts { size += text?.utf8.count ?? 4 }
        var literal: [UInt8] = []
        literal.reserveCapacity(size + size / 8)
        literal.append(UInt8(ascii: "{"))
        for (index, text) in texts.enumerated() {
            if index > 0 { literal.append(UInt8(ascii: ",")) }
            guard let text else {
                literal.append(contentsOf: "NULL".utf8)
                continue
            }
            literal.append(UInt8(ascii: "\""))
            Self.appendEscaped(text, to: &literal)
            literal.append(UInt8(ascii: "\""))
        }
        literal.append(UInt8(ascii: "}"))
        return String(decoding: literal, as: UTF8.self)
    }

    /// Appends `text` with a backslash before every `"` and `\`.
    private static func appendEscaped(_ text: String, to literal: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices where bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "\\") {
                literal.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                literal.append(UInt8(ascii: "\\"))
                runStart = index
            }
            literal.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
    }
}

/// Lets error messages be scrubbed of array elements, which the server echoes one at a time.
protocol PostgresArrayParameter {
    var elementTexts: [String] { get }
}

extension Array: PostgresArrayParameter where Element: PostgresArrayElement {
    var elementTexts: [String] { compactMap(\.postgresArrayElementText) }
}
