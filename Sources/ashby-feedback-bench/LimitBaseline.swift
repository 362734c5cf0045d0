import Foundation
import Synchronization
import Postgres
import TestSupport

/// The limits a backfill is held against, measured on the same fakes and cluster: every list page the
/// backfill fetches, fetched with no processing (one after another, and each endpoint's chain at the
/// same time), plus the backfill's rows loaded with one `COPY` per table
/// into a fresh migrated database (indexes and foreign keys included). Rows are prepared before the clock
/// starts; only fetching and loading are timed.
struct LimitBaseline {
    struct Figures: Sendable {
        /// Every page fetched one after another (a).
        var fetchSeconds: Double
        /// Each endpoint's cursor chain fetched at the same time as the others (b).
        var concurrentFetchSeconds: Double
        /// The same rows loaded with `COPY` (c).
        var copySeconds: Double
        var ashbyRequests: Int
        var slackRequests: Int
        var bytesFetched: Int
        var rowsCopied: [String: Int]
        /// COPY statements sent.
        var sqlStatements: Int

        var totalSeconds: Double { fetchSeconds + copySeconds }
    }

    /// What the fetch brought back: request counts, bytes, and the bodies of pages the backfill audits
    /// one row per page (forms and interviews).
    struct Fetched: Sendable {
        var seconds: Double
        var ashbyRequests = 0
        var slackRequests = 0
        var bytes = 0
        var auditedPages: [AuditedPage] = []
    }

    /// A page stored whole as one audit row.
    struct AuditedPage: Sendable {
        var action: String
        var body: Data
    }

    let ashby: FakeAshby
    let slack: FakeSlack

    /// Fetches everything, then COPYs the tenant's rows into `database` (empty, migrated).
    func measure(tenant: SyntheticTenant, database: PostgresConnection) async throws -> Figures {
        var tables = tenant.tableRows()
        let fetched = try await fetchEveryPage(concurrently: false)
        let concurrent = try await fetchEveryPage(concurrently: true)
        tables.append(TableRows(
            table: "ashby_webhook_payloads", columns: ["action", "payload"],
            rows: fetched.auditedPages.map { [$0.action, String(decoding: $0.body, as: UTF8.self)] }))

        var rowsCopied: [String: Int] = [:]
        let statementsBefore = database.statementCount
        let started = ContinuousClock.now
        for table in tables {
            rowsCopied[table.table, default: 0] += try database.copyIn(table: table.table, columns: table.columns, rows: table.rows)
        }
        let copySeconds = Self.seconds(since: started)
        return Figures(
            fetchSeconds: fetched.seconds, concurrentFetchSeconds: concurrent.seconds, copySeconds: copySeconds, ashbyRequests: fetched.ashbyRequests,
            slackRequests: fetched.slackRequests, bytesFetched: fetched.bytes, rowsCopied: rowsCopied,
            sqlStatements: database.statementCount - statementsBefore)
    }

    /// One endpoint's cursor chain: its pages can only be fetched one after another.
    private struct Chain: Sendable {
        var service: Service
        var endpoint: String
        /// Ashby: the extra fields of the request body; Slack: unused.
        var filters: String
        /// Each page is one audit row (forms and interviews; schedules are audited per item).
        var audited: Bool

        enum Service: Sendable { case ashby, slack }
    }

