import Foundation
import Logging

/// Runs complete passes over a list endpoint, recovering from Ashby's pagination errors by starting over:
///
/// - `sync_token_expired`, `sync_token_invalid`, `incremental_sync_too_large`: the token is dropped and a
///   FULL pass starts;
/// - `next_cursor_expired`, `invalid_next_cursor`: the pass restarts from page 1 in the same mode (a
///   pass continued from a saved cursor too: from its sync token, or full).
///
/// The sync token goes with the first request of a pass only, later pages follow by cursor alone
/// (`AshbyClient.passPage`). Pages already handed to `onPage` stay handed over (the caller's upserts are
/// idempotent); the returned sync token only ever comes from the last page of a pass that completed.
public struct AshbyPaginator {
    private let client: AshbyClient
    private let logger: Logger
    private let maxRestarts: Int
    private let maxPages: Int
    private let fetchAheadClient: AshbyClient?
    private let prepare: (@Sendable (inout AshbyPage) -> Void)?

    /// - Parameters:
    ///   - fetchAheadClient: When given, pages are fetched on their own thread with this client (which
    ///     must not be used elsewhere meanwhile), one page ahead of `onPage`: page N+1 is on its way while
    ///     page N is written. `onPage` still sees every page in order, and a page fetched ahead of an
    ///     error or a stop is dropped without being handed over.
    ///   - prepare: With `fetchAheadClient`, runs on the fetch-ahead thread for every page fetched, to
    ///     put work that needs no database (decoding) into `AshbyPage.prepared`.
    ///   - maxRestarts: Restarts allowed per `run` before the last pagination error is thrown.
    ///   - maxPages: Pages allowed per pass, a guard against a server that never stops paging.
    public init(
        client: AshbyClient, logger: Logger, fetchAheadClient: AshbyClient? = nil,
        prepare: (@Sendable (inout AshbyPage) -> Void)? = nil, maxRestarts: Int = 3, maxPages: Int = 100_000
    ) {
        self.client = client
        self.fetchAheadClient = fetchAheadClient
        self.prepare = prepare
        self.logger = logger
        self.maxRestarts = maxRestarts
        self.maxPages = maxPages
    }

    /// One pass over `endpoint`: incremental when `syncToken` is non-nil, else full. `onPage` is called for
    /// every page in order and must commit it before returning; an error it throws ends the run unchanged.
    /// - Parameter cursor: continues a pass an earlier run began (its `syncToken`, nil if it was full) at
    ///   the `nextCursor` of its last committed page; when Ashby refuses it, the pass starts over.
    /// - Returns: The new sync token (store it only after everything is committed) and counts.
    /// - Throws: `AshbyError` when a page cannot be fetched or restarts run out; whatever `onPage` throws.
    public func run(
        _ endpoint: AshbyListEndpoint, syncToken: String?, continuingAt cursor: String? = nil, createdAfter: Date? = nil,
        onPage: (AshbyPage) throws -> Void
    ) throws -> AshbyPassResult {
        var result = AshbyPassResult(syncToken: nil, wasFullPass: syncToken == nil, pages: 0, items: 0, restarts: [])
        var token = syncToken
        var start = cursor
        while true {
            let failure: AshbyError
            switch try pass(endpoint, syncToken: token, from: start, createdAfter: createdAfter, result: &result, onPage: onPage) {
            case .finished(let newToken):
                result.syncToken = newToken
                result.wasFullPass = token == nil
                return result
            case .restart(let error):
                failure = error
            }
            start = nil
            let code = failure.code ?? "unknown"
            result.restarts.append(code)
            guard result.restarts.count <= maxRestarts else { throw failure }
            let mode: String
            if failure.isSyncTokenExpiry {
                token = nil
                mode = "full"
            } else {
                mode = token == nil ? "full" : "incremental"
            }
            logger.warning(
                "ashby_pagination_restarted",
                metadata: [
                    "ashby.endpoint": "\(endpoint.rawValue)", "ashby.error_code": "\(code)",
                    "ashby.restart_mode": "\(mode)", "ashby.restarts": "\(result.restarts.count)",
                ])
        }
    }

    /// How one pass ended: completed with the last page's token, or stopped by a pagination error.
    private enum PassOutcome {
        case finished(syncToken: String?)
        case restart(AshbyError)
    }

    /// Pages through one pass from `start` (nil: its first page). Errors other than token/cursor expiry,
    /// and those of `onPage`, are thrown.
    private func pass(
        _ endpoint: AshbyListEndpoint, syncToken: String?, from start: String?, createdAfter: Date?,
        result: inout AshbyPassResult, onPage: (AshbyPage) throws -> Void
    ) throws -> PassOutcome {
        var cursor = start
        let fetcher = fetchAheadClient.map {
            PageFetcher(
                client: $0, endpoint: endpoint, syncToken: syncToken, cursor: start, createdAfter: createdAfter, prepare: prepare)
        }
        defer { fetcher?.finish() }
        for _ in 0..<maxPages {
            let page: AshbyPage
            do throws(AshbyError) {
                if let fetcher {
                    page = try fetcher.next().get()
                } else {
                    page = try client.passPage(endpoint, cursor: cursor, passSyncToken: syncToken, createdAfter: createdAfter)
                }
            } catch {
                guard error.isSyncTokenOrCursorExpiry else { throw error }
                return .restart(error)
            }
            try onPage(page)
            result.pages += 1
            result.items += page.rawItems.count
            guard page.moreDataAvailable else { return .finished(syncToken: page.syncToken) }
            if page.nextCursor == cursor {
                throw AshbyError(
                    endpoint: endpoint.rawValue, kind: .malformed("nextCursor did not advance (\(result.pages) pages)"))
            }
            cursor = page.nextCursor
        }
        throw AshbyError(endpoint: endpoint.rawValue, kind: .malformed("more than \(maxPages) pages in one pass"))
    }
}
