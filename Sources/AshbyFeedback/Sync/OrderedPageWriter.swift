import Foundation
import Postgres

/// Writes the pages of a long pass on PostgreSQL connections of its own (lanes, two by default),
/// so the server writes the next pages while page N finishes and commits: several server processes,
/// every core busy, and each connection's round trips hidden behind the others'. Every promise of
/// writing one page after another still holds:
///
/// - each page is one transaction, and pages commit in page order: a page's transaction holds a lock
///   from its start to its end, and the page after sends its COMMIT behind a statement that waits on
///   the server for that lock, then fails unless the page before committed. The order is kept by the
///   server, with no round trip between one commit and the next; a page after a failed one rolls back.
///   The committed pages are always the first ones of the pass, so a failure or a killed process
///   leaves no half page and no gap;
/// - a page that shares a key with a page in flight (a schedule or an event both write), or refers to
///   one of its keys (an event pointing at an interview that page described), waits for that page's
///   commit before it reads: its diff sees that page, and its foreign keys find its rows;
/// - a page whose reads show it must also write a row a page in flight writes (an event moving from a
///   schedule on one page to a schedule on the other) sends its writes only after that page committed;
/// - `submit` returns once a lane is free, so at most as many pages as lanes are in flight (and in
///   memory).
///
/// So two pages in flight never write the same row, and a page only ever waits for pages before it,
/// never the other way round: no two lanes can wait on each other.
///
/// Pages are written on the run's own connection, one after another, in a dry run (one transaction),
/// for a pass of a single page (the usual cron run needs no second connection), and, for the rest of
/// the pass, once a lane's connection cannot be opened (a server at its connection limit).
final class OrderedPageWriter {
    /// A page that committed, in page order.
    struct Committed {
        var counts: PullCounts
        var items: Int
        var moreDataAvailable: Bool
    }

    /// What a page's body did: its counts, and the ids of stored rows its reads showed it must write
    /// besides its `keys` (events it marks removed).
    struct Work {
        var counts: PullCounts
        var alsoWrites: Set<String> = []
    }

    /// What a page needs to be written: the body runs inside the page's transaction, on the context it
    /// is given (the lane's connection), reads, and queues the page's writes (`enqueue`): they are sent
    /// once the writer knows no page in flight writes the same rows.
    struct Page {
        /// Ids of the rows the body writes (and reads first).
        var keys: Set<String>
        /// Ids of rows the body's rows refer to without writing them (foreign keys).
        var references: Set<String> = []
        var items: Int
        var moreDataAvailable: Bool
        var body: (RunContext) throws -> Work

        /// Writes the page at once, in its own transaction on `context`'s connection.
        func write(in context: RunContext) throws -> Committed {
            let counts = try context.write { try body(context).counts }
            return Committed(counts: counts, items: items, moreDataAvailable: moreDataAvailable)
        }
    }

    private let context: RunContext
    private var lanes: [Lane?]
    /// Pages handed to lanes and not yet seen committed, in page order.
    private var inFlight: [Ticket] = []
    private var sequential = false
    /// Numbers the pass's pages: the second key of each page's turn lock.
    private var pagesSubmitted: Int32 = 0

    /// - Parameter lanes: connections writing at once (at least 2); as many pages are in flight. Two keep
    ///   both cores of a small machine busy with a peak RSS 3 MB under three lanes' (measured at 20,000
    ///   schedules: 60 MB against 63 MB), the third bought no time the benchmark could tell from noise.
    init(context: RunContext, lanes: Int = 2) {
        self.context = context
        self.lanes = Array(repeating: nil, count: max(2, lanes))
        sequential = context.dryRun
    }

