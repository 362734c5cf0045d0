import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// Cadences compare the run's clock with times the runs recorded (issue 9, item 11): every such time
/// is the run's `now`, never the database server's `now()`, so a skewed clock cannot pull too often
/// or never.
@Suite(.timeLimit(.minutes(2))) struct RunClockTests {
    /// Far from the real clock, and on a whole second so it survives the round trip exactly.
    let clock = Date(timeIntervalSince1970: 2_000_000_000)
    let hourly = ["INTERVIEWS_REFRESH_MINUTES": "60"]
    let noReminders = SyncRequest(kind: .sync, sendReminders: false)

    @Test func passTimesAreTheRunsClockAndCadencesFollowIt() async throws {
        let harness = try await SyncHarness.start(pageSize: 100)
        defer { Task { await harness.stop() } }
        let interview = AshbyFixtures.interview()
        harness.ashby.upsertInterview(interview)
        harness.ashby.upsertSchedule(AshbyFixtures.schedule(events: [
            AshbyFixtures.event(interviewId: interview["id"]!.stringValue!, start: clock.addingTimeInterval(86_400)),
        ]))

        try await harness.run(noReminders, now: clock, settings: hourly)
        let state = try harness.connect().query(
            "SELECT last_full_pass_at, token_updated_at FROM sync_state WHERE resource = 'interviews'").rows
        #expect(try state.first?["last_full_pass_at"].decode(Date?.self) == clock)
        #expect(try state.first?["token_updated_at"].decode(Date?.self) == clock)
        #expect(harness.ashby.requestCount(path: "/interview.list") == 1)

        try await harness.run(noReminders, now: clock.addingTimeInterval(30 * 60), settings: hourly)
        #expect(harness.ashby.requestCount(path: "/interview.list") == 1, "30 minutes into a 60-minute cadence: not due")
        #expect(harness.ashby.requestCount(path: "/interviewSchedule.list") == 2, "schedules every run")

        try await harness.run(noReminders, now: clock.addingTimeInterval(61 * 60), settings: hourly)
        #expect(harness.ashby.requestCount(path: "/interview.list") == 2, "61 minutes after the pass: due")
        let incremental = try harness.connect().query(
            "SELECT last_incremental_pass_at FROM sync_state WHERE resource = 'interviews'").rows
        #expect(try incremental.first?["last_incremental_pass_at"].decode(Date?.self) == clock.addingTimeInterval(61 * 60))
    }

    /// `status` compares the last success with its own clock, so a run records its start and end on the run's clock.
    @Test func runRowsAreStampedWithTheRunsClock() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        try await harness.run(noReminders, now: clock)
        let runs = try harness.connect().query("SELECT started_at, finished_at FROM sync_runs").rows
        #expect(runs.count == 1)
        #expect(try runs.first?["started_at"].decode(Date.self) == clock)
        #expect(try runs.first?["finished_at"].decode(Date?.self) == clock)
    }
}
