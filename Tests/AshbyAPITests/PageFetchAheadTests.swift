import AshbyAPI
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

/// The paginator with a fetch-ahead client: page N+1 is requested while page N is handed over, pages
/// still arrive in order, and a stop or an error ends the chain without handing over what came after.
@Suite(.timeLimit(.minutes(1))) struct PageFetchAheadTests {
    private static let logger = Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }
    private static let path = "/interviewSchedule.list"

    /// A fake with `count` schedules and pages of 2.
    private func fake(schedules count: Int) async throws -> (FakeAshby, [String]) {
        let ashby = try await FakeAshby.start(pageSize: 2)
        let schedules = (0..<count).map { _ in AshbyFixtures.schedule() }
        ashby.upsertSchedules(schedules)
        return (ashby, schedules.map { $0["id"]!.stringValue! })
    }

    /// Waits (for the fake's signal, up to 10 s) until it has seen `count` list requests.
    private static func awaitRequests(_ ashby: FakeAshby, _ count: Int) -> Bool {
        ashby.waitForRequests(path: path, count: count)
    }

    @Test func theNextPageIsRequestedWhileThePreviousIsHandledAndPagesStayInOrder() async throws {
        let (ashby, ids) = try await fake(schedules: 5)
        defer { Task { await ashby.stop() } }
        let seen = try await withAshbyClient(ashby) { client in
            var handled: [String] = []
            var overlapped: [Bool] = []
            let result = try AshbyPaginator(client: client, logger: Self.logger, fetchAheadClient: client.sibling())
                .run(.interviewSchedules, syncToken: nil) { page in
                    // Page n (1-based) is being handled: page n+1 is already on its way.
                    if page.moreDataAvailable { overlapped.append(Self.awaitRequests(ashby, handled.count / 2 + 2)) }
                    for raw in page.rawItems {
                        let object = try JSONSerialization.jsonObject(with: raw) as! [String: Any]
                        handled.append(object["id"] as! String)
                    }
                }
            return (handled, overlapped, result.pages, result.syncToken != nil)
        }
        #expect(seen.0 == ids, "every item once, in order")
        #expect(seen.1 == [true, true], "the next page was requested before the previous one was done")
        #expect(seen.2 == 3 && seen.3)
        #expect(ashby.requestCount(path: Self.path) == 3, "no page fetched twice")
    }

    @Test func aFailingPageHandlerStopsTheChainWithinTwoPages() async throws {
        let (ashby, _) = try await fake(schedules: 20)
        defer { Task { await ashby.stop() } }
        struct WriteFailed: Error {}
        let handedOver = try await withAshbyClient(ashby) { client in
            var pages = 0
            #expect(throws: WriteFailed.self) {
                try AshbyPaginator(client: client, logger: Self.logger, fetchAheadClient: client.sibling())
                    .run(.interviewSchedules, syncToken: nil) { _ in
                        pages += 1
                        throw WriteFailed()
                    }
            }
            return pages
        }
        #expect(handedOver == 1)
        #expect((1...3).contains(ashby.requestCount(path: Self.path)), "at most two pages fetched ahead of the failed one")
    }

    @Test func aFetchErrorArrivesAfterThePagesBeforeIt() async throws {
        let (ashby, _) = try await fake(schedules: 6)
        defer { Task { await ashby.stop() } }
        ashby.server.inject(.delay(.zero), path: Self.path)
        ashby.server.inject(.status(401), path: Self.path)
        let handedOver = try await withAshbyClient(ashby) { client in
            var pages = 0
            #expect(throws: AshbyError.self) {
                try AshbyPaginator(client: client, logger: Self.logger, fetchAheadClient: client.sibling())
                    .run(.interviewSchedules, syncToken: nil) { _ in pages += 1 }
            }
            return pages
        }
        #expect(handedOver == 1, "page 1 handed over, then the error fetching page 2")
        #expect(ashby.requestCount(path: Self.path) == 2, "the chain stopped at the error")
    }
}
