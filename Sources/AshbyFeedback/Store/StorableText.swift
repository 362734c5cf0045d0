import Foundation
import Postgres

/// Text made storable in PostgreSQL, whose `text` and `jsonb` cannot hold U+0000 although JSON
/// (and so Ashby and Slack) can carry it. Without this, one such character in one schedule would
/// fail its page on every run, or one candidate's name the record of a posted DM.
///
/// One rule, U+0000 → U+FFFD: every text parameter is bound that way by the Postgres layer
/// (`PostgresText`), for every table and statement. What is compared with stored rows in Swift (the
/// schedule diff), shown before it is stored (a DM's names, whose fingerprint is checked later) or
/// encoded into JSON (`jsonb` refuses `\u0000`) takes that stored form here first, so what is
/// compared, shown and encoded is what is stored.
enum StorableText {
    /// `value` as PostgreSQL stores it: every U+0000 replaced by U+FFFD.
    static func text(_ value: String?) -> String? {
        value.map(PostgresText.storable)
    }

    /// JSON text for a `jsonb` column, with every `\u0000` escape replaced by `\ufffd` (the same rule:
    /// `jsonb` refuses the escape, and the binding layer cannot tell a `jsonb` parameter from `text`).
    static func jsonb(_ json: Data) -> String {
        let escape = Array(#"\u0000"#.utf8)
        guard containsNULEscape(json) else { return String(decoding: json, as: UTF8.self) }
        let bytes = [UInt8](json)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                output.append(bytes[index])
                index += 1
                continue
            }
            if index + escape.count <= bytes.count, Array(bytes[index..<index + escape.count]) == escape {
                output += Array(#"\ufffd"#.utf8)
                index += escape.count
            } else {
                // Any other escape, `\\` included, is copied whole so its second byte is never re-read.
                output += bytes[index...index + 1]
                index += 2
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether `json` has the bytes `\u0000` anywhere (one pass; almost every payload has none).
    private static func containsNULEscape(_ json: Data) -> Bool {
        json.withUnsafeBytes { bytes in
            let zero = UInt8(ascii: "0")
            var index = 0
            while index + 5 < bytes.count {
                if bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"), bytes[index + 2] == zero,
                   bytes[index + 3] == zero, bytes[index + 4] == zero, bytes[index + 5] == zero {
                    return true
                }
                index += 1
            }
            return false
        }
    }
}