    /// Starts writing `page`; when every lane is busy, waits for the oldest page in flight to commit.
    /// - Returns: the pages seen committed meanwhile, in page order.
    /// - Throws: the error of a page in flight; the pages after it are then rolled back, and nothing
    ///   is in flight.
    func submit(_ page: Page) throws -> [Committed] {
        let onlyPage = pagesSubmitted == 0 && !page.moreDataAvailable
        let busy = Set(inFlight.map(\.lane))
        guard !sequential, !onlyPage, let laneIndex = lanes.indices.first(where: { !busy.contains($0) }), let lane = lane(laneIndex) else {
            let committed = try finish()
            return committed + [try page.write(in: context)]
        }
        pagesSubmitted += 1
        let ticket = Ticket(lane: laneIndex, number: pagesSubmitted, page: page)
        let job = Job(
            lane: lane, ticket: ticket, predecessors: inFlight,
            readsAfter: inFlight.last { !$0.isIndependent(of: page) }, body: page.body)
        Thread.detachNewThread { job.run() }
        inFlight.append(ticket)
        // A lane stays free for the next page.
        return try commitOldest(while: { $0 >= lanes.count })
    }

    /// Waits for the pages still in flight and closes the lanes.
    /// - Returns: those pages, once committed.
    func finish() throws -> [Committed] {
        defer { closeLanes() }
        return try commitOldest(while: { $0 > 0 })
    }

    /// After an error elsewhere in the pass: lets the pages in flight end (commit, or roll back after
    /// their own error, which the pass's error outranks) and closes the lanes.
    func abandon() {
        _ = try? finish()
    }

    /// Waits for the oldest page in flight while `condition` holds for their count.
    private func commitOldest(while condition: (Int) -> Bool) throws -> [Committed] {
        var committed: [Committed] = []
        while condition(inFlight.count) {
            let oldest = inFlight.removeFirst()
            switch oldest.wait() {
            case .success(let counts):
                committed.append(oldest.committed(counts))
            case .failure(let error):
                for later in inFlight { _ = later.wait() }
                inFlight.removeAll()
                throw error
            }
        }
        return committed
    }

    private func lane(_ index: Int) -> Lane? {
        if let lane = lanes[index] { return lane }
        do {
            let connection = try context.sideConnections.open()
            let lane = Lane(connection: connection, context: context.onOwnConnection(connection))
            lanes[index] = lane
            return lane
        } catch {
            sequential = true
            context.logger.warning("page_writer_sequential", metadata: [
                "reason": "a second database connection could not be opened; pages are written one after another",
                "error": "\(error)",
            ])
            return nil
        }
    }

    private func closeLanes() {
        for case let lane? in lanes { context.sideConnections.done(with: lane.connection) }
        lanes = lanes.map { _ in nil }
    }

    /// One lane: a connection used by one page at a time (a lane takes a page only after its last one ended).
    private final class Lane: @unchecked Sendable {
        let connection: PostgresConnection
        let context: RunContext

        init(connection: PostgresConnection, context: RunContext) {
            self.connection = connection
            self.context = context
        }
    }

    /// One page in flight: its outcome is set once, by its lane, and read after `wait`.
    private final class Ticket: @unchecked Sendable {
        let lane: Int
        /// The page's number in the pass.
        let number: Int32
        let keys: Set<String>
        private let items: Int
        private let moreDataAvailable: Bool
        private let done = Latch()
        private var outcome: Result<PullCounts, any Error> = .success(PullCounts())
        /// Signalled once the rows the page writes are known, or when it ended without knowing them.
        private let planned = Latch()
        private var rowsWritten: Set<String>?
        /// The page's transaction id (`txid_current()`), published with its rows.
        private(set) var transactionID: Int64?

        init(lane: Int, number: Int32, page: Page) {
            self.lane = lane
            self.number = number
            keys = page.keys
            items = page.items
            moreDataAvailable = page.moreDataAvailable
        }

        func end(_ outcome: Result<PullCounts, any Error>) {
            self.outcome = outcome
            planned.open()
            done.open()
        }

        /// Publishes the rows the page writes and its transaction (its lane calls it once, before sending
        /// its writes).
        func plan(_ rows: Set<String>, transactionID: Int64) {
            rowsWritten = rows
            self.transactionID = transactionID
            planned.open()
        }

