import CurlHTTP
import Foundation
import Logging
import Postgres
import SlackAPI
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 10: reminders that stay true. A DM is edited when its interview changes (and only then), a
/// real move brings exactly one fresh DM, and edit failures are recorded or retried as they deserve.
/// Real PostgreSQL, FakeAshby and FakeSlack; the run's clock is fixed.
@Suite(.timeLimit(.minutes(3)))
struct ReminderEditTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let ian = AshbyFixtures.interviewer(email: "ian@example.com", firstName: "Ian", lastName: "Interviewer")
    let ada = AshbyFixtures.interviewer(email: "ada@example.com", firstName: "Ada", lastName: "Lovelace")
    static let ianSlack = "U01IAN0001", adaSlack = "U01ADA0001"

    /// One interview with a scorecard, a candidate with a profile, the Slack directory, and one schedule.
    struct World {
        let harness: SyncHarness
        let interviewID: String
        let schedule: String
        let event: String

        init(_ harness: SyncHarness, startsIn minutes: Double, interviewers: [JSONValue]) {
            self.harness = harness
            let form = AshbyFixtures.form(title: "System Design Scorecard")
            harness.ashby.upsertForm(form)
            let interview = AshbyFixtures.interview(
                title: "System Design", feedbackFormDefinitionId: form["id"]!.stringValue!, instructionsPlain: "Bring a whiteboard.")
            harness.ashby.upsertInterview(interview)
            interviewID = interview["id"]!.stringValue!
            let application = AshbyFixtures.id()
            harness.ashby.setApplication(AshbyFixtures.application(id: application, candidateName: "Casey Candidate", jobTitle: "Backend Engineer"))
            harness.slack.setUsers([
                SlackFixtures.human(id: ReminderEditTests.ianSlack, email: "ian@example.com"),
                SlackFixtures.human(id: ReminderEditTests.adaSlack, email: "ada@example.com"),
            ])
            let event = AshbyFixtures.event(
                interviewId: interviewID, start: Date(timeIntervalSince1970: 1_800_000_000 + minutes * 60), interviewers: interviewers)
            let schedule = AshbyFixtures.schedule(applicationId: application, events: [event])
            harness.ashby.upsertSchedule(schedule)
            self.schedule = schedule["id"]!.stringValue!
            self.event = event["id"]!.stringValue!
        }

        /// Changes the (only) event of the schedule in Ashby.
        func changeEvent(_ change: (inout JSONValue) -> Void) {
            _ = harness.ashby.modifySchedule(id: schedule) { schedule in
                var events = schedule["interviewEvents"]!.arrayValue!
                change(&events[0])
                schedule["interviewEvents"] = .array(events)
            }
        }

        func move(to start: Date) {
            changeEvent { event in
                event["startTime"] = .string(AshbyFixtures.timestamp(start))
                event["endTime"] = .string(AshbyFixtures.timestamp(start.addingTimeInterval(3600)))
            }
        }
    }

    /// chat.postMessage and chat.update requests FakeSlack received (accepted or not).
    func slackWrites(_ harness: SyncHarness) -> Int {
        harness.slack.server.requests.filter { [FakeSlack.postMessagePath, FakeSlack.updatePath].contains($0.path) }.count
    }

    func ledgerRow(_ harness: SyncHarness, user: String, newest: Bool = false) throws -> PostgresRow {
        try #require(try harness.connect().query(
            "SELECT * , fingerprint FROM slack_messages WHERE slack_user_id = $1 ORDER BY message_id \(newest ? "DESC" : "ASC") LIMIT 1",
            [user]).rows.first)
    }

    func text(_ update: FakeSlack.Update) -> String {
        String(decoding: update.body, as: UTF8.self)
    }

    func dateToken(_ date: Date) -> String {
        "<!date^\(Int(date.timeIntervalSince1970))^"
    }

    // MARK: What the DM says

    @Test func theFirstDMShowsScorecardPanelAndProfileAndIsRecordedInTheLedger() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian, ada])
        try await harness.run(now: now)
        let dm = try #require(harness.slack.messages(to: Self.ianSlack).first)
        let body = String(decoding: dm.body, as: UTF8.self)
        #expect(body.contains("*Also on the panel:* Ada Lovelace"), "names, not mentions")
        #expect(!body.contains("<@\(Self.adaSlack)>"))
        #expect(body.contains("Assessment: Overall Recommendation · Notes"))
        #expect(body.contains("Ashby profile"))
        #expect(body.contains("https://app.ashbyhq.com/candidates/"))
        #expect(dm.json()?["unfurl_links"] as? Bool == false)

        let row = try ledgerRow(harness, user: Self.ianSlack)
        #expect(try row["kind"].decode(String.self) == "reminder")
        #expect(try row["post_state"].decode(String.self) == "posted")
        #expect(try row["channel_id"].decode(String.self) == "D\(Self.ianSlack)")
        #expect(try row["message_ts"].decode(String.self) == dm.ts)
        #expect(try row["announced_start_time"].decode(Date.self) == now.addingTimeInterval(600))
        #expect(try row["candidate_name"].decode(String?.self) == "Casey Candidate")
        #expect(try row["job_title"].decode(String?.self) == "Backend Engineer")
        #expect(try row["fingerprint"].decode(String?.self) != nil)
        #expect(try harness.count("slack_messages") == 2)
        _ = world
    }

    // MARK: Moves

    @Test func movedByThreeDaysIsEditedOnceThenRemindedOnceInTheNewWindow() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        #expect(harness.slack.messages.count == 1)

        let newStart = now.addingTimeInterval(3 * 86_400 + 600)
        world.move(to: newStart)
        let (_, moved) = try await harness.run(now: now.addingTimeInterval(60))
        #expect(moved.edits.edited == 1)
        let edit = try #require(harness.slack.updates(to: Self.ianSlack).first)
        #expect(edit.ts == harness.slack.messages[0].ts && edit.channel == "D\(Self.ianSlack)")
        #expect(text(edit).contains("*Rescheduled:* was \(dateToken(now.addingTimeInterval(600)))"))
        #expect(text(edit).contains("*When:* \(dateToken(newStart))"))
        #expect(harness.slack.messages.count == 1, "no fresh DM before the new window")

        let quiet = slackWrites(harness)
        try await harness.run(now: now.addingTimeInterval(120))
        #expect(slackWrites(harness) == quiet, "no change, no Slack call")

        // Inside the new window: exactly one fresh DM, even with two runs at once.
        let inWindow = newStart.addingTimeInterval(-600)
        async let first = harness.run(now: inWindow)
        async let second = harness.run(now: inWindow)
        _ = try await [first.outcome, second.outcome]
        try await harness.run(now: inWindow.addingTimeInterval(60))
        let posts = harness.slack.messages(to: Self.ianSlack)
        #expect(posts.count == 2)
        #expect(String(decoding: posts[1].body, as: UTF8.self).contains("*When:* \(dateToken(newStart))"))
        #expect(!String(decoding: posts[1].body, as: UTF8.self).contains("Rescheduled"))
        #expect(harness.slack.updates.count == 1, "the old DM was edited once")
        let pair = try #require(try harness.connect().query(
            "SELECT status, slack_message_ts FROM feedback_reminders_sent WHERE event_id = $1", [world.event]).rows.first)
        #expect(try pair["status"].decode(String.self) == "sent")
        #expect(try pair["slack_message_ts"].decode(String.self) == posts[1].ts, "the pair points at the latest DM")

        let settled = slackWrites(harness)
        try await harness.run(now: inWindow.addingTimeInterval(120))
        #expect(slackWrites(harness) == settled, "a no-change run makes no Slack call")
    }

    /// Two claims of the same fresh reminder, raced past the lock: one wins.
    @Test func aFreshReminderIsClaimedOnce() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        let newStart = now.addingTimeInterval(86_400)
        world.move(to: newStart)
        try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: now.addingTimeInterval(60))
        let inWindow = newStart.addingTimeInterval(-600)
        let ledgers = [MessageLedger(connection: try harness.connect()), MessageLedger(connection: try harness.connect())]
        let due = try ledgers[0].dueAgain(windowStart: inWindow.addingTimeInterval(240), windowEnd: inWindow.addingTimeInterval(1200), moveThreshold: 1200)
        let reminder = try #require(due.first)
        #expect(due.count == 1 && reminder.isRepeat)
        let claims = try ledgers.map {
            try $0.claimReminder(eventID: reminder.eventID, interviewerID: reminder.interviewerID, slackUserID: reminder.slackUserID,
                                 announcedStart: reminder.interview.startTime, runID: UUID(), now: inWindow)
        }
        #expect(claims.compactMap { $0 }.count == 1)
        // A claim left by a crashed run is never posted blindly, and the pair is no longer due.
        #expect(try ledgers[1].dueAgain(windowStart: inWindow.addingTimeInterval(240), windowEnd: inWindow.addingTimeInterval(1200), moveThreshold: 1200).isEmpty)
        try await harness.run(now: inWindow)
        #expect(harness.slack.messages.count == 1)
    }

    /// database/README.md: a stuck first-reminder claim released by hand in feedback_reminders_sent is
    /// sent by the next run, although its ledger row is still `claimed`.
    @Test func aClaimReleasedByHandAsDocumentedIsSentOnce() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: now)
        try await harness.run(SyncRequest(kind: .sync), now: now.addingTimeInterval(-3600))   // directory only: nothing due yet
        // A run that claimed (both claims, as the sender does) and died before sending.
        let connection = try harness.connect()
        let due = try ReminderStore(connection: connection).due(now: now, windowStart: now.addingTimeInterval(240), windowEnd: now.addingTimeInterval(1200))
        let reminder = try #require(due.first)
        #expect(try ReminderStore(connection: connection).claim([reminder], runID: UUID(), now: now).count == 1)
        #expect(try MessageLedger(connection: connection).claimReminder(
            eventID: reminder.eventID, interviewerID: reminder.interviewerID, slackUserID: reminder.slackUserID,
            announcedStart: reminder.interview.startTime, runID: UUID(), now: now, takeOver: true) != nil)
        try await harness.run(now: now)
        #expect(harness.slack.messages.isEmpty, "never resent blindly")

        try connection.execute("UPDATE feedback_reminders_sent SET status = 'failed', failure_temporary = true WHERE event_id = $1", [world.event])
        try await harness.run(now: now.addingTimeInterval(60))
        try await harness.run(now: now.addingTimeInterval(120))
        #expect(harness.slack.messages.count == 1)
        #expect(try harness.count("slack_messages", where: "post_state = 'posted'") == 1)
    }

    @Test func movedByFiveMinutesIsOneEditAndNoNewDM() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        world.move(to: now.addingTimeInterval(15 * 60))
        try await harness.run(now: now.addingTimeInterval(60))
        try await harness.run(now: now.addingTimeInterval(120))
        #expect(harness.slack.messages.count == 1)
        let edits = harness.slack.updates(to: Self.ianSlack)
        try #require(edits.count == 1)
        #expect(text(edits[0]).contains("*When:* \(dateToken(now.addingTimeInterval(900)))"))
        let row = try ledgerRow(harness, user: Self.ianSlack)
        #expect(try row["edit_state"].decode(String?.self) == "edited")
        #expect(try row["edit_reason"].decode(String?.self) == "rescheduled")
        #expect(harness.logs.contains(#""event":"reminder_edited""#) && harness.logs.contains(#""reason":"rescheduled""#))
        let status = try StatusReport.read(try harness.connect(), runLimit: 5, maxAgeMinutes: 60, now: Date())
        #expect(status.reminders.lastDayEdits == ["edited": 1], "status shows the edits of the last day")
    }

    @Test func cancelledIsMarkedCancelledWithoutTheFeedbackLink() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        _ = harness.ashby.modifySchedule(id: world.schedule) { $0["status"] = "Cancelled" }
        try await harness.run(now: now.addingTimeInterval(60))
        try await harness.run(now: now.addingTimeInterval(120))
        let edits = harness.slack.updates(to: Self.ianSlack)
        try #require(edits.count == 1)
        let blocks = try #require(edits[0].blocks())
        #expect(blocks.first.flatMap { ($0["text"] as? [String: Any])?["text"] as? String } == "Interview cancelled")
        #expect(!text(edits[0]).contains("Open the feedback form"), "no feedback link")
        #expect(!text(edits[0]).contains("meet.google.com"), "no meeting link to join")
        #expect(edits[0].text?.hasSuffix(": no feedback needed") == true)
        #expect(harness.slack.messages.count == 1)
    }

    @Test func anEventThatLeftItsScheduleIsMarkedCancelled() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        harness.ashby.removeEventFromSchedule(scheduleId: world.schedule, eventId: world.event)
        try await harness.run(now: now.addingTimeInterval(60))
        let edits = harness.slack.updates(to: Self.ianSlack)
        try #require(edits.count == 1)
        #expect(text(edits[0]).contains("This interview was cancelled"))
        #expect(try ledgerRow(harness, user: Self.ianSlack)["edit_reason"].decode(String?.self) == "event_removed")
    }

    @Test func aRemovedInterviewerIsToldAndTheOtherSeesTheNewPanel() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian, ada])
        try await harness.run(now: now)
        #expect(harness.slack.messages.count == 2)
        world.changeEvent { $0["interviewers"] = .array([ian]) }
        try await harness.run(now: now.addingTimeInterval(60))
        try await harness.run(now: now.addingTimeInterval(120))

        let adaEdits = harness.slack.updates(to: Self.adaSlack)
        try #require(adaEdits.count == 1)
        #expect(text(adaEdits[0]).contains("You are no longer on this interview"))
        #expect(!text(adaEdits[0]).contains("Open the feedback form"))
        let ianEdits = harness.slack.updates(to: Self.ianSlack)
        #expect(ianEdits.count <= 1)
        if let ianEdit = ianEdits.first {
            #expect(!text(ianEdit).contains("Ada Lovelace"), "the panel as it is now")
            #expect(text(ianEdit).contains("Open the feedback form"), "Ian's DM still stands")
        }
        #expect(harness.slack.messages.count == 2)
        #expect(try ledgerRow(harness, user: Self.adaSlack)["edit_reason"].decode(String?.self) == "interviewer_removed")
    }

    // MARK: Edit failures

    @Test func messageNotFoundIsRecordedAndNeverRetried() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        harness.slack.failUpdates(to: Self.ianSlack, error: "message_not_found")
        world.move(to: now.addingTimeInterval(15 * 60))
        let (outcome, summary) = try await harness.run(now: now.addingTimeInterval(60))
        #expect(outcome == .succeeded)
        #expect(summary.edits.failed == 1)
        let row = try ledgerRow(harness, user: Self.ianSlack)
        #expect(try row["edit_state"].decode(String?.self) == "failed")
        #expect(try row["edit_error"].decode(String?.self)?.contains("message_not_found") == true)
        #expect(harness.logs.contains(#""event":"reminder_edit_failed""#))
        #expect(try MessageLedger(connection: try harness.connect()).editStates(since: Date().addingTimeInterval(-86_400)) == ["failed": 1])

        world.move(to: now.addingTimeInterval(16 * 60))
        try await harness.run(now: now.addingTimeInterval(120))
        #expect(harness.slack.server.requests.filter { $0.path == FakeSlack.updatePath }.count == 1, "never retried")
        #expect(harness.slack.messages.count == 1, "and never reposted")
    }

    @Test func rateLimitThenOutageLandsTheEditExactlyOnce() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        world.move(to: now.addingTimeInterval(15 * 60))
        // Retry-After beyond what the client waits: the edit is left for the next run. It was the run's
        // only Slack call, so Slack is unavailable (75).
        harness.slack.server.inject(SlackFixtures.rateLimited(retryAfter: 600), path: FakeSlack.updatePath)
        #expect(await harness.failedRun(now: now.addingTimeInterval(60))?.status == .unavailable)
        #expect(try ledgerRow(harness, user: Self.ianSlack)["edit_state"].decode(String?.self) == "pending")
        harness.slack.server.inject(SlackFixtures.apiError("service_unavailable"), path: FakeSlack.updatePath)
        #expect(await harness.failedRun(now: now.addingTimeInterval(120))?.status == .unavailable)
        #expect(try ledgerRow(harness, user: Self.ianSlack)["edit_state"].decode(String?.self) == "pending")
        let (_, third) = try await harness.run(now: now.addingTimeInterval(180))
        #expect(third.edits.edited == 1)
        try await harness.run(now: now.addingTimeInterval(240))
        #expect(harness.slack.updates.count == 1, "landed exactly once")
        #expect(try MessageLedger(connection: try harness.connect()).editStates(since: Date().addingTimeInterval(-86_400)) == ["edited": 1])
        #expect(harness.slack.server.requests.filter { $0.path == FakeSlack.updatePath }.count == 3)
        #expect(harness.slack.messages.count == 1)
    }

    @Test func aCrashBetweenTheEditAndItsRecordMeansTheNextRunEditsAgainAndNeverPosts() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        world.move(to: now.addingTimeInterval(15 * 60))
        try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: now.addingTimeInterval(60))

        // The edit reaches Slack, then its record is lost (the transaction holding it rolls back).
        struct Crash: Error {}
        let edited = try await offloaded { [harness, now] () throws -> Int in
            let connection = try harness.connect()
            var edited = 0
            do {
                try connection.transaction {
                    edited = try ReminderEditPass(
                        ledger: MessageLedger(connection: connection), slack: harness.slackClient(), logger: Logger(label: "test"),
                        records: OutcomeRecords(logger: Logger(label: "test")), now: now.addingTimeInterval(60)).run().edited
                    throw Crash()
                }
            } catch is Crash {}
            return edited
        }
        #expect(edited == 1)
        #expect(harness.slack.updates.count == 1)

        try await harness.run(now: now.addingTimeInterval(120))
        #expect(harness.slack.updates.count == 2, "edited again: harmless")
        #expect(harness.slack.updates[0].body == harness.slack.updates[1].body)
        #expect(harness.slack.messages.count == 1, "never posted")
        try await harness.run(now: now.addingTimeInterval(180))
        #expect(harness.slack.updates.count == 2)
    }

    @Test func anAuthErrorOnAnEditFailsTheRun() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        world.move(to: now.addingTimeInterval(15 * 60))
        harness.slack.server.inject(SlackFixtures.apiError("token_revoked"), path: FakeSlack.updatePath)
        let failure = await harness.failedRun(now: now.addingTimeInterval(60))
        #expect(failure != nil)
        #expect(try ledgerRow(harness, user: Self.ianSlack)["edit_state"].decode(String?.self) == "pending", "tried again once fixed")
    }

    // MARK: Budget, backfill, dry run

    /// The engine bounds edits by the run budget: here each edit costs 200 s of elapsed time, so the
    /// data deadline (180 s of the default 240 s) stops the step after one; the other waits.
    @Test func theRunBudgetBoundsTheEditsOfOneRun() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let first = World(harness, startsIn: 10, interviewers: [ian])
        let second = World(harness, startsIn: 12, interviewers: [ada])
        try await harness.run(now: now)
        first.move(to: now.addingTimeInterval(15 * 60))
        second.move(to: now.addingTimeInterval(17 * 60))
        let slack = harness.slack
        let clock = RunClock(now: { [now] in now.addingTimeInterval(60) }, elapsed: { .seconds(200 * slack.updates.count) })
        let (_, summary) = try await harness.run(now: now.addingTimeInterval(60), clock: clock)
        #expect(summary.edits.edited == 1 && summary.edits.pending == 1)
        let (_, next) = try await harness.run(now: now.addingTimeInterval(120))
        #expect(next.edits.edited == 1)
        #expect(harness.slack.updates.count == 2)
    }

    @Test func editsStopAtTheBudgetOldestChangeFirstAndTheRestWaitForTheNextRun() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let first = World(harness, startsIn: 10, interviewers: [ian])
        let second = World(harness, startsIn: 12, interviewers: [ada])
        try await harness.run(now: now)
        #expect(harness.slack.messages.count == 2)
        // Ada's interview changes first, Ian's later (each pulled without the edit step).
        second.move(to: now.addingTimeInterval(17 * 60))
        try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: now.addingTimeInterval(30))
        first.move(to: now.addingTimeInterval(15 * 60))
        try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: now.addingTimeInterval(60))

        let counts = try await offloaded { [harness, now] in
            var checks = 0
            return try ReminderEditPass(
                ledger: MessageLedger(connection: try harness.connect()), slack: harness.slackClient(), logger: Logger(label: "test"),
                records: OutcomeRecords(logger: Logger(label: "test")), now: now.addingTimeInterval(60),
                shouldStop: { checks += 1; return checks > 1 }).run()
        }
        #expect(counts.edited == 1 && counts.pending == 1)
        #expect(harness.slack.updates.map(\.channel) == ["D\(Self.adaSlack)"], "oldest change first")
        let (_, next) = try await harness.run(now: now.addingTimeInterval(120))
        #expect(next.edits.edited == 1)
        #expect(harness.slack.updates.map(\.channel) == ["D\(Self.adaSlack)", "D\(Self.ianSlack)"])
    }

    @Test func remindersFromBeforeTheLedgerAreAdoptedThenEditedWhenTheyChange() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        // What migration 005 leaves for a reminder sent by version 4.
        try harness.connect().execute("UPDATE slack_messages SET fingerprint = NULL, candidate_name = NULL, job_title = NULL, candidate_profile_url = NULL")
        let (_, adopted) = try await harness.run(now: now.addingTimeInterval(60))
        #expect(adopted.edits.adopted == 1 && adopted.edits.edited == 0)
        #expect(harness.slack.updates.isEmpty, "facts unchanged: adopted without a call")
        #expect(try ledgerRow(harness, user: Self.ianSlack)["fingerprint"].decode(String?.self) != nil)

        _ = harness.ashby.modifySchedule(id: world.schedule) { $0["status"] = "Cancelled" }
        try await harness.run(now: now.addingTimeInterval(120))
        #expect(harness.slack.updates.count == 1)
    }

    @Test func interviewsAlreadyOverAreNeverEdited() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        _ = harness.ashby.modifySchedule(id: world.schedule) { $0["status"] = "Cancelled" }
        try await harness.run(SyncRequest(kind: .backfill), now: now.addingTimeInterval(3 * 3600))
        #expect(harness.slack.updates.isEmpty)
        #expect(harness.slack.messages.count == 1)
    }

    @Test func aDryRunPrintsTheEditsAndMakesNone() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        _ = harness.ashby.modifySchedule(id: world.schedule) { $0["status"] = "Cancelled" }
        try await harness.run(SyncRequest(kind: .sync, dryRun: true), now: now.addingTimeInterval(60))
        #expect(harness.slack.updates.isEmpty)
        #expect(harness.reports.contains { $0.hasPrefix("would edit DM to \(Self.ianSlack) (cancelled)") })
        try await harness.run(now: now.addingTimeInterval(120))
        #expect(harness.slack.updates.count == 1, "the real run still edits")
    }

    /// Prints one edited DM's JSON as FakeSlack received it (for the note).
    @Test func printsAnEditedDMAsFakeSlackReceivedIt() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian, ada])
        try await harness.run(now: now)
        world.move(to: now.addingTimeInterval(15 * 60))
        try await harness.run(now: now.addingTimeInterval(60))
        let edit = try #require(harness.slack.updates(to: Self.ianSlack).first)
        let pretty = try JSONSerialization.data(withJSONObject: try #require(edit.json()), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        print("EDITED_DM_JSON_BEGIN\n\(String(decoding: pretty, as: UTF8.self))\nEDITED_DM_JSON_END")
    }
}

extension SyncHarness {
    /// A Slack client for the fake workspace, for driving one step directly (no retries waits worth noting).
    func slackClient() -> SlackClient {
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let http = HTTPClientConfiguration(
            connectTimeout: .seconds(2), requestTimeout: .seconds(5),
            retry: RetryPolicy(maxAttempts: 1, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1), maxRetryAfter: .zero))
        return SlackClient(baseURL: slack.baseURL, botToken: Self.botToken, http: HTTPClient(configuration: http, logger: logger), logger: logger)
    }
}
