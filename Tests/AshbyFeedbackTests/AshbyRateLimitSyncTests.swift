import AshbyAPI
import CurlHTTP
import Foundation
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 19 item 3: a 429 from Ashby is "not now", not "down". A run waits it out by Ashby's policy (on
/// a `ManualClock`, never slept), a rate-limited Ashby costs no reminder its names (they are synced, not
/// looked up), and a nudge whose application status is unknown waits for a run that knows it.
@Suite(.timeLimit(.minutes(3))) struct AshbyRateLimitSyncTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let ian = AshbyFixtures.interviewer(email: "ian@example.com")
    static let ianSlack = "U01IAN0001"
    static let rateLimitBody = Data(
        #"{"success":false,"errors":["Rate limit exceeded"],"errorInfo":{"code":"rate_limit_exceeded","message":"Rate limit exceeded"}}"#.utf8)

    /// A pull that stays rate limited past the budget ends the run with exit 75 and says so.
    @Test func aRunEndedByARateLimitExitsUnavailableSayingWhy() {
        let error = AshbyError(endpoint: "interviewSchedule.list", kind: .transport(HTTPError(
            endpoint: "interviewSchedule.list", kind: .rateLimited(wait: .seconds(40), pastDeadline: true), attempts: 3,
            mayHaveBeenDelivered: false, isTemporary: true)))
        let failure = Failure(error)
        #expect(failure.status == .unavailable)
        #expect(failure.description == "interviewSchedule.list: Ashby rate limited (HTTP 429): the next attempt could start only in 40 s, "
            + "after the run's deadline (3 attempts); Ashby kept rate limiting the API key within the run's budget, the next run will try again")
    }

    /// Before: one 429 on `application.info` marked Ashby unreachable for the run, so every later DM lost
    /// the candidate's name. Now a DM reads the names the applications pass stored: an Ashby that
    /// rate-limits every call costs the due reminders neither their time nor their names.
    @Test func aRateLimitedAshbyCostsNoReminderItsNames() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let interview = AshbyFixtures.interview(title: "System Design")
        harness.ashby.upsertInterview(interview)
        harness.slack.setUsers([SlackFixtures.human(id: Self.ianSlack, email: "ian@example.com")])
        for name in ["Casey Candidate", "Robin Applicant"] {
            let application = AshbyFixtures.application(candidateName: name)
            harness.ashby.setApplication(application)
            harness.ashby.upsertSchedule(AshbyFixtures.schedule(applicationId: application["id"]!.stringValue!, events: [
                AshbyFixtures.event(interviewId: interview["id"]!.stringValue!, start: now.addingTimeInterval(30 * 60), interviewers: [ian]),
            ]))
        }
        try await harness.run(now: now)  // stored, not due yet
        let clock = ManualClock()
        for endpoint in ["interviewSchedule.list", "applicationFeedback.list", "application.list", "candidate.info"] {
            harness.ashby.rateLimit(endpoint: endpoint, requests: 0, clock: clock)
        }

        do {
            try await harness.run(now: now.addingTimeInterval(14 * 60), ashbyClock: clock)
            Issue.record("expected the rate-limited pull to fail the run")
        } catch {
            #expect(Failure(error).status == .unavailable, "exit 75: not now")
        }
        let bodies = harness.slack.messages(to: Self.ianSlack).map { String(decoding: $0.body, as: UTF8.self) }
        #expect(bodies.count == 2, "both reminders went out")
        #expect(bodies.contains { $0.contains("Casey Candidate") } && bodies.contains { $0.contains("Robin Applicant") })
    }

    /// A schedules pass meets Ashby's own limit (2 requests a minute): the run waits 10 s, 10 s, then for
    /// the minute, instead of five attempts in about 8 s, and completes.
    @Test func aRateLimitedPassIsWaitedOutByAshbysPolicy() async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        harness.ashby.upsertSchedules((0..<3).map { _ in AshbyFixtures.schedule() })
        let clock = ManualClock()
        harness.ashby.rateLimit(endpoint: "interviewSchedule.list", requests: 2, per: .seconds(60), clock: clock)

        let (outcome, _) = try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: now, ashbyClock: clock)
        #expect(outcome == .succeeded)
        #expect(try harness.count("interview_schedules") == 3)
        #expect(clock.sleeps == [.seconds(10), .seconds(10), .seconds(40)])
        #expect(harness.ashby.rateLimitedCount(endpoint: "interviewSchedule.list") == 3)
    }

    /// "When an application's status is unknown, do not nudge about it; log it": the candidate may have
    /// been rejected. Before, the nudge went out (without the candidate's name).
    @Test func aNudgeWhoseApplicationStatusIsUnknownWaitsForARunThatKnows() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = NudgeTests.World(harness)
        let tuesday = NudgeTests.tuesday
        world.interview(endingAt: tuesday.addingTimeInterval(-2 * 3600), interviewers: [ian])
        harness.ashby.denyPermission(endpoint: "application.list")

        let (_, first) = try await harness.run(now: tuesday)
        #expect(harness.slack.messages(to: NudgeTests.ianSlack).isEmpty)
        #expect(first.nudges.due == 0)
        let skipped = harness.logs.split(separator: "\n").filter { $0.contains("nudge_skipped") }
        #expect(skipped.count == 1)
        #expect(skipped.first?.contains("application status unknown") == true)
        #expect(skipped.first?.contains(#""applications":1"#) == true)

        harness.ashby.grantPermission(endpoint: "application.list")
        let (_, second) = try await harness.run(now: tuesday.addingTimeInterval(600))
        #expect(second.nudges.sent == 1, "nudged once the status is known")
        #expect(harness.slack.messages(to: NudgeTests.ianSlack).count == 1)
    }
}
