import Foundation

/// Fetches the pages of one pass on its own thread and client, at most `lookahead` pages ahead of
/// the page being processed: while the caller writes page N, page N+1 is on its way.
///
/// The thread starts at `cursor` (nil: the pass's first page, with its sync token), follows
/// `nextCursor` and stops after the last page, after an error (handed over in order, after the pages
/// before it), or when `finish()` is called. Only the caller's thread touches
/// the pages' outcomes; the client belongs to the fetcher thread until `finish()` returns.
final class PageFetcher: @unchecked Sendable {
    private let condition = NSCondition()
    /// Fetched pages (or the error that ended the chain) not yet taken, oldest first.
    private var ready: [Result<AshbyPage, AshbyError>] = []
    private var cancelled = false
    private var running = true
    private let lookahead: Int

    /// Starts fetching at once. `lookahead` pages may wait fetched (at least 1) while one more is fetched.
    init(
        client: AshbyClient, endpoint: AshbyListEndpoint, syncToken: String?, cursor: String? = nil, createdAfter: Date?,
        lookahead: Int = 1, prepare: (@Sendable (inout AshbyPage) -> Void)? = nil
    ) {
        self.lookahead = max(1, lookahead)
        let box = ClientBox(client: client)
        let thread = Thread { [self] in
            fetchChain(
                box.client, endpoint: endpoint, syncToken: syncToken, from: cursor, createdAfter: createdAfter, prepare: prepare)
        }
        thread.name = "ashby-\(endpoint.rawValue)"
        thread.start()
    }

    /// The next page of the chain, in order; waits for it.
    func next() -> Result<AshbyPage, AshbyError> {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty {
            precondition(running, "PageFetcher.next() after the chain ended")
            condition.wait()
        }
        let outcome = ready.removeFirst()
        condition.broadcast()
        return outcome
    }

    /// Stops the thread after the request in flight (if any) and waits for it, dropping pages
    /// fetched ahead: nothing of them was handed over, so nothing of them was written.
    func finish() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        ready.removeAll()
        condition.broadcast()
        while running { condition.wait() }
    }

    private func fetchChain(
        _ client: AshbyClient, endpoint: AshbyListEndpoint, syncToken: String?, from start: String?, createdAfter: Date?,
        prepare: (@Sendable (inout AshbyPage) -> Void)?
    ) {
        var cursor = start
        defer {
            condition.lock()
            running = false
            condition.broadcast()
            condition.unlock()
        }
        while true {
            let outcome = Result { () throws(AshbyError) in
                var page = try client.passPage(endpoint, cursor: cursor, passSyncToken: syncToken, createdAfter: createdAfter)
                prepare?(&page)
                return page
            }
            condition.lock()
            while ready.count >= lookahead && !cancelled { condition.wait() }
            if cancelled {
                condition.unlock()
                return
            }
            ready.append(outcome)
            condition.broadcast()
            condition.unlock()
            // The chain ends at the last page, an error, or a cursor that does not advance (the
            // paginator reports that one when it reaches the page).
            guard case .success(let page) = outcome, page.moreDataAvailable, page.nextCursor != cursor else { return }
            cursor = page.nextCursor
        }
    }

    /// Hands the client to the fetcher thread, which is its only user until `finish()` returns.
    private struct ClientBox: @unchecked Sendable {
        let client: AshbyClient
    }
}