    private static let chains = [
        Chain(service: .ashby, endpoint: "feedbackFormDefinition.list", filters: #","includeArchived":true"#, audited: true),
        Chain(service: .ashby, endpoint: "interview.list", filters: #","includeArchived":true,"includeNonSharedInterviews":true"#, audited: true),
        Chain(service: .ashby, endpoint: "interviewSchedule.list", filters: "", audited: false),
        Chain(service: .slack, endpoint: "users.list", filters: "", audited: false),
    ]

    /// Fetches every page of every chain with no processing: one chain after another over one
    /// kept-alive connection per service (`concurrently: false`, the sequential fetch of the pages), or
    /// each chain on its own thread and connection at the same time (the concurrent fetch floor: no
    /// client can finish sooner than its longest chain). Runs off the cooperative pool.
    func fetchEveryPage(concurrently: Bool) async throws -> Fetched {
        let ports: [Chain.Service: UInt16] = [.ashby: ashby.server.port, .slack: slack.server.port]
        let ashbyAuthorization = "Basic " + Data("\(ashby.apiKey):".utf8).base64EncodedString()
        let slackAuthorization = "Bearer \(slack.botToken)"
        return try await offloaded {
            let started = ContinuousClock.now
            let fetchChain = { @Sendable (chain: Chain, connection: LoopbackHTTPConnection) throws -> Fetched in
                try Self.fetch(chain, over: connection, ashbyAuthorization: ashbyAuthorization, slackAuthorization: slackAuthorization)
            }
            var parts: [Fetched] = []
            if concurrently {
                let results = Mutex<[Int: Result<Fetched, any Error>]>([:])
                let done = DispatchGroup()
                for (index, chain) in Self.chains.enumerated() {
                    done.enter()
                    Thread.detachNewThread {
                        let result = Result { try fetchChain(chain, try LoopbackHTTPConnection(port: ports[chain.service]!)) }
                        results.withLock { $0[index] = result }
                        done.leave()
                    }
                }
                done.wait()
                parts = try results.withLock { results in try (0..<Self.chains.count).map { try results[$0]!.get() } }
            } else {
                let connections = try ports.mapValues { try LoopbackHTTPConnection(port: $0) }
                parts = try Self.chains.map { try fetchChain($0, connections[$0.service]!) }
            }
            var fetched = parts.reduce(into: Fetched(seconds: 0)) { total, part in
                total.ashbyRequests += part.ashbyRequests
                total.slackRequests += part.slackRequests
                total.bytes += part.bytes
                total.auditedPages += part.auditedPages
            }
            fetched.seconds = Self.seconds(since: started)
            return fetched
        }
    }

    private static func fetch(
        _ chain: Chain, over connection: LoopbackHTTPConnection, ashbyAuthorization: String, slackAuthorization: String
    ) throws -> Fetched {
        var fetched = Fetched(seconds: 0)
        var cursor: String?
        repeat {
            let page: Data
            switch chain.service {
            case .ashby:
                let headers = [("Content-Type", "application/json"), ("Accept", "application/json; version=1"),
                               ("Ashby-Version", FakeAshby.defaultVersion), ("Authorization", ashbyAuthorization)]
                let body = #"{"limit":100"# + chain.filters + (cursor.map { #","cursor":"\#($0)""# } ?? "") + "}"
                page = try connection.send(method: "POST", target: "/" + chain.endpoint, headers: headers, body: Data(body.utf8))
                fetched.ashbyRequests += 1
                cursor = stringValue(of: "nextCursor", in: page)
            case .slack:
                let target = FakeSlack.usersListPath + "?limit=200" + (cursor.map { "&cursor=" + percentEncoded($0) } ?? "")
                page = try connection.send(method: "GET", target: target, headers: [("Authorization", slackAuthorization)])
                fetched.slackRequests += 1
                cursor = stringValue(of: "next_cursor", in: page).flatMap { $0.isEmpty ? nil : $0 }
            }
            fetched.bytes += page.count
            if chain.audited { fetched.auditedPages.append(AuditedPage(action: chain.endpoint, body: page)) }
        } while cursor != nil
        return fetched
    }

    /// The string value of `"key":"…"` in a body (cursors need no unescaping), found without parsing it.
    private static func stringValue(of key: String, in body: Data) -> String? {
        let marker = Data("\"\(key)\":\"".utf8)
        guard let found = body.range(of: marker, options: .backwards) else { return nil }
        guard let end = body[found.upperBound...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: body[found.upperBound..<end], as: UTF8.self)
    }

    private static func percentEncoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = start.duration(to: .now)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
