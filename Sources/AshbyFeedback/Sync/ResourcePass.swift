import AshbyAPI
import Foundation
import Logging

/// One paginated pass of a data step over an Ashby list endpoint: each page handed to
/// `handlePage` (which writes it in its own transaction), the run budget checked between pages, the
/// sync token recorded only after the last page is committed, then one log line per table.
///
/// Pages are fetched one ahead on the context's fetch-ahead client and thread, so page N+1 travels
/// while page N is decoded, diffed and written; pages are handed over on this thread, in order, and
/// a page fetched ahead of a failure or a stop is dropped unwritten. With an `OrderedPageWriter`, a
/// page is written on its own connection while the next one is handed over, committed in order.
struct ResourcePass {
    /// How the pass went.
    struct Report {
        var counts: PullCounts
        var result: AshbyPassResult
        /// A full pass over everything (no `--since` filter): what it did not see is gone from Ashby.
        var coveredEverything: Bool
    }

    let context: RunContext
    let endpoint: AshbyListEndpoint
    /// The `sync_state` row of the pass.
    let resource: String

    /// - Parameter prepare: runs on the fetch-ahead thread for each page (decoding, no database),
    ///   its result in `AshbyPage.prepared`.
    /// - Parameter handlePage: writes a page in its own transaction and returns what it wrote.
    func run(
        syncToken: String?, prepare: (@Sendable (inout AshbyPage) -> Void)? = nil,
        handlePage: (AshbyPage) throws -> PullCounts
    ) throws -> Report {
        try run(syncToken: syncToken, prepare: prepare, writer: nil) { page in
            [.init(counts: try handlePage(page), items: page.rawItems.count, moreDataAvailable: page.moreDataAvailable)]
        }
    }

    /// A pass whose pages may be written by `writer` while the next ones are fetched.
    /// - Parameter handOver: hands a page over (to `writer` or written at once) and returns the pages
    ///   committed meanwhile, in order; the pass waits for the writer's last page before it records
    ///   its token, and for the page in flight before it rethrows an error.
    func run(
        syncToken: String?, prepare: (@Sendable (inout AshbyPage) -> Void)?, writer: OrderedPageWriter?,
        handOver: (AshbyPage) throws -> [OrderedPageWriter.Committed]
    ) throws -> Report {
        let started = ContinuousClock.now
        let paginator = AshbyPaginator(client: context.ashby, logger: context.logger, fetchAheadClient: context.fetchAheadClient,
            prepare: prepare)
        let createdAfter = endpoint == .interviewSchedules ? context.request.since : nil
        var counts = PullCounts()
        var progress = RunProgress(resource: resource, pages: 0, items: 0)
        func record(_ committed: [OrderedPageWriter.Committed]) throws {
            for page in committed {
                counts.add(page.counts)
                progress.pages += 1
                progress.items += page.items
                context.observer?.progress(progress)
                if page.moreDataAvailable {
                    try context.pageCommitted(resource: resource, pages: progress.pages)
                }
            }
        }
        let result: AshbyPassResult
        do {
            result = try paginator.run(endpoint, syncToken: syncToken, createdAfter: createdAfter) { page in
                try record(try handOver(page))
            }
            try record(try writer?.finish() ?? [])
        } catch {
            writer?.abandon()
            throw error
        }
        // A filtered backfill covers only part of the data: keep the stored token, and it is no full pass.
        let coveredEverything = result.wasFullPass && createdAfter == nil
        try SyncStateStore(connection: context.connection).recordPass(
            resource: resource, syncToken: createdAfter == nil ? result.syncToken : nil,
            wasFullPass: coveredEverything, now: context.clock.now())
        for table in counts.tables {
            context.logCounts(table, counts.counts[table] ?? TableCounts(), extra: [
                "endpoint": "\(endpoint.rawValue)", "pages": .int(result.pages),
                "pass": "\(result.wasFullPass ? "full" : "incremental")",
                "restarts": "\(result.restarts.joined(separator: ","))",
                "ms": .int(started.duration(to: .now).milliseconds),
            ])
        }
        return Report(counts: counts, result: result, coveredEverything: coveredEverything)
    }
}

extension Duration {
    /// Whole milliseconds, for log lines.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

extension RunContext {
    /// One `resource_synced` line with a table's counts (and, in a dry run, what it would write).
    func logCounts(_ table: String, _ counts: TableCounts, extra: Logger.Metadata) {
        var metadata: Logger.Metadata = [
            "resource": "\(table)", "fetched": .int(counts.fetched), "inserted": .int(counts.inserted),
            "updated": .int(counts.updated), "deleted": .int(counts.deleted), "unchanged": .int(counts.unchanged),
        ]
        metadata.merge(extra) { $1 }
        logger.info("resource_synced", metadata: metadata)
        if dryRun {
            report("would write \(table): \(counts.inserted) inserted, \(counts.updated) updated, \(counts.deleted) deleted, \(counts.unchanged) unchanged (\(counts.fetched) fetched)")
        }
    }
}
