/// What Ashby said about the API version a run's requests named, from the `Ashby-Version` and
/// `Ashby-Version-Status` response headers. Kept in the run's counts, so `status` and the metrics file
/// can say when the pinned version is on its way out.
public struct AshbyVersionStatus: Sendable, Codable, Equatable {
    /// The version that processed the requests (the response's `Ashby-Version`, else the one asked for).
    public var version: String
    /// The lifecycle status as Ashby sent it, lowercased: `active`, `deprecated`, `unsupported`, …
    public var status: String

    public init(version: String, status: String) {
        self.version = version
        self.status = status.lowercased()
    }

    /// Ashby will stop serving this version: `deprecated` (still fully supported for a while),
    /// `unsupported`/`sunset` (served, no longer fixed) or `removed`.
    public var isDeprecated: Bool { severity > 0 }

    /// How close the version is to removal: 0 for anything Ashby still fully serves (`active`,
    /// `pre-release`, a status this build does not know), then deprecated, unsupported, removed.
    var severity: Int {
        switch status {
        case "deprecated": 1
        case "unsupported", "sunset": 2
        case "removed": 3
        default: 0
        }
    }
}
