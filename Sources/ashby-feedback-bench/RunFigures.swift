import Foundation

/// What one run of the real binary cost and did.
struct RunFigures: Sendable {
    /// Rows a run touched in one table, as `RunSummary` records them.
    struct Counts: Sendable, Decodable {
        var fetched = 0
        var inserted = 0
        var updated = 0
        var deleted = 0
        var unchanged = 0

        var written: Int { inserted + updated + deleted }
    }

    /// The part of `sync_runs.counts` (a `RunSummary`) the benchmark reads.
    struct RecordedSummary: Sendable, Decodable {
        var resources: [String: Counts]
        var ashbyRequests: Int
        var slackRequests: Int
        var sqlStatements: Int
        /// Round trips on the run's own connection (0 from a binary that did not record them).
        var sqlRoundTrips: Int

        private enum CodingKeys: String, CodingKey {
            case resources, ashbyRequests, slackRequests, sqlStatements, sqlRoundTrips
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            resources = try container.decode([String: Counts].self, forKey: .resources)
            ashbyRequests = try container.decode(Int.self, forKey: .ashbyRequests)
            slackRequests = try container.decode(Int.self, forKey: .slackRequests)
            sqlStatements = try container.decode(Int.self, forKey: .sqlStatements)
            sqlRoundTrips = try container.decodeIfPresent(Int.self, forKey: .sqlRoundTrips) ?? 0
        }
    }

    var wallSeconds: Double
    var cpuSeconds: Double
    var peakRSSBytes: Int
    /// Requests the fakes received during the run.
    var ashbyRequests: Int
    var slackRequests: Int
    var summary: RecordedSummary
    /// Audit rows the run added to `ashby_webhook_payloads` (not part of `RunSummary`).
    var auditRows: Int
    /// Pages per endpoint of each pass the run made, from its `resource_synced` log lines.
    var pagesByEndpoint: [String: Int]

    func counts(_ resource: String) -> Counts {
        summary.resources[resource] ?? Counts()
    }

    /// Domain rows written: every resource's inserts, updates and deletes plus audit rows.
    var domainRowsWritten: Int {
        summary.resources.values.reduce(auditRows) { $0 + $1.written }
    }
}
