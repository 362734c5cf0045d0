import AshbyAPI
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
    /// Ashby records set aside because they cannot be stored (see `quarantined_records`).
    public var quarantined = 0
    /// What the edit step did to DMs already posted.
    public var edits = ReminderEditCounts()
    /// What the digest step posted and edited.
    public var digests = DigestCounts()
    /// Post-interview nudges of this run, one per DM (each may list several scorecards).
    public var nudges = ReminderCounts()
    /// Ashby HTTP requests sent (retries included).
    public var ashbyRequests = 0
    /// Slack API calls made (users.list pages and chat.postMessage calls).
    public var slackRequests = 0
    /// SQL statements sent to PostgreSQL by the run (transaction control included).
    public var sqlStatements = 0
    /// Round trips to PostgreSQL on the run's own connection, one after another: what a distant
    /// database multiplies its latency by (the concurrent step's connection overlaps them, not counted).
    public var sqlRoundTrips = 0
    /// Audit rows pruned past the retention.
    public var auditRowsPruned = 0
    /// What Ashby's responses said about the API version the run asked for (`Ashby-Version-Status`);
    /// nil when no response said (none arrived, or an older server).
    public var ashbyAPIVersion: AshbyVersionStatus?

    public init() {}

    public mutating func add(_ counts: TableCounts, to resource: String) {
        resources[resource, default: TableCounts()].add(counts)
    }

    /// Adds what a step did. Request and statement totals are the run's, taken from the clients at the end.
    public mutating func merge(_ other: RunSummary) {
        for (resource, counts) in other.resources { add(counts, to: resource) }
        reminders.add(other.reminders)
        nudges.add(other.nudges)
        edits.add(other.edits)
        digests.add(other.digests)
        quarantined += other.quarantined
        auditRowsPruned += other.auditRowsPruned
    }

    private enum CodingKeys: String, CodingKey {
        case resources, reminders, edits, nudges, digests, quarantined, ashbyRequests, slackRequests, sqlStatements, sqlRoundTrips, auditRowsPruned
        case ashbyAPIVersion
    }

    /// Reads summaries stored by older versions too: a missing count is zero.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        resources = try container.decodeIfPresent([String: TableCounts].self, forKey: .resources) ?? [:]
        reminders = try container.decodeIfPresent(ReminderCounts.self, forKey: .reminders) ?? ReminderCounts()
        edits = try container.decodeIfPresent(ReminderEditCounts.self, forKey: .edits) ?? ReminderEditCounts()
        nudges = try container.decodeIfPresent(ReminderCounts.self, forKey: .nudges) ?? ReminderCounts()
        digests = try container.decodeIfPresent(DigestCounts.self, forKey: .digests) ?? DigestCounts()
        quarantined = try container.decodeIfPresent(Int.self, forKey: .quarantined) ?? 0
        ashbyRequests = try container.decodeIfPresent(Int.self, forKey: .ashbyRequests) ?? 0
        slackRequests = try container.decodeIfPresent(Int.self, forKey: .slackRequests) ?? 0
        sqlStatements = try container.decodeIfPresent(Int.self, forKey: .sqlStatements) ?? 0
        sqlRoundTrips = try container.decodeIfPresent(Int.self, forKey: .sqlRoundTrips) ?? 0
        auditRowsPruned = try container.decodeIfPresent(Int.self, forKey: .auditRowsPruned) ?? 0
        ashbyAPIVersion = try container.decodeIfPresent(AshbyVersionStatus.self, forKey: .ashbyAPIVersion)
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

    public mutating func add(_ other: ReminderCounts) {
        due += other.due
        sent += other.sent
        failed += other.failed
        retrying += other.retrying
        unknown += other.unknown
    }
}
