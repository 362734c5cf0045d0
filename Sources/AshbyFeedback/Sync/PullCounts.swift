/// What a page, or a whole pass, of a data step wrote per table (in the order the tables were
/// first touched, which is the order they are logged in) and how many records it set aside.
struct PullCounts: Sendable {
    private(set) var tables: [String] = []
    private(set) var counts: [String: TableCounts] = [:]
    var quarantined = 0

    mutating func add(_ table: TableCounts, to name: String) {
        if counts[name] == nil { tables.append(name) }
        counts[name, default: TableCounts()].add(table)
    }

    mutating func add(_ other: PullCounts) {
        for name in other.tables { add(other.counts[name] ?? TableCounts(), to: name) }
        quarantined += other.quarantined
    }

    /// The counts as the run's summary stores them.
    var summary: RunSummary {
        var summary = RunSummary()
        for name in tables { summary.add(counts[name] ?? TableCounts(), to: name) }
        summary.quarantined = quarantined
        return summary
    }
}
