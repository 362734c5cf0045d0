import Foundation

/// Replaces lone UTF-16 surrogate escapes in JSON text (`"Room 4 \ud83d"`, an emoji cut in half
/// upstream) with `\ufffd`.
///
/// Such an escape is valid JSON grammar, but `JSONDecoder` rejects it and so does PostgreSQL's
/// jsonb: left alone, one would fail its page on every run. Applied to every Ashby response before
/// it is decoded, so decoded values and the raw bytes stored as jsonb agree. A valid pair is kept.
enum LoneSurrogates {
    /// `json` with each lone surrogate escape replaced; the same bytes when there is none (the usual
    /// case, found by one scan; the escapes are read only when `\ud8`…`\udf` occurs).
    static func replaced(in json: Data) -> Data {
        json.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Data in
            guard mayHoldSurrogateEscape(bytes) else { return json }
            return repaired(bytes) ?? json
        }
    }

    private static let backslash = UInt8(ascii: "\\")
    private static let replacement = Array(#"\ufffd"#.utf8)

    /// Whether the bytes `\ud8`…`\udf` (any case) occur anywhere: almost no payload has them.
    private static func mayHoldSurrogateEscape(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index + 3 < bytes.count {
            if bytes[index] == backslash, bytes[index + 1] == UInt8(ascii: "u"), bytes[index + 2] | 0x20 == UInt8(ascii: "d"),
               isSurrogateSecondDigit(bytes[index + 3]) {
                return true
            }
            index += 1
        }
        return false
    }

    /// Copies `bytes`, reading every escape from the start (so `\\ud83d`, an escaped backslash and
    /// text, is never taken for an escape); nil when nothing needed replacing.
    private static func repaired(_ bytes: UnsafeRawBufferPointer) -> Data? {
        var output: [UInt8] = []
        var index = 0
        var copiedUpTo = 0
        var changed = false
        while index < bytes.count {
            guard bytes[index] == backslash else {
                index += 1
                continue
            }
            guard let unit = codeUnit(in: bytes, at: index), (0xD800...0xDFFF).contains(unit) else {
                index += 2   // any other escape, `\\` included, is skipped whole
                continue
            }
            if unit <= 0xDBFF, let low = codeUnit(in: bytes, at: index + 6), (0xDC00...0xDFFF).contains(low) {
                index += 12   // a valid pair is kept
                continue
            }
            if output.isEmpty { output.reserveCapacity(bytes.count) }
            output.append(contentsOf: bytes[copiedUpTo..<index])
            output.append(contentsOf: replacement)
            index += 6
            copiedUpTo = index
            changed = true
        }
        guard changed else { return nil }
        output.append(contentsOf: bytes[copiedUpTo..<bytes.count])
        return Data(output)
    }

    /// The code unit of a `\uXXXX` escape starting at `index`, nil when there is none.
    private static func codeUnit(in bytes: UnsafeRawBufferPointer, at index: Int) -> UInt16? {
        guard index + 5 < bytes.count, bytes[index] == backslash, bytes[index + 1] == UInt8(ascii: "u") else { return nil }
        var value: UInt16 = 0
        for offset in 2...5 {
            guard let digit = hexValue(bytes[index + offset]) else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `8`…`9`, `a`…`f` or `A`…`F`: the second hex digit of a surrogate (`\uD8xx`…`\uDFxx`).
    private static func isSurrogateSecondDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "8")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
    }
}
