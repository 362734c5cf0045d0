import Foundation
import Postgres

/// An Ashby payload that cannot be stored (an id that is not a UUID). The message names the record
/// and the field, never more of the payload.
struct InvalidPayload: Error, CustomStringConvertible {
    var description: String

    /// `value` lower-cased, as PostgreSQL prints uuids, after checking that it is one (the
    /// 8-4-4-4-12 hex form `UUID(uuidString:)` accepts), with the reader that binds uuids
    /// (`UUIDText`, not Foundation's parser, which cost a backfill about 7 % of its CPU). `what` is
    /// only built for an error.
    static func checkedUUID(_ value: String, _ what: @autoclosure () -> String) throws(InvalidPayload) -> String {
        guard UUIDText.isValid(value) else {
            throw InvalidPayload(description: "\(what()) is not a UUID")
        }
        let hasUpperCase = value.utf8.contains { UInt8(ascii: "A")...UInt8(ascii: "F") ~= $0 }
        return hasUpperCase ? value.lowercased() : value
    }

    /// As `checkedUUID`, for an optional field: nil stays nil.
    static func checkedOptionalUUID(_ value: String?, _ what: @autoclosure () -> String) throws(InvalidPayload) -> String? {
        guard let value else { return nil }
        return try checkedUUID(value, what())
    }
}
