import AshbyAPI
import Foundation
import Logging
import TestSupport
import Testing

/// Item 3 of issue 19: a 429 from Ashby (documented without Retry-After) is waited out by
/// `AshbyClient.rateLimit` — at least 10 s, at most 3 attempts a minute on one endpoint — inside the
/// budget, against FakeAshby limiting on its own. Waits are asserted on a `ManualClock`, never slept.
@Suite(.timeLimit(.minutes(1))) struct AshbyRateLimitTests {
    /// Three schedules one per page, the endpoint allowing 2 requests a minute.
    func limitedFake(retryAfter: Duration? = nil, clock: ManualClock) async throws -> (FakeAshby, [String]) {
        let ashby = try await FakeAshby.start(pageSize: 1)
        let schedules = (0..<3).map { _ in AshbyFixtures.schedule() }
        ashby.upsertSchedules(schedules)
        ashby.rateLimit(endpoint: "interviewSchedule.list", requests: 2, per: .seconds(60), retryAfter: retryAfter, clock: clock)
        return (ashby, schedules.map { $0["id"]!.stringValue! })
    }

    @Test func withoutRetryAfterThePassWaitsTenSecondsAndThreeAttemptsAMinute() async throws {
        let clock = ManualClock()
        let (ashby, ids) = try await limitedFake(clock: clock)
        defer { Task { await ashby.stop() } }
        let pass = try await withAshbyClient(ashby, maxAttempts: 5, clock: clock) { client in
            try AshbyPaginator(client: client, logger: Logger(label: "t")).collect(.interviewSchedules, syncToken: nil)
        }
        #expect(try pass.itemIDs() == ids)
        // Page 3 is refused at 0, 10 and 20 s; the fourth attempt waits for the minute (the client's old
        // backoff made five attempts in about 8 s).
        #expect(clock.sleeps == [.seconds(10), .seconds(10), .seconds(40)])
        #expect(ashby.rateLimitedCount(endpoint: "interviewSchedule.list") == 3)
        #expect(ashby.refusals.isEmpty)
    }

    @Test func retryAfterIsHonouredWhenAshbySendsIt() async throws {
        let clock = ManualClock()
        let (ashby, ids) = try await limitedFake(retryAfter: .seconds(5), clock: clock)
        defer { Task { await ashby.stop() } }
        let pass = try await withAshbyClient(ashby, maxAttempts: 5, clock: clock) { client in
            try AshbyPaginator(client: client, logger: Logger(label: "t")).collect(.interviewSchedules, syncToken: nil)
        }
        #expect(try pass.itemIDs() == ids)
        #expect(clock.sleeps == [.seconds(5), .seconds(5), .seconds(50)])
    }

    @Test func aWaitPastTheBudgetGivesUpWithARateLimitedError() async throws {
        let clock = ManualClock()
        let (ashby, _) = try await limitedFake(clock: clock)
        defer { Task { await ashby.stop() } }
        let error = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby, maxAttempts: 5, clock: clock, budget: .seconds(30)) { client in
                try AshbyPaginator(client: client, logger: Logger(label: "t")).collect(.interviewSchedules, syncToken: nil)
            }
        }
        #expect(clock.sleeps == [.seconds(10), .seconds(10)], "never slept past the budget")
        #expect(error?.isRateLimited == true)
        #expect(error?.isTemporary == true)
        #expect(
            error?.description
                == "interviewSchedule.list: Ashby rate limited (HTTP 429): the next attempt could start only in 40 s, "
                + "after the run's deadline (3 attempts)")
    }

    @Test func attemptsRunningOutOnA429SayRateLimited() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        ashby.rateLimit(endpoint: "candidate.info", requests: 0)
        let error = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby, maxAttempts: 1, clock: ManualClock()) { client in
                try client.candidate(id: AshbyFixtures.id())
            }
        }
        #expect(error?.isRateLimited == true)
        #expect(error?.description == "candidate.info: Ashby rate limited: HTTP 429 (1 attempt)")
    }
}
