import Foundation

/// An Ashby payload that cannot be stored (an id that is not a UUID). The message names the record
/// and the field, never more of the payload.
struct InvalidPayload: Error, CustomStringConvertible {
    var description: String

    /// `value` lower-cased, as PostgreSQL prints uuids, after checking that it is one (the
    /// 8-4-4-4-12 hex form `UUID(uuidString:)` accepts). Checked byte by byte: Foundation's parser
    /// goes through `sscanf` and cost a backfill about 7 % of its CPU. `what` is only built for an error.
    static func checkedUUID(_ value: String, _ what: @autoclosure () -> String) throws(InvalidPayload) -> String {
        var hasUpperCase = false
        let valid = value.utf8.count == 36 && value.utf8.withContiguousStorageIfAvailable { bytes in
            for (index, byte) in bytes.enumerated() {
                switch index {
                case 8, 13, 18, 23:
                    guard byte == UInt8(ascii: "-") else { return false }
                default:
                    switch byte {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): break
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): hasUpperCase = true
                    default: return false
                    }
                }
            }
            return true
        } ?? {
            hasUpperCase = true   // not contiguous (rare): Foundation checks, and the result is lower-cased
            return UUID(uuidString: value) != nil
        }()
        guard valid else {
            throw InvalidPayload(description: "\(what()) is not a UUID")
        }
        return hasUpperCase ? value.lowercased() : value
    }

    /// As `checkedUUID`, for an optional field: nil stays nil.
    static func checkedOptionalUUID(_ value: String?, _ what: @autoclosure () -> String) throws(InvalidPayload) -> String? {
        guard let value else { return nil }
        return try checkedUUID(value, what())
    }
}
