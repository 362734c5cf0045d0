import Foundation

/// PostgreSQL `text` cannot hold U+0000 (NUL), and libpq's text-format parameters are C strings that
/// could not carry one anyway; JSON, and so any API's payload, can. This layer binds every text it
/// sends — scalar parameters, array literals, binary `text[]` arrays and `COPY` rows — with each U+0000
/// replaced by U+FFFD, the Unicode replacement character, so one such character in outside data never
/// fails a statement (and with it a transaction or a whole step).
///
/// The rule is applied to every parameter alike, lookups as well as writes, so a value compares equal
/// to the row it was stored as. A caller that compares text in Swift with what is stored takes the
/// stored form from `storable` first.
public enum PostgresText {
    /// `text` as it is bound and stored: each U+0000 replaced by U+FFFD; unchanged (and not copied)
    /// when it holds none, which is almost always.
    public static func storable(_ text: String) -> String {
        guard containsNUL(text) else { return text }
        return text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
    }

    /// Whether `text` holds a NUL byte, found with `memchr`: an array parameter can be hundreds of kilobytes,
    /// and a byte-by-byte `contains` over it cost a backfill more than building it.
    static func containsNUL(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false
        } ?? text.utf8.contains(0)
    }
}
