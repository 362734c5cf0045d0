import AshbyAPI
import CurlHTTP
import Logging
import TestSupport

/// Runs `body` with an `AshbyClient` pointed at `fake`, on its own thread (libcurl blocks; the fake runs on
/// the cooperative pool). Retries are fast so 5xx/429 tests stay quick; Retry-After is still honoured.
/// - Parameters:
///   - clock: the client's sleeper and clock (waits recorded in `clock.sleeps`, not slept); real time when nil.
///   - budget: the client's deadline, this much from now on `clock`.
func withAshbyClient<T: Sendable>(
    _ fake: FakeAshby, apiKey: String? = nil, apiVersion: String = AshbyAPIVersion.pinned,
    logger: Logger = Logger(label: "ashby-test") { _ in SwiftLogNoOpLogHandler() },
    maxAttempts: Int = 3, clock: ManualClock? = nil, budget: Duration? = nil,
    _ body: @escaping @Sendable (AshbyClient) throws -> T
) async throws -> T {
    let apiKey = apiKey ?? fake.apiKey
    return try await offloaded {
        let configuration = HTTPClientConfiguration(
            requestTimeout: .seconds(10),
            retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50)))
        let http =
            if let clock {
                HTTPClient(
                    configuration: configuration, deadline: budget.map { Deadline(budget: $0, clock: clock) } ?? .never,
                    sleeper: clock, clock: clock, logger: logger)
            } else {
                HTTPClient(configuration: configuration, deadline: budget.map { Deadline(budget: $0) } ?? .never, logger: logger)
            }
        let client = AshbyClient(baseURL: fake.baseURL, apiKey: apiKey, apiVersion: apiVersion, http: http, logger: logger)
        return try body(client)
    }
}

/// Collects a paginator run's pages and result, for tests that compare them.
struct CollectedPass: Sendable {
    var result: AshbyPassResult
    var pages: [AshbyPage]

    /// The ids of every item handed over, in order.
    func itemIDs() throws -> [String] {
        try pages.flatMap { try $0.decodeItems(ItemID.self).map(\.id) }
    }

    private struct ItemID: Decodable {
        var id: String
    }
}

extension AshbyPaginator {
    /// Runs a pass and keeps every page; `afterPage` runs after each page is handed over (to change the fake).
    func collect(
        _ endpoint: AshbyListEndpoint, syncToken: String?, continuingAt cursor: String? = nil,
        afterPage: (Int) -> Void = { _ in }
    ) throws -> CollectedPass {
        var pages: [AshbyPage] = []
        let result = try run(endpoint, syncToken: syncToken, continuingAt: cursor) { page in
            pages.append(page)
            afterPage(pages.count)
        }
        return CollectedPass(result: result, pages: pages)
    }
}
