import AshbyAPI
import Foundation
import Logging

/// One paginated pass of a data step over an Ashby list endpoint: each page handed to the step and
/// written in its own transaction, the run budget checked between pages, the sync token recorded only
/// after the last page is committed, then one log line per table.
///
/// A pass longer than one run continues in the next: every committed page but the last records where
/// the pass stands (`PassCheckpoint`) in its own transaction, so the checkpoint is never ahead of the
/// committed data nor behind it. A run whose pass would be of the same kind continues from there (the
/// cursor alone, no token), keeping the pass's original start; one that would pass differently (a
/// backfill after an incremental pass, a sync after a filtered backfill) drops the checkpoint and
/// starts over. Completing the pass stores its token and drops its checkpoint together.
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
        /// When the pass began, by the database server's clock (text, exact): an earlier run's when it
        /// was continued. Every audit row of the pass is stamped at or after it.
        var passStarted: String
        /// Records handed over by the whole pass, in every run it took.
        var passItems: Int
        /// The runs that wrote pages of the pass, this one included.
        var runIDs: [UUID]
    }

    let context: RunContext
    let endpoint: AshbyListEndpoint
    /// The `sync_state` row of the pass.
    let resource: String

    /// A pass whose pages are written one after another on the run's connection.
    /// - Parameter prepare: runs on the fetch-ahead thread for each page (decoding, no database),
    ///   its result in `AshbyPage.prepared`.
    /// - Parameter handlePage: writes a page; called inside the page's transaction, and returns what it wrote.
    func run(
        syncToken: String?, prepare: (@Sendable (inout AshbyPage) -> Void)? = nil,
        handlePage: @escaping (AshbyPage) throws -> PullCounts
    ) throws -> Report {
        try run(syncToken: syncToken, prepare: prepare, writer: nil) { page in
            OrderedPageWriter.Page(keys: [], items: page.rawItems.count, moreDataAvailable: page.moreDataAvailable) { _ in
                .init(counts: try handlePage(page))
            }
        }
    }

    /// A pass whose pages may be written by `writer` while the next ones are fetched.
    /// - Parameter syncToken: the token a new pass starts from (nil: a full pass).
    /// - Parameter makePage: what a page writes (its body runs inside the page's transaction, on the
    ///   connection it is given); the pass adds its checkpoint to that transaction, and hands the page
    ///   to `writer` or writes it at once. The pass waits for the writer's last page before it records
    ///   its token, and for the page in flight before it rethrows an error.
    func run(
        syncToken: String?, prepare: (@Sendable (inout AshbyPage) -> Void)?, writer: OrderedPageWriter?,
        makePage: (AshbyPage) throws -> OrderedPageWriter.Page
    ) throws -> Report {
        let started = ContinuousClock.now
        let paginator = AshbyPaginator(client: context.ashby, logger: context.logger, fetchAheadClient: context.fetchAheadClient,
            prepare: prepare)
        let createdAfter = endpoint == .interviewSchedules ? context.request.since : nil
        let start = try begin(syncToken: syncToken, createdAfter: createdAfter)
        var counts = PullCounts()
        var progress = RunProgress(resource: resource, pages: 0, items: 0)
        func record(_ committed: [OrderedPageWriter.Committed]) throws {
            for page in committed {
                counts.add(page.counts)
                progress.pages += 1
                progress.items += page.items
                context.observer?.progress(progress)
                if page.moreDataAvailable {
                    try context.pageCommitted(resource: resource, pages: progress.pages, checkpointed: true)
                }
            }
        }
        // Where the pass will stand once the page handed over last commits.
        var handedOver = (pages: start.pages, items: start.items)
        // Whether the pass has checkpoint rows to drop when it completes.
        var checkpointed = start.pages > 0
        let result: AshbyPassResult
        do {
            result = try paginator.run(
                endpoint, syncToken: start.syncToken, continuingAt: start.cursor, createdAfter: createdAfter
            ) { page in
                handedOver.pages += 1
                handedOver.items += page.rawItems.count
                var write = try makePage(page)
                if page.moreDataAvailable, let cursor = page.nextCursor {
                    let checkpoint = PassCheckpoint(
                        pages: handedOver.pages, items: handedOver.items, cursor: cursor, startToken: page.passSyncToken,
                        createdAfter: createdAfter, passStarted: start.passStarted)
                    checkpointed = true
                    write.body = { [body = write.body, resource, runID = context.runID] context in
                        let work = try body(context)
                        try PassCheckpointStore(connection: context.connection).record(checkpoint, resource: resource, runID: runID)
                        return work
                    }
                }
                try record(try writer?.submit(write) ?? [write.write(in: context)])
            }
            try record(try writer?.finish() ?? [])
        } catch {
            writer?.abandon()
            throw error
        }
        // A filtered backfill covers only part of the data: keep the stored token, and it is no full pass.
        let coveredEverything = result.wasFullPass && createdAfter == nil
        func recordPass() throws {
            try SyncStateStore(connection: context.connection).recordPass(
                resource: resource, syncToken: createdAfter == nil ? result.syncToken : nil,
                wasFullPass: coveredEverything, now: context.clock.now())
        }
        if checkpointed {
            try context.write {
                try recordPass()
                try PassCheckpointStore(connection: context.connection).clear(resource: resource)
            }
        } else {
            try recordPass()
        }
        var extra: Logger.Metadata = [
            "endpoint": "\(endpoint.rawValue)", "pages": .int(result.pages),
            "pass": "\(result.wasFullPass ? "full" : "incremental")",
            "restarts": "\(result.restarts.joined(separator: ","))",
            "ms": .int(started.duration(to: .now).milliseconds),
        ]
        if start.pages > 0 { extra["continued_after_page"] = .int(start.pages) }
        for table in counts.tables {
            context.logCounts(table, counts.counts[table] ?? TableCounts(), extra: extra)
        }
        return Report(
            counts: counts, result: result, coveredEverything: coveredEverything, passStarted: start.passStarted,
            passItems: start.items + result.items,
            runIDs: start.runIDs.contains(context.runID) ? start.runIDs : start.runIDs + [context.runID])
    }

    /// How this run's pass begins: where an earlier run's pass of the same kind stopped, or afresh.
    private struct Start {
        /// The token the pass started from (nil: full).
        var syncToken: String?
        /// The cursor to continue at; nil for page 1.
        var cursor: String?
        var pages = 0
        var items = 0
        var passStarted: String
        var runIDs: [UUID] = []
    }

    private func begin(syncToken: String?, createdAfter: Date?) throws -> Start {
        if let checkpoint = context.storedStates[resource]?.checkpoint {
            if let reason = checkpoint.whyNotContinued(syncToken: syncToken, createdAfter: createdAfter) {
                context.logger.notice("pass_checkpoint_dropped", metadata: [
                    "resource": "\(resource)", "pages": .int(checkpoint.pages), "reason": "\(reason)",
                ])
            } else {
                context.logger.info("pass_continued", metadata: [
                    "resource": "\(resource)", "pages": .int(checkpoint.pages), "items": .int(checkpoint.items),
                    "pass": "\(checkpoint.isFull ? "full" : "incremental")", "since": "\(checkpoint.passStarted)",
                ])
                return Start(
                    syncToken: checkpoint.startToken, cursor: checkpoint.cursor, pages: checkpoint.pages,
                    items: checkpoint.items, passStarted: checkpoint.passStarted, runIDs: checkpoint.runIDs)
            }
        }
        let passStarted = try PassCheckpointStore(connection: context.connection).startPass(resource: resource)
        return Start(syncToken: syncToken, passStarted: passStarted)
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