        /// Blocks until the page's rows are known; nil when it ended before they were.
        func plannedRows() -> Set<String>? {
            planned.wait()
            return rowsWritten
        }

        /// Blocks until the page committed or failed (any number of callers).
        func wait() -> Result<PullCounts, any Error> {
            done.wait()
            return outcome
        }

        /// Whether `page` can be read and written before this one commits.
        func isIndependent(of page: Page) -> Bool {
            keys.isDisjoint(with: page.keys) && keys.isDisjoint(with: page.references)
        }

        func committed(_ counts: PullCounts) -> Committed {
            Committed(counts: counts, items: items, moreDataAvailable: moreDataAvailable)
        }
    }

    /// A page's work on its lane's thread: wait to read if it must, take the page's turn, do its work in
    /// its transaction, then send its writes (once no page in flight writes the same rows) with the wait
    /// for the page before and the COMMIT, in one round trip.
    private struct Job: @unchecked Sendable {
        let lane: Lane
        let ticket: Ticket
        /// The pages in flight before this one, in page order.
        let predecessors: [Ticket]
        /// The latest of them this page depends on (its commit means the earlier ones committed too).
        let readsAfter: Ticket?
        let body: (RunContext) throws -> Work

        func run() {
            if let readsAfter, case .failure = readsAfter.wait() {
                ticket.end(.failure(EarlierPageFailed()))
                return
            }
            let outcome = Result {
                try lane.context.write {
                    // The page's turn: held until its transaction ends, waited for by the page after it. Taken
                    // with the body's first round trip (its reads).
                    let turn = try lane.connection.enqueueQuery(SQL.takeTurn, [SQL.lockClass, ticket.number])
                    let work = try body(lane.context)
                    if turn.result == nil { try lane.connection.sendQueued() }
                    guard let transactionID = try turn.result?.rows.first?[1].decode(Int64.self) else {
                        throw Failure(status: .failure, "the page's turn lock returned no transaction id")
                    }
                    let rows = ticket.keys.union(work.alsoWrites)
                    ticket.plan(rows, transactionID: transactionID)
                    // Rows a page before writes too: its commit first, so neither waits on the other's locks.
                    for predecessor in predecessors {
                        if let theirs = predecessor.plannedRows(), !theirs.isDisjoint(with: rows) { _ = predecessor.wait() }
                    }
                    if let previous = predecessors.last {
                        if previous.plannedRows() != nil, let before = previous.transactionID {
                            // Goes out with the writes and the COMMIT: the server runs the writes, waits for the
                            // page before to end, and fails the transaction unless that page committed.
                            try lane.connection.enqueue(SQL.afterTurn, [SQL.lockClass, previous.number, before])
                        } else if case .failure = previous.wait() {
                            throw EarlierPageFailed()
                        }
                    }
                    return work.counts
                }
            }
            // A page that failed because the page before did reports that, not its own symptom.
            if case .failure = outcome, let previous = predecessors.last, case .failure = previous.wait() {
                ticket.end(.failure(EarlierPageFailed()))
            } else {
                ticket.end(outcome)
            }
        }
    }

    private enum SQL {
        /// First key of the pages' turn locks (two-key advisory locks: apart from the run's sync lock).
        static let lockClass: Int32 = 0x4146_5057   // "AFPW"
        static let takeTurn = "SELECT pg_advisory_xact_lock($1::int, $2::int), txid_current()"
        /// Waits until the page before ended, then is an error unless it committed.
        static let afterTurn = """
            SELECT pg_advisory_xact_lock_shared($1::int, $2::int),
                   CASE WHEN txid_status($3::bigint) = 'committed' THEN 0
                        ELSE ('the page before was rolled back: ' || coalesce(txid_status($3::bigint), 'unknown'))::int END
            """
    }

    /// A page rolled back because the page before it failed (that page's error is the one reported).
    struct EarlierPageFailed: Error, CustomStringConvertible {
        var description: String { "rolled back: an earlier page of the pass failed" }
    }
}
