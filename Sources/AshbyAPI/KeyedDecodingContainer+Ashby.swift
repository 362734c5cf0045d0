import Foundation

/// Lenient decoding helpers shared by the Ashby models: optional fields may be absent or `null`,
/// timestamps may or may not carry fractional seconds.
extension KeyedDecodingContainer {
    /// A required timestamp; a missing key or an unparseable value is a decoding error naming the key.
    func decodeTimestamp(forKey key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        guard let date = AshbyTimestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "invalid timestamp \"\(text)\"")
        }
        return date
    }

    /// An optional timestamp: absent or `null` → nil; present but unparseable is still an error.
    func decodeTimestampIfPresent(forKey key: Key) throws -> Date? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = AshbyTimestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "invalid timestamp \"\(text)\"")
        }
        return date
    }
}
