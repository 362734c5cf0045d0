import Foundation

/// An Ashby payload that cannot be stored (an id that is not a UUID). The message names the record
/// and the field, never more of the payload.
struct InvalidPayload: Error, CustomStringConvertible {
    var description: String

    /// `value` lower-cased, as PostgreSQL prints uuids, after checking that it is one.
    static func checkedUUID(_ value: String, _ what: String) throws(InvalidPayload) -> String {
        guard UUID(uuidString: value) != nil else {
            throw InvalidPayload(description: "\(what) is not a UUID")
        }
        return value.lowercased()
    }

    /// As `checkedUUID`, for an optional field: nil stays nil.
    static func checkedOptionalUUID(_ value: String?, _ what: String) throws(InvalidPayload) -> String? {
        guard let value else { return nil }
        return try checkedUUID(value, what)
    }
}
