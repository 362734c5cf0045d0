import Foundation
import Postgres
import TestSupport

/// The limit a backfill is held against, measured on the same fakes and cluster: every list page the
/// backfill fetches, fetched with no processing, plus the backfill's rows loaded with one `COPY` per table
/// into a fresh migrated database (indexes and foreign keys included). Rows are prepared before the clock
/// starts; only fetching and loading are timed.
struct LimitBaseline {
    struct Figures: Sendable {
        var fetchSeconds: Double
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
    private struct Fetched: Sendable {
        var seconds: Double
        var ashbyRequests = 0
        var slackRequests = 0
        var bytes = 0
        var auditedPages: [(action: String, body: Data)] = []
    }

    let ashby: FakeAshby
    let slack: FakeSlack

    /// Fetches everything, then COPYs the tenant's rows into `database` (empty, migrated).
    func measure(tenant: SyntheticTenant, database: PostgresConnection) async throws -> Figures {
        var tables = tenant.tableRows()
        let fetched = try await fetchEveryPage()
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
            fetchSeconds: fetched.seconds, copySeconds: copySeconds, ashbyRequests: fetched.ashbyRequests,
            slackRequests: fetched.slackRequests, bytesFetched: fetched.bytes, rowsCopied: rowsCopied,
            sqlStatements: database.statementCount - statementsBefore)
    }

    /// Pages through the three Ashby list endpoints with the backfill's request bodies and through
    /// `users.list` with its page size, on one kept-alive connection per service, off the cooperative pool.
    private func fetchEveryPage() async throws -> Fetched {
        let ashbyPort = ashby.server.port, slackPort = slack.server.port
        let ashbyAuthorization = "Basic " + Data("\(ashby.apiKey):".utf8).base64EncodedString()
        let slackAuthorization = "Bearer \(slack.botToken)"
        return try await offloaded {
            let started = ContinuousClock.now
            var fetched = Fetched(seconds: 0)
            let ashbyConnection = try LoopbackHTTPConnection(port: ashbyPort)
            let headers = [("Content-Type", "application/json"), ("Accept", "application/json; version=1"),
                           ("Authorization", ashbyAuthorization)]
            let lists: [(endpoint: String, filters: String, audited: Bool)] = [
                ("feedbackFormDefinition.list", #","includeArchived":true"#, true),
                ("interview.list", #","includeArchived":true,"includeNonSharedInterviews":true"#, true),
                ("interviewSchedule.list", "", false),
            ]
            for list in lists {
                var cursor: String?
                repeat {
                    let body = #"{"limit":100"# + list.filters + (cursor.map { #","cursor":"\#($0)""# } ?? "") + "}"
                    let page = try ashbyConnection.send(
                        method: "POST", target: "/" + list.endpoint, headers: headers, body: Data(body.utf8))
                    fetched.ashbyRequests += 1
                    fetched.bytes += page.count
                    if list.audited { fetched.auditedPages.append((list.endpoint, page)) }
                    cursor = Self.stringValue(of: "nextCursor", in: page)
                } while cursor != nil
            }

            let slackConnection = try LoopbackHTTPConnection(port: slackPort)
            var cursor: String?
            repeat {
                let target = FakeSlack.usersListPath + "?limit=200" + (cursor.map { "&cursor=" + Self.percentEncoded($0) } ?? "")
                let page = try slackConnection.send(method: "GET", target: target, headers: [("Authorization", slackAuthorization)])
                fetched.slackRequests += 1
                fetched.bytes += page.count
                cursor = Self.stringValue(of: "next_cursor", in: page).flatMap { $0.isEmpty ? nil : $0 }
            } while cursor != nil
            fetched.seconds = Self.seconds(since: started)
            return fetched
        }
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
