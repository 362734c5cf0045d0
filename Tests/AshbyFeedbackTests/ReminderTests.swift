import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// SPEC §3 steps 5–6: the Slack directory and reminders sent exactly once.
@Suite(.timeLimit(.minutes(3))) struct ReminderTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let ian = AshbyFixtures.interviewer(email: "Ian@Example.com")
    let ada = AshbyFixtures.interviewer(email: "ada@example.com", firstName: "Ada")
    let gone = AshbyFixtures.interviewer(email: "former@example.com", firstName: "Former")
    let stranger = AshbyFixtures.interviewer(email: "no-slack@example.com", firstName: "Noslack")
    static let ianSlack = "U01IAN0001", adaSlack = "U01ADA0001"

    /// One interview definition, the Slack directory, and a helper to add schedules at offsets from `now`.
    struct World {
        let interviewID: String
        let applicationID = AshbyFixtures.id()

        init(_ harness: SyncHarness, candidateName: String = "Casey Candidate") {
            let interview = AshbyFixtures.interview(title: "System Design", instructionsPlain: "Bring   a\nwhiteboard.")
            harness.ashby.upsertInterview(interview)
            interviewID = interview["id"]!.stringValue!
            harness.ashby.setApplication(AshbyFixtures.application(id: applicationID, candidateName: candidateName, jobTitle: "Backend Engineer"))
            harness.slack.setUsers([
                SlackFixtures.human(id: ReminderTests.ianSlack, email: "ian@example.com"),
                SlackFixtures.human(id: ReminderTests.adaSlack, email: "ADA@example.com"),
                SlackFixtures.bot(), SlackFixtures.slackbot(),
                SlackFixtures.deleted(id: "U01GONE001", email: "former@example.com"),
            ])
        }

        @discardableResult
        func schedule(_ harness: SyncHarness, status: String = "Scheduled", startsIn minutes: Double, interviewers: [JSONValue]) -> (schedule: String, event: String) {
            let event = AshbyFixtures.event(interviewId: interviewID, start: Date(timeIntervalSince1970: 1_800_000_000 + minutes * 60), interviewers: interviewers)
            let schedule = AshbyFixtures.schedule(status: status, applicationId: applicationID, events: [event])
            harness.ashby.upsertSchedule(schedule)
            return (schedule["id"]!.stringValue!, event["id"]!.stringValue!)
        }
    }

    func reminderRow(_ harness: SyncHarness, event: String, interviewer: JSONValue) throws -> PostgresRow? {
        try harness.connect().query(
            "SELECT status, failure_reason, failure_temporary, slack_channel_id, slack_message_ts, attempts, submitted_at FROM feedback_reminders_sent WHERE event_id = $1 AND interviewer_id = $2",
            [event, interviewer["id"]!.stringValue!]).rows.first
    }

    @Test func onlyTheRightPeopleAreReminded() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let due = world.schedule(harness, startsIn: 10, interviewers: [ian, gone, stranger])
        world.schedule(harness, startsIn: 60, interviewers: [ian])                       // outside the window
        world.schedule(harness, startsIn: 2, interviewers: [ian])                        // too soon (window starts at +4)
        world.schedule(harness, status: "Cancelled", startsIn: 10, interviewers: [ian])  // cancelled

        let (_, summary) = try await harness.run(now: now)
        #expect(summary.reminders.sent == 1)
        #expect(harness.slack.messages.map(\.channel) == [Self.ianSlack], "case-insensitive match; nobody else")
        let row = try #require(try reminderRow(harness, event: due.event, interviewer: ian))
        #expect(try row["status"].decode(String.self) == "sent")
        #expect(try row["slack_channel_id"].decode(String.self) == "D\(Self.ianSlack)")
        #expect(try row["slack_message_ts"].decode(String?.self) == harness.slack.messages[0].ts)
        // The directory: bots and Slackbot skipped, the deleted account kept but marked deleted.
        #expect(try harness.count("slack_users") == 3)
        #expect(try harness.count("slack_users", where: "slack_user_id = 'U01GONE001' AND deleted") == 1)
        #expect(try harness.count("slack_users", where: "email = 'ada@example.com'") == 1, "emails stored lower-cased")
    }

    @Test func theMessageCarriesEverythingEscaped() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, candidateName: "<!channel> & <b>Bob</b>")
        let due = world.schedule(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        let message = try #require(harness.slack.messages.first)
        let body = String(decoding: message.body, as: UTF8.self)
        #expect(!body.contains("<!channel>"), "nobody gets pinged")
        #expect(body.contains("&lt;!channel&gt; &amp; &lt;b&gt;Bob&lt;/b&gt;"))
        #expect(body.contains("Backend Engineer") && body.contains("System Design"))
        #expect(body.contains("<!date^\(Int(now.timeIntervalSince1970) + 600)^"))
        #expect(body.contains("https://meet.google.com/abc-defg-hij"))
        #expect(body.contains("https://app.ashbyhq.com/interview-briefings/\(due.event)/feedback"))
        let json = try #require(message.json())
        #expect(json["unfurl_links"] as? Bool == false && json["unfurl_media"] as? Bool == false)
        #expect(message.contentType?.contains("charset=utf-8") == true)
        #expect(body.contains("<https://app.ashbyhq.com/interview-briefings/\(due.event)/feedback|Open the feedback form>"))
        #expect(message.blocks()?.allSatisfy { $0["type"] as? String != "actions" } == true, "a link, no button")
    }

    @Test func aSecondRunSendsNothingAndEditsSendNoDuplicates() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let due = world.schedule(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        try await harness.run(now: now.addingTimeInterval(60))
        #expect(harness.slack.messages.count == 1)

        // Moved by five minutes, and Ada added: only Ada is new.
        _ = harness.ashby.modifySchedule(id: due.schedule) { schedule in
            var events = schedule["interviewEvents"]!.arrayValue!
            events[0]["startTime"] = .string(AshbyFixtures.timestamp(now.addingTimeInterval(15 * 60)))
            events[0]["interviewers"] = .array([ian, ada])
            schedule["interviewEvents"] = .array(events)
        }
        try await harness.run(now: now.addingTimeInterval(120))
        #expect(harness.slack.messages.map(\.channel) == [Self.ianSlack, Self.adaSlack])
        try await harness.run(now: now.addingTimeInterval(180))
        #expect(harness.slack.messages.count == 2)
    }

    @Test func twoRunsAtOnceSendOneDMPerPair() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        for offset in [6.0, 8, 10, 12] { world.schedule(harness, startsIn: offset, interviewers: [ian, ada]) }
        // Started together: one skips (lock) or runs after the other; either way each pair gets one DM.
        async let first = harness.run(now: now)
        async let second = harness.run(now: now)
        let outcomes = [try await first.outcome, try await second.outcome]
        #expect(outcomes.contains(.succeeded))
        let channels = harness.slack.messages.map(\.channel)
        #expect(channels.count == 8)
        #expect(try harness.count("feedback_reminders_sent", where: "status = 'sent'") == 8)
    }

    @Test func aClaimLeftByACrashedRunIsNotResentAndIsVisible() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let due = world.schedule(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: now)
        try await harness.run(SyncRequest(kind: .sync), now: now)   // directory pulled, reminder sent
        #expect(harness.slack.messages.count == 1)

        // A run that claimed and died before sending: claim by hand exactly as the engine does.
        let other = world.schedule(harness, startsIn: 12, interviewers: [ian])
        try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: now)
        let store = ReminderStore(connection: try harness.connect())
        let pending = try store.due(now: now, windowStart: now.addingTimeInterval(240), windowEnd: now.addingTimeInterval(1200))
        #expect(pending.map(\.eventID) == [other.event])
        let claimed = try store.claim(pending, runID: UUID(), now: now)
        #expect(claimed.count == 1)

        try await harness.run(now: now.addingTimeInterval(60))
        #expect(harness.slack.messages.count == 1, "no blind resend")
        let row = try #require(try reminderRow(harness, event: other.event, interviewer: ian))
        #expect(try row["status"].decode(String.self) == "claimed")
        try harness.connect().execute("UPDATE feedback_reminders_sent SET claimed_at = now() - interval '15 minutes' WHERE event_id = $1", [other.event])
        let report = try StatusReport.read(try harness.connect(), runLimit: 5, maxAgeMinutes: 60)
        #expect(report.reminders.stuckClaims == 1)
        _ = due
    }

    @Test func rateLimitIsRetriedAndSentOnce() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        world.schedule(harness, startsIn: 10, interviewers: [ian])
        harness.slack.server.inject(SlackFixtures.rateLimited(retryAfter: 1), path: FakeSlack.postMessagePath)
        let started = Date()
        let (_, summary) = try await harness.run(now: now)
        #expect(Date().timeIntervalSince(started) >= 1)
        #expect(summary.reminders.sent == 1)
        #expect(harness.slack.messages.count == 1)
        #expect(harness.slack.server.requests.filter { $0.path == FakeSlack.postMessagePath }.count == 2)
    }

    @Test func aPermanentErrorIsRecordedAndOthersStillGetTheirs() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let due = world.schedule(harness, startsIn: 10, interviewers: [ian, ada])
        harness.slack.failPosts(to: Self.ianSlack, error: "channel_not_found")
        let (outcome, summary) = try await harness.run(now: now)
        #expect(outcome == .succeeded, "one recipient's problem does not fail the run")
        #expect(summary.reminders.sent == 1 && summary.reminders.failed == 1)
        #expect(harness.slack.messages.map(\.channel) == [Self.adaSlack])
        let row = try #require(try reminderRow(harness, event: due.event, interviewer: ian))
        #expect(try row["status"].decode(String.self) == "failed")
        #expect(try row["failure_reason"].decode(String?.self)?.contains("channel_not_found") == true)
        #expect(try row["failure_temporary"].decode(Bool?.self) == false)
        try await harness.run(now: now.addingTimeInterval(60))
        #expect(harness.slack.server.requests.filter { $0.path == FakeSlack.postMessagePath }.count == 2, "not retried")
    }

    @Test func aTemporaryErrorIsRetriedByTheNextRun() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let due = world.schedule(harness, startsIn: 10, interviewers: [ian, ada])
        harness.slack.server.inject(SlackFixtures.apiError("service_unavailable"), path: FakeSlack.postMessagePath)
        let (_, first) = try await harness.run(now: now)
        #expect(first.reminders.retrying == 1 && first.reminders.sent == 1)
        let (_, second) = try await harness.run(now: now.addingTimeInterval(60))
        #expect(second.reminders.sent == 1)
        #expect(harness.slack.messages.count == 2)
        #expect(try harness.count("feedback_reminders_sent", where: "event_id = '\(due.event)' AND status = 'sent'") == 2)
        #expect(try harness.count("feedback_reminders_sent", where: "event_id = '\(due.event)' AND attempts = 2") == 1,
                "the one that failed was claimed again")
    }

    @Test func slackDownForEveryReminderFailsTheRunAsUnavailable() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        world.schedule(harness, startsIn: 10, interviewers: [ian])
        harness.slack.server.inject(SlackFixtures.apiError("service_unavailable"), path: FakeSlack.postMessagePath)
        #expect(await harness.failedRun(now: now)?.status == .unavailable)
    }

    @Test func anUnknownOutcomeIsNeverResentBlindly() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let due = world.schedule(harness, startsIn: 10, interviewers: [ian])
        harness.slack.server.inject(.delay(.seconds(3)), path: FakeSlack.postMessagePath)
        // The run's only Slack call timed out: Slack is unavailable (75), and the DM's outcome is unknown.
        #expect(await harness.failedRun(now: now, requestTimeout: .seconds(1))?.status == .unavailable)
        #expect(try harness.connect().query("SELECT counts->'reminders'->>'unknown' FROM sync_runs").rows[0][0].decode(String.self) == "1")
        try await harness.run(now: now.addingTimeInterval(60))
        #expect(harness.slack.server.requests.filter { $0.path == FakeSlack.postMessagePath }.count == 1, "sent once, never retried")
        let row = try #require(try reminderRow(harness, event: due.event, interviewer: ian))
        #expect(try row["status"].decode(String.self) == "unknown")
    }

    @Test func aRevokedTokenStopsTheRunBeforeClaimingTheRest() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        world.schedule(harness, startsIn: 10, interviewers: [ian, ada])
        harness.slack.server.inject(SlackFixtures.apiError("token_revoked"), path: FakeSlack.postMessagePath)
        let failure = await harness.failedRun(now: now)
        #expect(failure?.status == .configuration)
        #expect(failure?.description.contains("token_revoked") == true)
        #expect(try harness.count("feedback_reminders_sent", where: "status = 'failed' AND failure_temporary") == 1)
        #expect(try harness.count("feedback_reminders_sent") == 1, "the run stopped before claiming the other")
        let (_, summary) = try await harness.run(now: now.addingTimeInterval(60))
        #expect(summary.reminders.sent == 2, "both go out once the token works again")
    }

    @Test func submittedFeedbackIsRecordedOnTheReminder() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let due = world.schedule(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        _ = harness.ashby.modifySchedule(id: due.schedule) { schedule in
            var events = schedule["interviewEvents"]!.arrayValue!
            events[0]["hasSubmittedFeedback"] = true
            schedule["interviewEvents"] = .array(events)
        }
        try await harness.run(now: now.addingTimeInterval(3600))
        let row = try #require(try reminderRow(harness, event: due.event, interviewer: ian))
        #expect(try row["submitted_at"].decode(Date?.self) != nil)
    }

    @Test func dryRunPrintsTheDMsAndSendsNone() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        world.schedule(harness, startsIn: 10, interviewers: [ian])
        // On an empty database: the dry run's directory pass feeds its reminder step, then all is rolled back.
        let (_, summary) = try await harness.run(SyncRequest(kind: .sync, dryRun: true), now: now)
        #expect(summary.reminders.due == 1)
        #expect(harness.slack.messages.isEmpty)
        for table in ["feedback_reminders_sent", "slack_users", "interview_events", "sync_state", "sync_runs"] {
            #expect(try harness.count(table) == 0, "\(table) untouched")
        }
        #expect(harness.reports.contains { $0.hasPrefix("would send DM to \(Self.ianSlack)") && $0.contains("System Design") })
    }

    @Test func twoAccountsSharingAnEmailKeepTheActiveOne() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        harness.slack.setUsers([
            SlackFixtures.deleted(id: "U0OLD00001", email: "dup@example.com"),
            SlackFixtures.human(id: "U0NEW00001", email: "Dup@Example.com"),
            SlackFixtures.human(id: "U0NOMAIL01", email: "x@example.com"),
        ])
        try await harness.run(now: now)
        #expect(try harness.count("slack_users", where: "email = 'dup@example.com' AND slack_user_id = 'U0NEW00001' AND NOT deleted") == 1)
        #expect(try harness.count("slack_users", where: "slack_user_id = 'U0OLD00001'") == 0)
        // The address moves to another account later: the unique email follows it without failing the sync.
        harness.slack.setUsers([SlackFixtures.human(id: "U0OTHER001", email: "dup@example.com")])
        try await harness.run(now: now.addingTimeInterval(3 * 3600))
        #expect(try harness.count("slack_users", where: "email = 'dup@example.com' AND slack_user_id = 'U0OTHER001'") == 1)
    }

    @Test func botTokenNeverAppearsInLogs() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        world.schedule(harness, startsIn: 10, interviewers: [ian])
        harness.slack.server.inject(SlackFixtures.rateLimited(retryAfter: 1), path: FakeSlack.usersListPath)
        try await harness.run(now: now)
        #expect(harness.logs.contains("reminder_sent"))
        #expect(!harness.logs.contains(SyncHarness.botToken))
        let stored = try harness.connect().query("SELECT string_agg(coalesce(failure_reason, ''), '') FROM feedback_reminders_sent").rows[0][0].decode(String?.self) ?? ""
        #expect(!stored.contains(SyncHarness.botToken))
    }
}

