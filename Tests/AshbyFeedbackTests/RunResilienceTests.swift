import Foundation
import Postgres
import Synchronization
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 9: one bad record, one failing resource, a slow Ashby or a deleted schedule never stops the
/// rest of the run, never makes a reminder late, and never leaves a stale schedule reminding people.
@Suite(.timeLimit(.minutes(2))) struct RunResilienceTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let ian = AshbyFixtures.interviewer(email: "ian@example.com")
    static let ianSlack = "U01IAN0001"
    let noReminders = SyncRequest(kind: .sync, sendReminders: false)

    /// An interview, one Slack member, and schedules at offsets from `now`.
    struct World {
        let interviewID: String
        init(_ harness: SyncHarness) {
            let interview = AshbyFixtures.interview(title: "System Design")
            harness.ashby.upsertInterview(interview)
            interviewID = interview["id"]!.stringValue!
            harness.slack.setUsers([SlackFixtures.human(id: RunResilienceTests.ianSlack, email: "ian@example.com")])
        }

        @discardableResult
        func schedule(_ harness: SyncHarness, startsIn minutes: Double, interviewers: [JSONValue], applicationID: String? = nil) -> (schedule: String, event: String) {
            let event = AshbyFixtures.event(interviewId: interviewID, start: Date(timeIntervalSince1970: 1_800_000_000 + minutes * 60), interviewers: interviewers)
            let schedule = AshbyFixtures.schedule(applicationId: applicationID ?? AshbyFixtures.id(), events: [event])
            harness.ashby.upsertSchedule(schedule)
            return (schedule["id"]!.stringValue!, event["id"]!.stringValue!)
        }
    }

    // MARK: Quarantine (item 6)

    @Test func aBadRecordIsSetAsideAndTheRestOfItsPageIsWritten() async throws {
        let harness = try await SyncHarness.start(pageSize: 3)
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let good = (0..<3).map { world.schedule(harness, startsIn: Double(1000 + $0), interviewers: [ian]) }
        // No startTime on an event, and an event id that is not a UUID.
        var noStart = AshbyFixtures.schedule(events: [AshbyFixtures.event(interviewId: world.interviewID, start: now)])
        var events = noStart["interviewEvents"]!.arrayValue!
        events[0]["startTime"] = nil
        noStart["interviewEvents"] = .array(events)
        harness.ashby.upsertSchedule(noStart)
        var badID = AshbyFixtures.schedule(events: [AshbyFixtures.event(interviewId: world.interviewID, start: now)])
        var badEvents = badID["interviewEvents"]!.arrayValue!
        badEvents[0]["id"] = "not-a-uuid"
        badID["interviewEvents"] = .array(badEvents)
        harness.ashby.upsertSchedule(badID)

        let (outcome, summary) = try await harness.run(noReminders, now: now)
        #expect(outcome == .succeeded, "one bad record is no reason to stop syncing")
        #expect(summary.quarantined == 2)
        #expect(try harness.count("interview_schedules") == 3)
        for entry in good { #expect(try harness.count("interview_events", where: "event_id = '\(entry.event)'") == 1) }
        #expect(try harness.syncToken("interview_schedules") != nil, "the token moves: the bad records are accounted for")
        let skipped = try harness.connect().query("SELECT record_id, reason FROM quarantined_records ORDER BY reason").rows
        #expect(try skipped.map { try $0[0].decode(String.self) }.sorted() == [badID["id"]!.stringValue!, noStart["id"]!.stringValue!].sorted())
        #expect(try skipped.contains { try $0[1].decode(String.self).contains("startTime") })
        #expect(try skipped.contains { try $0[1].decode(String.self).contains("is not a UUID") })
        // Their raw payloads stay in the audit table.
        #expect(try harness.count("ashby_webhook_payloads", where: "schedule_id = '\(noStart["id"]!.stringValue!)'") == 1)
        #expect(harness.logs.contains(#""event":"record_skipped""#))
        let status = try StatusReport.read(try harness.connect(), runLimit: 5, maxAgeMinutes: 60, now: Date())
        #expect(!status.healthy)
        #expect(status.quarantine.total == 2)
        #expect(status.problem?.contains("cannot be stored") == true)

        // Fixed in Ashby: stored by the next incremental pass, and no longer reported.
        harness.ashby.modifySchedule(id: noStart["id"]!.stringValue!) { schedule in
            var events = schedule["interviewEvents"]!.arrayValue!
            events[0]["startTime"] = .string("2027-01-15T10:00:00.000Z")
            schedule["interviewEvents"] = .array(events)
        }
        try await harness.run(noReminders, now: now.addingTimeInterval(300))
        #expect(try harness.count("interview_schedules") == 4)
        #expect(try harness.count("quarantined_records") == 1)
        // A backfill (full pass) that no longer sees the other one (deleted in Ashby) releases it too.
        harness.ashby.deleteSchedule(id: badID["id"]!.stringValue!)
        try await harness.run(SyncRequest(kind: .backfill, sendReminders: false), now: now.addingTimeInterval(600))
        #expect(try harness.count("quarantined_records") == 0)
        #expect(try StatusReport.read(try harness.connect(), runLimit: 5, maxAgeMinutes: 60, now: Date()).healthy)
    }

    @Test func aFormThatCannotBeStoredIsSetAsideToo() async throws {
        let harness = try await SyncHarness.start(pageSize: 5)
        defer { Task { await harness.stop() } }
        harness.ashby.upsertForm(AshbyFixtures.form(title: "Good"))
        var bad = AshbyFixtures.form(title: "Bad")
        bad["interviewId"] = "interview-7"
        harness.ashby.upsertForm(bad)
        let (outcome, summary) = try await harness.run(noReminders, now: now)
        #expect(outcome == .succeeded)
        #expect(summary.quarantined == 1)
        #expect(try harness.count("feedback_form_definitions") == 1)
        #expect(try harness.count("quarantined_records", where: "resource = 'feedback_form_definitions'") == 1)
    }

    // MARK: Each resource its own step (item 7)

    @Test func aFailingFormPullDoesNotSkipTheSchedules() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        world.schedule(harness, startsIn: 1000, interviewers: [ian])
        harness.ashby.denyPermission(endpoint: "feedbackFormDefinition.list")
        let failure = try #require(await harness.failedRun(noReminders, now: now))
        #expect(failure.status == .configuration, "the run still ends with the first failure")
        #expect(failure.description.contains("feedbackFormDefinition.list"))
        #expect(try harness.count("interview_schedules") == 1, "schedules synced all the same")
        #expect(try harness.syncToken("interview_schedules") != nil)
        #expect(harness.logs.contains(#""step":"feedback_form_definitions""#))
    }

    // MARK: Deleted schedules (item 8)

    @Test func aFullPassMarksTheEventsOfDeletedSchedulesRemoved() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let kept = world.schedule(harness, startsIn: 60, interviewers: [ian])
        let deleted = world.schedule(harness, startsIn: 70, interviewers: [ian])
        try await harness.run(noReminders, now: now)
        harness.ashby.deleteSchedule(id: deleted.schedule)

        try await harness.run(noReminders, now: now.addingTimeInterval(60))
        #expect(try harness.count("interview_events", where: "removed_at IS NULL") == 2, "an incremental pass carries no tombstones")

        // The token expires: the fallback full pass sees the deletion.
        harness.ashby.expireSyncTokens()
        let (_, summary) = try await harness.run(noReminders, now: now.addingTimeInterval(120))
        #expect(try harness.count("interview_events", where: "removed_at IS NOT NULL") == 1)
        #expect(try harness.count("interview_events", where: "event_id = '\(deleted.event)' AND removed_at IS NOT NULL") == 1)
        #expect(try harness.count("interview_events", where: "event_id = '\(kept.event)' AND removed_at IS NULL") == 1)
        #expect(try harness.count("interview_schedules") == 2, "nothing is deleted")
        #expect(summary.resources["interview_events"]?.deleted == 1)
        #expect(harness.logs.contains(#""event":"schedules_reconciled""#))

        // Its interview falls due: no DM.
        try await harness.run(now: now.addingTimeInterval(60 * 60))
        #expect(harness.slack.messages.map(\.channel) == [])
        try await harness.run(now: now.addingTimeInterval(50 * 60))
        #expect(harness.slack.messages.count == 1, "the kept interview is reminded")
    }

    // MARK: Late reminders (items 4 and 5)

    @Test func remindersGoOutBeforeThePullAndDespiteAnAshbyOutage() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let applications = (0..<3).map { _ in AshbyFixtures.id() }
        for (index, application) in applications.enumerated() {
            harness.ashby.setApplication(AshbyFixtures.application(id: application, candidateName: "Candidate \(index)"))
            world.schedule(harness, startsIn: 30 + Double(index), interviewers: [ian], applicationID: application)
        }
        try await harness.run(now: now)   // stored, not due yet
        #expect(harness.slack.messages.isEmpty)
        let before = harness.ashby.server.requests.count

        // Ashby is down: every call answers 503.
        for path in ["/interviewSchedule.list", "/applicationFeedback.list", "/application.list", "/candidate.info"] {
            harness.ashby.server.inject(.status(503), path: path, times: 100)
        }
        let failure = try #require(await harness.failedRun(now: now.addingTimeInterval(14 * 60)))
        #expect(failure.status == .unavailable)
        #expect(harness.slack.messages.count == 3, "every due DM went out")
        for index in 0..<3 {
            #expect(harness.slack.messages.contains { ($0.text ?? "").contains("Candidate \(index)") }, "with the names stored by the last run")
        }
        let paths = Set(harness.ashby.server.requests.dropFirst(before).map(\.path))
        #expect(paths.allSatisfy { $0.hasSuffix(".list") }, "no lookup: \(paths)")
        let logs = harness.logs
        let sent = try #require(logs.range(of: #""event":"reminder_sent""#))
        let pullFailed = try #require(logs.range(of: #""step":"interview_schedules""#))
        #expect(sent.lowerBound < pullFailed.lowerBound, "the reminders ran before the schedule pull")
    }

    /// Stored schedules hours old (cron stopped) may hold interviews cancelled since: the pass before the
    /// pull does not trust them, and the reminders wait for the pull, which knows better.
    @Test func staleStoredSchedulesWaitForThePull() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let entry = world.schedule(harness, startsIn: 130, interviewers: [ian])
        try await harness.run(now: now)
        harness.ashby.modifySchedule(id: entry.schedule) { $0["status"] = .string("Cancelled") }
        try await harness.run(now: now.addingTimeInterval(120 * 60))
        #expect(harness.slack.messages.isEmpty, "no DM for an interview cancelled while the job was not running")
        #expect(harness.slack.updates.isEmpty)
        #expect(harness.logs.contains(#""event":"reminders_deferred""#))
    }

    @Test func aStaleDueListNeverSendsLate() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        world.schedule(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(SyncRequest(kind: .sync), now: now.addingTimeInterval(-3600))
        let store = ReminderStore(connection: try harness.connect())
        let due = try store.due(now: now, windowStart: now.addingTimeInterval(240), windowEnd: now.addingTimeInterval(1200))
        #expect(due.count == 1)
        // The run took 11 minutes to get here: the interview has started.
        #expect(try store.claim(due, runID: UUID(), now: now.addingTimeInterval(11 * 60)).isEmpty)
        #expect(try store.claim(due, runID: UUID(), now: now.addingTimeInterval(9 * 60)).count == 1)
    }

    @Test func dataStepsStopAtTheBudgetAndTheRemindersStillGoOut() async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        let world = World(harness)
        for index in 0..<5 { world.schedule(harness, startsIn: 1000 + Double(index), interviewers: [ian]) }
        try await harness.run(now: now)
        let tokenBefore = try harness.syncToken("interview_schedules")
        // Five more schedules, one due now; each Ashby request costs 100 s of the (default 240 s) budget,
        // up to 200 s: Ashby's requests end at the data deadline (180 s), so a page fetched ahead costs no
        // more, and the reminders' slice is left.
        let due = world.schedule(harness, startsIn: 10, interviewers: [ian])
        for index in 0..<4 { world.schedule(harness, startsIn: 2000 + Double(index), interviewers: [ian]) }
        let ashby = harness.ashby
        let before = ashby.requestCount(path: "/interviewSchedule.list")
        let clock = RunClock(now: { [now] in now }, elapsed: {
            .seconds(min(100 * (ashby.requestCount(path: "/interviewSchedule.list") - before), 200))
        })
        let failure = try #require(await harness.failedRun(now: now, clock: clock))
        #expect(failure.status == .unavailable)
        #expect(failure.description.contains("RUN_BUDGET_SECONDS"))
        // Pages are fetched ahead of the one being written (at most two): the budget stops the writes,
        // and what was fetched ahead is dropped.
        #expect((1...4).contains(ashby.requestCount(path: "/interviewSchedule.list") - before), "stopped within two pages of the budget (data budget 180 s)")
        #expect(try harness.count("interview_schedules") < 10, "the pass stopped before its last page")
        #expect(try harness.syncToken("interview_schedules") == tokenBefore, "token untouched")
        // The due interview was on the first page fetched, and the reminder pass after the pull still ran.
        #expect(try harness.count("feedback_reminders_sent", where: "event_id = '\(due.event)' AND status = 'sent'") == 1)
        // The next run continues and completes.
        let (outcome, _) = try await harness.run(now: now.addingTimeInterval(300))
        #expect(outcome == .succeeded)
        #expect(try harness.count("interview_schedules") == 10)
    }

    @Test func aLongBackfillSendsDueRemindersBetweenPages() async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        let world = World(harness)
        // Due 30 s after the backfill starts (window ends at now + 20 min): not when it starts.
        let due = world.schedule(harness, startsIn: 20.5, interviewers: [ian])
        try await harness.run(SyncRequest(kind: .sync), now: now.addingTimeInterval(-3600))   // stored, not due then
        for index in 0..<6 { world.schedule(harness, startsIn: 1000 + Double(index), interviewers: [ian]) }
        // Each schedule page takes 40 s, and the wall clock moves with it.
        let ashby = harness.ashby
        let start = ashby.requestCount(path: "/interviewSchedule.list")
        let elapsed: @Sendable () -> Duration = { .seconds(40 * (ashby.requestCount(path: "/interviewSchedule.list") - start)) }
        let clock = RunClock(now: { [now] in now.addingTimeInterval(Double(elapsed().components.seconds)) }, elapsed: elapsed)
        let (outcome, summary) = try await harness.run(SyncRequest(kind: .backfill), now: now, clock: clock)
        #expect(outcome == .succeeded, "a backfill has no budget")
        #expect(summary.reminders.sent == 1)
        #expect(try harness.count("feedback_reminders_sent", where: "event_id = '\(due.event)' AND status = 'sent'") == 1)
        let logs = harness.logs
        let sent = try #require(logs.range(of: #""event":"reminder_sent""#))
        let schedulesDone = try #require(logs.range(of: #""resource":"interview_schedules""#, options: .backwards))
        #expect(sent.lowerBound < schedulesDone.lowerBound, "sent between pages, before the pass finished")
    }

    /// Issue 18, item 7: a reminder pass between two backfill pages that fails (here the token is
    /// refused) is logged, and the pull goes on: every page written, the token stored; the run ends
    /// with the pass's failure.
    @Test func aFailedReminderPassBetweenBackfillPagesDoesNotStopThePull() async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        let world = World(harness)
        world.schedule(harness, startsIn: 20.5, interviewers: [ian])
        try await harness.run(SyncRequest(kind: .sync), now: now.addingTimeInterval(-3600))   // stored, not due then
        for index in 0..<6 { world.schedule(harness, startsIn: 1000 + Double(index), interviewers: [ian]) }
        harness.slack.server.inject(SlackFixtures.apiError("invalid_auth"), path: FakeSlack.postMessagePath)
        let clock = Self.fortySecondsPerSchedulePage(harness)

        let failure = try #require(await harness.failedRun(SyncRequest(kind: .backfill), now: now, clock: clock))
        #expect(failure.status == .configuration, "\(failure.description)")
        #expect(try harness.count("interview_schedules") == 7, "every page written")
        let token = try harness.syncToken("interview_schedules")
        #expect(token != nil, "the pass finished and stored its token")
        #expect(harness.logs.contains(#""event":"step_failed""#) && harness.logs.contains(#""step":"reminders_during_backfill""#))
    }

    /// Issue 18, items 3 and 7: Slack down for every reminder pass of a backfill fails no pass and
    /// stops no pull; the run, in which no DM got through, exits 75 saying so, and the next run sends
    /// the reminder the outage held back.
    @Test func slackDownForAWholeBackfillStopsNoPullAndTheRunSaysSlackIsUnavailable() async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let due = world.schedule(harness, startsIn: 20.5, interviewers: [ian])
        try await harness.run(SyncRequest(kind: .sync), now: now.addingTimeInterval(-3600))   // stored, not due then
        for index in 0..<6 { world.schedule(harness, startsIn: 1000 + Double(index), interviewers: [ian]) }
        harness.slack.failPosts(to: Self.ianSlack, error: "service_unavailable")
        let clock = Self.fortySecondsPerSchedulePage(harness)

        let failure = try #require(await harness.failedRun(SyncRequest(kind: .backfill), now: now, clock: clock))
        #expect(failure.status == .unavailable)
        #expect(failure.description.hasPrefix("Slack is unavailable: all "), "\(failure.description)")
        #expect(try harness.count("interview_schedules") == 7, "every page written")
        #expect(try harness.syncToken("interview_schedules") != nil, "the pass finished and stored its token")
        #expect(!harness.logs.contains(#""event":"step_failed""#), "no pass failed: the reminder waits")
        #expect(harness.slack.messages.isEmpty)

        harness.slack.failPosts(to: Self.ianSlack, error: nil)
        try await harness.run(now: now.addingTimeInterval(60))
        #expect(try harness.count("feedback_reminders_sent", where: "event_id = '\(due.event)' AND status = 'sent'") == 1)
        #expect(harness.slack.messages.count == 1)
    }

    /// A backfill's clock: 40 s pass with each schedule page fetched, so a reminder pass runs between pages.
    private static func fortySecondsPerSchedulePage(_ harness: SyncHarness) -> RunClock {
        let ashby = harness.ashby
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let start = ashby.requestCount(path: "/interviewSchedule.list")
        let elapsed: @Sendable () -> Duration = { .seconds(40 * (ashby.requestCount(path: "/interviewSchedule.list") - start)) }
        return RunClock(now: { now.addingTimeInterval(Double(elapsed().components.seconds)) }, elapsed: elapsed)
    }

    /// Issue 18, item 7: a post that might not finish inside the run's budget is not started (it could
    /// time out after reaching Slack and be "unknown" for good): the due reminder stays unclaimed, and
    /// the next run sends it.
    @Test func aPostThatCannotFinishInsideTheBudgetIsLeftForTheNextRun() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let due = world.schedule(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(SyncRequest(kind: .sync), now: now.addingTimeInterval(-3600))   // stored, not due then
        // 236 s of the 240 s budget spent: less than Slack's request timeout (5 s here) plus a margin.
        let nearlySpent = RunClock(now: { [now] in now }, elapsed: { .seconds(236) })
        let (outcome, summary) = try await harness.run(now: now, clock: nearlySpent)
        #expect(outcome == .succeeded)
        #expect(summary.reminders.sent == 0 && summary.reminders.due > 0)
        #expect(harness.slack.server.requests.filter { $0.path == FakeSlack.postMessagePath }.isEmpty, "no post started")
        #expect(try harness.count("feedback_reminders_sent") == 0, "left unclaimed")
        #expect(try harness.count("slack_messages") == 0)
        #expect(harness.logs.contains(#""event":"posts_deferred""#))

        let (_, next) = try await harness.run(now: now.addingTimeInterval(60))
        #expect(next.reminders.sent == 1)
        #expect(try harness.count("feedback_reminders_sent", where: "event_id = '\(due.event)' AND status = 'sent'") == 1)
    }

    @Test func theTimeAPostNeedsIsItsTimeoutPlusAMarginWithinTheReminderSlice() {
        let timeout = Duration.seconds(30)
        let budget = RunBudget(total: .seconds(240))
        #expect(budget.leavesTimeForPost(at: .seconds(205), requestTimeout: timeout))
        #expect(!budget.leavesTimeForPost(at: .seconds(206), requestTimeout: timeout))
        #expect(RunBudget(total: nil).leavesTimeForPost(at: .seconds(100_000), requestTimeout: timeout), "a backfill has no budget")
        // A budget of 30 s leaves 7.5 s for the reminders: posts start while that much is left.
        let small = RunBudget(total: .seconds(30))
        #expect(small.leavesTimeForPost(at: .milliseconds(22_500), requestTimeout: timeout))
        #expect(!small.leavesTimeForPost(at: .milliseconds(22_501), requestTimeout: timeout))
    }

    // MARK: Two runs at once

    @Test func aRunThatFindsTheLockHeldSkips() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let holder = try harness.connect()
        #expect(try holder.tryAdvisoryLock(SyncEngine.lockKey))
        let (outcome, _) = try await harness.run(noReminders, now: now)
        #expect(outcome == .skipped)
        #expect(harness.ashby.server.requests.isEmpty, "a skipped run asks nothing of Ashby")
        _ = try holder.advisoryUnlock(SyncEngine.lockKey)
        let (next, _) = try await harness.run(noReminders, now: now)
        #expect(next == .succeeded)
        let outcomes = try harness.connect().query("SELECT outcome FROM sync_runs ORDER BY outcome").rows.map { try $0[0].decode(String.self) }
        #expect(outcomes == ["skipped", "succeeded"])
    }

    /// Two sessions race the claim statement itself (as two runs past the lock would, e.g. a lock lost
    /// with a dead connection): every pair is won exactly once, in every round.
    @Test func racingClaimsWinEachReminderOnce() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let interviewers = (0..<4).map { AshbyFixtures.interviewer(email: "person\($0)@example.com") }
        harness.slack.setUsers(interviewers.indices.map { SlackFixtures.human(id: "U0PERSON0\($0)", email: "person\($0)@example.com") })
        for round in 0..<10 {
            world.schedule(harness, startsIn: 5 + Double(round) * 0.01, interviewers: interviewers)
        }
        try await harness.run(SyncRequest(kind: .sync), now: now.addingTimeInterval(-3600))
        let store = ReminderStore(connection: try harness.connect())
        let due = try store.due(now: now, windowStart: now.addingTimeInterval(240), windowEnd: now.addingTimeInterval(1200))
        #expect(due.count == 40)
        let starts = Set(due.map(\.interview.startTime)).sorted()
        let wins = ClaimWins()
        for start in starts {
            let batch = due.filter { $0.interview.startTime == start }
            let ready = DispatchGroup(), done = DispatchGroup()
            let go = DispatchSemaphore(value: 0)
            for session in 0..<2 {
                ready.enter()
                done.enter()
                Thread.detachNewThread { [now] in
                    defer { done.leave() }
                    guard let connection = try? harness.connect() else { ready.leave(); return }
                    let store = ReminderStore(connection: connection)
                    ready.leave()
                    go.wait()
                    // One claim per pair, as the sender does, in opposite orders so the sessions interleave.
                    for reminder in session == 0 ? batch : batch.reversed() {
                        if let won = try? store.claim([reminder], runID: UUID(), now: now), !won.isEmpty {
                            wins.count(reminder.eventID + reminder.interviewerID)
                        }
                    }
                }
            }
            ready.wait()
            go.signal()
            go.signal()
            done.wait()
        }
        let counts = wins.counts
        #expect(counts.count == 40, "every pair was claimed")
        #expect(counts.values.allSatisfy { $0 == 1 }, "no pair was claimed twice")
    }
}

/// How often each reminder was won by the racing sessions.
private final class ClaimWins: Sendable {
    private let wins = Mutex<[String: Int]>([:])

    func count(_ key: String) {
        wins.withLock { $0[key, default: 0] += 1 }
    }

    var counts: [String: Int] { wins.withLock { $0 } }
}
