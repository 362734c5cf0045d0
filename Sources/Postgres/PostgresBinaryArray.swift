import Foundation

/// A one-dimensional array parameter in PostgreSQL's binary format: elements go as their bytes, so
/// nothing is quoted or escaped here and the server parses no literal (a page's arrays of ids, times
/// and payloads are megabytes of text otherwise, and reading them back was a fifth of a write's cost).
///
/// The SQL still casts the parameter (`$1::uuid[]`), and the element type must match that cast:
/// the server refuses an array of another element type.
public struct PostgresBinaryArray: PostgresBindable, PostgresArrayParameter, Sendable {
    /// The array in binary format: header, dimension, then each element's length and bytes.
    let bytes: [UInt8]
    /// Element texts for scrubbing error messages (ids and payloads; not times or flags).
    let elementTexts: [String]

    /// `uuid[]` from UUID texts (any case, with hyphens).
    /// - Throws: `PostgresError` naming the element's position (never its text) for a non-UUID.
    public static func uuids(_ values: [String?]) throws(PostgresError) -> PostgresBinaryArray {
        var writer = Writer(count: values.count, elementType: 2950, hasNulls: values.contains(nil), elementBytes: 16)
        for (index, value) in values.enumerated() {
            guard let value else {
                writer.appendNull()
                continue
            }
            guard let uuid = UUIDText.bytes(value) else {
                throw PostgresError(code: .queryFailed, message: "array element \(index + 1) is not a UUID")
            }
            writer.append(uuid)
        }
        return PostgresBinaryArray(bytes: writer.bytes, elementTexts: values.compactMap { $0 })
    }

    /// `text[]` from texts (UTF-8) in their stored form (`PostgresText`: each U+0000 as U+FFFD).
    public static func texts(_ values: [String?]) -> PostgresBinaryArray {
        let stored = values.map { $0.map(PostgresText.storable) }
        let size = stored.reduce(0) { $0 + ($1?.utf8.count ?? 0) }
        var writer = Writer(count: stored.count, elementType: 25, hasNulls: stored.contains(nil), extraBytes: size)
        for value in stored {
            guard var value else {
                writer.appendNull()
                continue
            }
            value.withUTF8 { writer.append($0) }
        }
        return PostgresBinaryArray(bytes: writer.bytes, elementTexts: stored.compactMap { $0 })
    }

    /// `timestamptz[]`, to the millisecond (rounded to the nearest, as the text format binds `Date`s).
    public static func timestamps(_ values: [Date?]) -> PostgresBinaryArray {
        var writer = Writer(count: values.count, elementType: 1184, hasNulls: values.contains(nil), elementBytes: 8)
        for value in values {
            guard let value else {
                writer.appendNull()
                continue
            }
            let milliseconds = Int64((value.timeIntervalSinceReferenceDate * 1000).rounded())
            writer.append(bigEndian: (milliseconds + postgresEpochOffsetMilliseconds) * 1000)
        }
        return PostgresBinaryArray(bytes: writer.bytes, elementTexts: [])
    }

    /// `boolean[]`.
    public static func booleans(_ values: [Bool?]) -> PostgresBinaryArray {
        var writer = Writer(count: values.count, elementType: 16, hasNulls: values.contains(nil), elementBytes: 1)
        for value in values {
            guard let value else {
                writer.appendNull()
                continue
            }
            writer.append([value ? 1 : 0])
        }
        return PostgresBinaryArray(bytes: writer.bytes, elementTexts: [])
    }

    /// The array as a text literal, for a caller that renders parameters (binding sends `bytes`).
    public var postgresText: String { "(binary array of \(bytes.count) bytes)" }

    /// PostgreSQL counts time from 2000-01-01 UTC, `Date` from 2001-01-01 UTC: 366 days apart.
    private static let postgresEpochOffsetMilliseconds: Int64 = 366 * 86_400 * 1000

    /// Builds the binary form: `ndim`, `flags` (1 when any element is NULL), element type OID, then
    /// the one dimension's length and lower bound (1); an empty array has no dimension.
    private struct Writer {
        var bytes: [UInt8] = []

        init(count: Int, elementType: UInt32, hasNulls: Bool, elementBytes: Int = 0, extraBytes: Int = 0) {
            bytes.reserveCapacity(20 + count * (4 + elementBytes) + extraBytes)
            append(bigEndian: Int32(count == 0 ? 0 : 1))
            append(bigEndian: Int32(hasNulls ? 1 : 0))
            append(bigEndian: elementType)
            if count > 0 {
                append(bigEndian: Int32(count))
                append(bigEndian: Int32(1))
            }
        }

        mutating func appendNull() {
            append(bigEndian: Int32(-1))
        }

        /// One element: its length, then its bytes.
        mutating func append<Bytes: Collection>(_ element: Bytes) where Bytes.Element == UInt8 {
            append(bigEndian: Int32(element.count))
            bytes.append(contentsOf: element)
        }

        /// One 8-byte element.
        mutating func append(bigEndian value: Int64) {
            append(bigEndian: Int32(8))
            withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
        }

        mutating func append<Integer: FixedWidthInteger>(bigEndian value: Integer) {
            withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
        }
    }
}

/// A UUID's canonical text (8-4-4-4-12 hex digits, either case), read by hand: Foundation's
/// `UUID(uuidString:)` cost several percent of a backfill. One reader for checking ids (the job
/// checks every id Ashby sends) and for binding them as bytes.
public enum UUIDText {
    /// Whether `text` is a UUID in canonical form.
    public static func isValid(_ text: String) -> Bool {
        read(text) { _ in }
    }

    /// The UUID's 16 bytes, or nil when `text` is not one.
    static func bytes(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var high: UInt8?
        let valid = read(text) { nibble in
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return valid ? bytes : nil
    }

    /// Walks `text`, handing each hex digit's value to `digit`; false at the first byte out of place.
    private static func read(_ text: String, digit: (UInt8) -> Void) -> Bool {
        var position = 0
        for byte in text.utf8 {
            defer { position += 1 }
            if position == 8 || position == 13 || position == 18 || position == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
                continue
            }
            guard position < 36, let value = nibble(byte) else { return false }
            digit(value)
        }
        return position == 36
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