extension ReminderTests {
    @Test func aRemovedEventIsNeverReminded() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let due = world.schedule(harness, startsIn: 30, interviewers: [ian])   // not due yet
        try await harness.run(now: now)
        _ = harness.ashby.removeEventFromSchedule(scheduleId: due.schedule, eventId: due.event)
        try await harness.run(now: now.addingTimeInterval(60))
        try await harness.run(now: now.addingTimeInterval(20 * 60))          // its old start is inside the window now
        #expect(harness.slack.messages.isEmpty)
    }
}

extension ReminderTests {
    /// Reminders for interviews already stored go out even when Ashby is down; the run still fails (75).
    @Test func anAshbyOutageDoesNotStopReminders() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        world.schedule(harness, startsIn: 30, interviewers: [ian])
        try await harness.run(now: now)                                  // stored; not due yet
        for _ in 0..<5 { harness.ashby.server.inject(.status(503), path: "/interviewSchedule.list") }
        #expect(await harness.failedRun(now: now.addingTimeInterval(15 * 60))?.status == .unavailable)   // now due
        #expect(harness.slack.messages.map(\.channel) == [Self.ianSlack])
        let failed = try harness.connect().query("SELECT outcome, counts->'reminders'->>'sent' FROM sync_runs ORDER BY started_at DESC LIMIT 1").rows[0]
        #expect(try failed[0].decode(String.self) == "failed")
        #expect(try failed[1].decode(String.self) == "1")
    }

    @Test func aDirectoryWithoutEmailsMeansAMissingScope() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        var withoutEmail = SlackFixtures.human(id: "U0NOEMAIL1", email: "x@example.com")
        withoutEmail.email = nil
        harness.slack.setUsers([withoutEmail, SlackFixtures.slackbot()])
        let failure = await harness.failedRun(now: now)
        #expect(failure?.status == .configuration)
        #expect(failure?.description.contains("users:read.email") == true)
    }

    @Test func aDryRunWaitsItsTurnBehindTheLock() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let holder = try harness.connect()
        #expect(try holder.tryAdvisoryLock(SyncEngine.lockKey))
        let (outcome, _) = try await harness.run(SyncRequest(kind: .sync, dryRun: true), now: now)
        #expect(outcome == .skipped)
        #expect(try harness.count("sync_runs") == 0, "a dry run records nothing, not even a skip")
    }
}
