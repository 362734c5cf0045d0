import Foundation

/// The dated Ashby API version a client asks for with the `Ashby-Version` header on every request.
///
/// Ashby's versions are dates; breaking changes (removed endpoints, changed response fields, pagination,
/// authentication or error behaviour) ship only as new versions, and a key without a pinned version gets
/// its credential's default, the newest active version for a new key. Pinning keeps the shapes this
/// build decodes. Lifecycle: pre-release → active → deprecated → unsupported → removed (a request
/// naming a removed version is refused).
public enum AshbyAPIVersion {
    /// The version this build is written against (`ASHBY_API_VERSION` overrides it).
    public static let pinned = "2026-01-01"

    /// The request header naming the version, and the response headers saying which version answered and
    /// its lifecycle status.
    public static let header = "Ashby-Version"
    public static let statusHeader = "Ashby-Version-Status"

    /// True for a version written as Ashby writes them: a real calendar date, `YYYY-MM-DD`.
    public static func isWellFormed(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components) else { return false }
        // Rolled-over dates (2026-02-30 → March) are not real ones.
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == year && back.month == month && back.day == day
    }
}
