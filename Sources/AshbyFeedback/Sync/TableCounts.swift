/// Rows a resource pass fetched and what it did with them; logged per resource and stored in `sync_runs.counts`.
public struct TableCounts: Sendable, Equatable, Codable {
    public var fetched = 0
    public var inserted = 0
    public var updated = 0
    public var deleted = 0
    public var unchanged = 0

    public init() {}

    public mutating func add(_ other: TableCounts) {
        fetched += other.fetched
        inserted += other.inserted
        updated += other.updated
        deleted += other.deleted
        unchanged += other.unchanged
    }

    /// Rows written (inserted, updated or deleted).
    public var written: Int { inserted + updated + deleted }
}
