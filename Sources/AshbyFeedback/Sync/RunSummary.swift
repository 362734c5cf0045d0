import Foundation

/// What one run did, stored as `sync_runs.counts` and printed by `status`.
public struct RunSummary: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        case running, succeeded, failed, skipped
    }

    /// Rows per resource or table, in the order the run touched them.
    public var resources: [String: TableCounts] = [:]
    /// Reminder outcomes of this run.
    public var reminders = ReminderCounts()
    /// What the edit step did (nil in runs recorded before version 5, or that made no edit pass).
    public var edits: ReminderEditCounts?
    /// Ashby HTTP requests sent (retries included).
    public var ashbyRequests = 0
    /// Slack API calls made (users.list pages and chat.postMessage calls).
    public var slackRequests = 0
    /// SQL statements sent to PostgreSQL by the run (transaction control included).
    public var sqlStatements = 0
    /// Audit rows pruned past the retention.
    public var auditRowsPruned = 0

    public init() {}

    public mutating func add(_ counts: TableCounts, to resource: String) {
        resources[resource, default: TableCounts()].add(counts)
    }
}

/// Reminders claimed and what became of them.
public struct ReminderCounts: Sendable, Codable, Equatable {
    /// Found due (claimed or not).
    public var due = 0
    public var sent = 0
    /// Failed for good (reason recorded, not retried).
    public var failed = 0
    /// Failed temporarily: a later run tries again while the interview has not started.
    public var retrying = 0
    /// May have reached Slack without an answer: not resent.
    public var unknown = 0

    public init() {}
}
