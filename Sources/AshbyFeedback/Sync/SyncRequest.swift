import Foundation

/// What a `sync` or `backfill` invocation asks the engine to do.
public struct SyncRequest: Sendable {
    public enum Kind: String, Sendable {
        /// Incremental where tokens allow, each resource on its cadence.
        case sync
        /// Every resource, full passes, ignoring stored tokens and cadences.
        case backfill
    }

    public var kind: Kind
    /// Backfill only: schedules created on or after this day.
    public var since: Date?
    /// Fetch and compute everything, write and send nothing.
    public var dryRun: Bool
    public var sendReminders: Bool

    public init(kind: Kind, since: Date? = nil, dryRun: Bool = false, sendReminders: Bool = true) {
        self.kind = kind
        self.since = since
        self.dryRun = dryRun
        self.sendReminders = sendReminders
    }
}
