import Foundation

/// Where a pass over an Ashby list stands after a committed page (`sync_pass_checkpoints`): enough to
/// continue it from there in a later run, or to start it over the same way when Ashby refuses the cursor.
struct PassCheckpoint: Sendable, Equatable {
    /// Pages of the pass committed so far, counted across the runs it took.
    var pages: Int
    /// Records on those pages.
    var items: Int
    /// The `nextCursor` of the last committed page: where the pass continues.
    var cursor: String
    /// The sync token the pass started from; nil for a full pass.
    var startToken: String?
    /// A filtered backfill's `--since` (`createdAfter`); nil for an unfiltered pass.
    var createdAfter: Date?
    /// When the pass began, as the database server's clock wrote it (text: exact to the microsecond,
    /// for comparing with the audit rows' `received_at`).
    var passStarted: String
    /// The runs that committed its pages (as loaded; each written row names its own run).
    var runIDs: [UUID] = []

    var isFull: Bool { startToken == nil }

    /// Whether a run about to start a pass from `syncToken` (nil: a full pass) with the filter
    /// `createdAfter` continues this one instead: the same filter, and either a full pass (it covers
    /// whatever an incremental pass would) or an incremental pass from the same token.
    func continues(syncToken: String?, createdAfter: Date?) -> Bool {
        whyNotContinued(syncToken: syncToken, createdAfter: createdAfter) == nil
    }

    /// Why the pass is not continued by such a run (for the log); nil when it is.
    func whyNotContinued(syncToken: String?, createdAfter: Date?) -> String? {
        if self.createdAfter != createdAfter {
            return self.createdAfter == nil
                ? "it is an unfiltered pass and this run filters by --since"
                : "it is a filtered backfill's pass (--since) and this run is not that backfill"
        }
        if isFull || startToken == syncToken { return nil }
        return syncToken == nil
            ? "it is an incremental pass and this run makes a full one"
            : "it started from a sync token that is no longer the stored one"
    }
}
