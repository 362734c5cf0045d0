import Dispatch
import Foundation
import Postgres

/// Writes the pages of a long pass on two PostgreSQL connections of its own (lanes), so the server
/// writes page N+1 while page N finishes and commits: two server processes, both cores busy. Every
/// promise of writing one page after another still holds:
///
/// - each page is one transaction, and pages commit in page order: a lane that has done its page's
///   work waits for the page before to commit, and rolls back if that one failed. The committed pages
///   are always the first ones of the pass, so a failure or a killed process leaves no half page and
///   no gap;
/// - a page that shares a key with the page before (a schedule or an event both write), or refers to
///   one of its keys (an event pointing at an interview the page before described), waits for that
///   page's commit before it reads: its diff sees that page, and its foreign keys find its rows;
/// - a page whose reads show it must also write a row the page before writes (an event moving from a
///   schedule on one page to a schedule on the other) sends its writes only after that page committed;
/// - `submit` returns once the page before has committed, so at most two pages are in flight (and in
///   memory).
///
/// So two pages in flight never write the same row, and a page only ever waits for the page before
/// it, never the other way round: no two lanes can wait on each other. When a lane's connection cannot be opened (a server at its
/// connection limit), the rest of the pass is written on the run's connection, one page at a time.
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
    }

    private let context: RunContext
    private var lanes: [Lane?] = [nil, nil]
    private var inFlight: Ticket?
    private var sequential = false

    init(context: RunContext) {
        self.context = context
    }

    /// Whether a page has been handed to a lane (later pages of the pass must follow it there).
    private(set) var isWriting = false

    /// Starts writing `page` and waits for the page before it to commit.
    /// - Returns: the page before, once committed (none for the first page).
    /// - Throws: the error of the page before; `page` is then rolled back, and nothing is in flight.
    func submit(_ page: Page) throws -> [Committed] {
        isWriting = true
        let previous = inFlight
        let laneIndex = previous.map { 1 - $0.lane } ?? 0
        guard !sequential, let lane = lane(laneIndex) else {
            let committed = try finish()
            let counts = try context.write { try page.body(context).counts }
            return committed + [Committed(counts: counts, items: page.items, moreDataAvailable: page.moreDataAvailable)]
        }
        let ticket = Ticket(lane: laneIndex, page: page)
        let job = Job(
            lane: lane, ticket: ticket, previous: previous,
            readsAfter: previous.flatMap { $0.isIndependent(of: page) ? nil : $0 }, body: page.body)
        Thread.detachNewThread { job.run() }
        inFlight = ticket
        guard let previous else { return [] }
        switch previous.wait() {
        case .success(let counts):
            return [previous.committed(counts)]
        case .failure(let error):
            _ = ticket.wait()
            inFlight = nil
            throw error
        }
    }

    /// Waits for the page still in flight and closes the lanes.
    /// - Returns: that page, once committed.
    func finish() throws -> [Committed] {
        defer { closeLanes() }
        guard let last = inFlight else { return [] }
        inFlight = nil
        return [last.committed(try last.wait().get())]
    }

    /// After an error elsewhere in the pass: lets the page in flight end (commit, or roll back after
    /// its own error, which the pass's error outranks) and closes the lanes.
    func abandon() {
        _ = try? finish()
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
        lanes = [nil, nil]
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
        let keys: Set<String>
        private let items: Int
        private let moreDataAvailable: Bool
        private let done = DispatchSemaphore(value: 0)
        private var outcome: Result<PullCounts, any Error> = .success(PullCounts())
        /// Signalled once the rows the page writes are known, or when it ended without knowing them.
        private let planned = DispatchSemaphore(value: 0)
        private var rowsWritten: Set<String>?

        init(lane: Int, page: Page) {
            self.lane = lane
            keys = page.keys
            items = page.items
            moreDataAvailable = page.moreDataAvailable
        }

        func end(_ outcome: Result<PullCounts, any Error>) {
            self.outcome = outcome
            planned.signal()
            done.signal()
        }

        /// Publishes the rows the page writes (its lane calls it once, before sending its writes).
        func plan(_ rows: Set<String>) {
            rowsWritten = rows
            planned.signal()
        }

        /// Blocks until the page's rows are known; nil when it ended before they were.
        func plannedRows() -> Set<String>? {
            planned.wait()
            planned.signal()
            return rowsWritten
        }

        /// Whether the page has committed or failed (without waiting).
        var hasEnded: Bool {
            guard done.wait(timeout: .now()) == .success else { return false }
            done.signal()
            return true
        }

        /// Blocks until the page committed or failed (any number of callers).
        func wait() -> Result<PullCounts, any Error> {
            done.wait()
            done.signal()
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

    /// A page's work on its lane's thread: wait to read if it must, do the page's work in its
    /// transaction, then wait for the page before to commit before committing.
    private struct Job: @unchecked Sendable {
        let lane: Lane
        let ticket: Ticket
        let previous: Ticket?
        let readsAfter: Ticket?
        let body: (RunContext) throws -> Work

        func run() {
            if let readsAfter, case .failure = readsAfter.wait() {
                ticket.end(.failure(EarlierPageFailed()))
                return
            }
            ticket.end(Result {
                try lane.context.write {
                    let work = try body(lane.context)
                    let rows = ticket.keys.union(work.alsoWrites)
                    ticket.plan(rows)
                    if let previous {
                        // Rows the page before writes too: its commit first, so neither waits on the other's locks.
                        if let theirs = previous.plannedRows(), !theirs.isDisjoint(with: rows) { _ = previous.wait() }
                        // The page before still open: do this page's work now and commit after it. Already
                        // committed: the queued writes go out with the COMMIT, one round trip instead of two.
                        if !previous.hasEnded { try lane.connection.sendQueued() }
                        if case .failure = previous.wait() { throw EarlierPageFailed() }
                    }
                    return work.counts
                }
            })
        }
    }

    /// A page rolled back because the page before it failed (that page's error is the one reported).
    struct EarlierPageFailed: Error, CustomStringConvertible {
        var description: String { "rolled back: an earlier page of the pass failed" }
    }
}
