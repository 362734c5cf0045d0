/// What the digest step did in one run.
public struct DigestCounts: Sendable, Codable, Equatable {
    /// Digests posted (in a dry run: that would be).
    public var sent = 0
    /// Posts that failed for good (not retried).
    public var failed = 0
    /// Posts that failed temporarily: claimed again by a later run the same day.
    public var retrying = 0
    /// Posts that may have reached Slack without an answer: never resent.
    public var unknown = 0
    /// Digests edited to strike what cleared.
    public var edited = 0
    /// Edits left for a later run (failed temporarily).
    public var editsPending = 0

    public init() {}

    public mutating func add(_ other: DigestCounts) {
        sent += other.sent
        failed += other.failed
        retrying += other.retrying
        unknown += other.unknown
        edited += other.edited
        editsPending += other.editsPending
    }
}
