import Foundation

/// A Slack member's time zone as the directory gave it (`tz`, `tz_offset`), and the one rule that
/// turns it into the zone their working hours and local day are judged in — for nudges, digests and
/// the directory's log alike: the named zone when this build's zone database knows it; else the
/// fixed offset Slack gave when the directory was pulled; else `DEFAULT_TIME_ZONE`.
struct SlackTimeZone: Sendable, Equatable {
    /// Where a member's zone came from.
    enum Source: String, Sendable {
        /// `tz`, an IANA name this build knows.
        case name
        /// `tz_offset`: the name is unknown here (or missing), so a fixed offset from UTC.
        case offset
        /// `DEFAULT_TIME_ZONE`: Slack gave neither a known name nor an offset.
        case defaultZone = "default"
    }

    /// `tz`: an IANA name such as `America/New_York`, as Slack sent it.
    var name: String?
    /// `tz_offset`: seconds from UTC when the directory was pulled (Slack's own reading of `tz`).
    var offset: Int?

    init(name: String?, offset: Int?) {
        self.name = name
        self.offset = offset
    }

    /// The named zone, when this build's zone database knows `name`.
    var namedZone: TimeZone? {
        name.flatMap(TimeZone.init(identifier:))
    }

    /// True when the zone is not taken from the name, so it depends on the stored offset or the default.
    var isFallback: Bool { namedZone == nil }

    /// The member's zone, and where it came from; `fallback` is `DEFAULT_TIME_ZONE`.
    func resolved(default fallback: TimeZone) -> (zone: TimeZone, source: Source) {
        if let zone = namedZone { return (zone, .name) }
        if let zone = offset.flatMap(TimeZone.init(secondsFromGMT:)) { return (zone, .offset) }
        return (fallback, .defaultZone)
    }

    /// The member's zone; `fallback` is `DEFAULT_TIME_ZONE`.
    func zone(default fallback: TimeZone) -> TimeZone {
        resolved(default: fallback).zone
    }
}
