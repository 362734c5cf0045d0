import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// SPEC §3 steps 1–4 and 7 against a real PostgreSQL and a fake Ashby speaking the real wire format.
@Suite(.timeLimit(.minutes(3))) struct AshbySyncTests {
    /// A tenant big enough for two or more pages of every resource at page size 2.
    struct Tenant {
        var interviewIDs: [String] = []
        var scheduleIDs: [String] = []
        var eventIDs: [[String]] = []
        let interviewer = AshbyFixtures.interviewer(email: "Ian@Example.com")
        let secondInterviewer = AshbyFixtures.interviewer(email: "ada@example.com", firstName: "Ada")

        init(_ ashby: FakeAshby, schedules: Int = 5, start: Date = Date().addingTimeInterval(86_400)) {
            for index in 0..<3 {
                let form = AshbyFixtures.form(title: "Form \(index)")
                ashby.upsertForm(form)
                let interview = AshbyFixtures.interview(title: "Interview \(index)", feedbackFormDefinitionId: form["id"]!.stringValue!)
                ashby.upsertInterview(interview)
                interviewIDs.append(interview["id"]!.stringValue!)
            }
            for index in 0..<schedules {
                let events = (0..<2).map { slot in
                    AshbyFixtures.event(
                        interviewId: interviewIDs[(index + slot) % interviewIDs.count],
                        start: start.addingTimeInterval(Double(index * 7200 + slot * 3600)),
                        interviewers: slot == 0 ? [interviewer, secondInterviewer] : [interviewer])
                }
                let schedule = AshbyFixtures.schedule(events: events)
                ashby.upsertSchedule(schedule)
                scheduleIDs.append(schedule["id"]!.stringValue!)
                eventIDs.append(events.map { $0["id"]!.stringValue! })
            }
        }
    }

    let noReminders = SyncRequest(kind: .sync, sendReminders: false)

    @Test func firstSyncStoresEverythingAcrossPages() async throws {
        let harness = try await SyncHarness.start(pageSize: 2)
        defer { Task { await harness.stop() } }
        let tenant = Tenant(harness.ashby)

        let (outcome, summary) = try await harness.run(noReminders)
        #expect(outcome == .succeeded)
        #expect(try harness.count("feedback_form_definitions") == 3)
        #expect(try harness.count("interviews") == 3)
        #expect(try harness.count("interview_schedules") == 5)
        #expect(try harness.count("interview_events") == 10)
        #expect(try harness.count("interview_assignments") == 15)
        #expect(summary.resources["interview_schedules"]?.inserted == 5)
        #expect(summary.resources["interview_assignments"]?.inserted == 15)
        // 3 schedule pages, 2 form pages, 2 interview pages.
        #expect(harness.ashby.requestCount(path: "/interviewSchedule.list") == 3)
        #expect(harness.ashby.requestCount(path: "/feedbackFormDefinition.list") == 2)
        // One audit row per schedule (with its id) plus one per form/interview page.
        #expect(try harness.count("ashby_webhook_payloads", where: "action = 'interviewSchedule.list' AND schedule_id IS NOT NULL") == 5)
        #expect(try harness.count("ashby_webhook_payloads", where: "action = 'feedbackFormDefinition.list'") == 2)
        let audited = try harness.connect().query(
            "SELECT payload->>'id' FROM ashby_webhook_payloads WHERE schedule_id = $1", [tenant.scheduleIDs[0]]).rows
        #expect(try audited.map { try $0[0].decode(String.self) } == [tenant.scheduleIDs[0]])
        #expect(try harness.syncToken("interview_schedules") != nil)
        let run = try harness.connect().query("SELECT outcome, command, finished_at IS NOT NULL, counts->'resources'->'interview_events'->>'inserted' FROM sync_runs").rows
        #expect(run.count == 1)
        #expect(try run[0][0].decode(String.self) == "succeeded")
        #expect(try run[0][3].decode(String.self) == "10")
    }

    @Test func unchangedDataRewritesNoDomainRow() async throws {
        let harness = try await SyncHarness.start(pageSize: 2)
        defer { Task { await harness.stop() } }
        _ = Tenant(harness.ashby)
        try await harness.run(noReminders)
        let before = try harness.rowVersions()

        let (_, incremental) = try await harness.run(noReminders)
        #expect(incremental.resources["interview_schedules"]?.fetched == 0, "incremental pass: nothing changed")
        let (_, backfill) = try await harness.run(SyncRequest(kind: .backfill, sendReminders: false))
        #expect(backfill.resources["interview_schedules"]?.fetched == 5)
        #expect(backfill.resources.values.allSatisfy { $0.written == 0 })
        #expect(try harness.rowVersions() == before, "no domain row rewritten by an unchanged backfill")
    }

    @Test func editRewritesOnlyWhatChanged() async throws {
        let harness = try await SyncHarness.start(pageSize: 2)
        defer { Task { await harness.stop() } }
        let tenant = Tenant(harness.ashby)
        try await harness.run(noReminders)
        let before = try harness.rowVersions()

        // Move the second event of the first schedule by 30 minutes.
        let moved = tenant.eventIDs[0][1]
        _ = harness.ashby.modifySchedule(id: tenant.scheduleIDs[0]) { schedule in
            var events = schedule["interviewEvents"]!.arrayValue!
            events[1]["startTime"] = .string(AshbyFixtures.timestamp(Date().addingTimeInterval(200_000)))
            schedule["interviewEvents"] = .array(events)
        }
        let (_, summary) = try await harness.run(noReminders)
        #expect(summary.resources["interview_events"] == counts(fetched: 2, updated: 1, unchanged: 1))
        #expect(summary.resources["interview_schedules"]?.written == 0)
        let after = try harness.rowVersions()
        let changed = Set(after.keys.filter { after[$0] != before[$0] })
        #expect(changed == ["interview_events:\(moved)"])
    }

    @Test func interviewerAddedAndRemoved() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let tenant = Tenant(harness.ashby, schedules: 1)
        try await harness.run(noReminders)
        let newcomer = AshbyFixtures.interviewer(email: "new@example.com")
        _ = harness.ashby.modifySchedule(id: tenant.scheduleIDs[0]) { schedule in
            var events = schedule["interviewEvents"]!.arrayValue!
            events[0]["interviewers"] = .array([tenant.interviewer, newcomer])   // Ada out, newcomer in
            schedule["interviewEvents"] = .array(events)
        }
        let (_, summary) = try await harness.run(noReminders)
        #expect(summary.resources["interview_assignments"] == counts(fetched: 3, inserted: 1, deleted: 1, unchanged: 2))
        let emails = try harness.connect().query(
            "SELECT email FROM interview_assignments WHERE event_id = $1 ORDER BY email", [tenant.eventIDs[0][0]]).rows
        #expect(try emails.map { try $0[0].decode(String.self) } == ["Ian@Example.com", "new@example.com"])
    }

    @Test func removedEventIsMarkedRemovedAndCancellationRecorded() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let tenant = Tenant(harness.ashby, schedules: 2)
        try await harness.run(noReminders)
        _ = harness.ashby.removeEventFromSchedule(scheduleId: tenant.scheduleIDs[0], eventId: tenant.eventIDs[0][1])
        _ = harness.ashby.modifySchedule(id: tenant.scheduleIDs[1]) { $0["status"] = "Cancelled" }
        let (_, summary) = try await harness.run(noReminders)
        #expect(summary.resources["interview_events"]?.deleted == 1)
        #expect(try harness.count("interview_events", where: "event_id = '\(tenant.eventIDs[0][1])' AND removed_at IS NOT NULL") == 1)
        #expect(try harness.count("interview_events", where: "event_id = '\(tenant.eventIDs[0][0])' AND removed_at IS NULL") == 1)
        #expect(try harness.count("interview_schedules", where: "schedule_id = '\(tenant.scheduleIDs[1])' AND status = 'Cancelled'") == 1)
    }

    /// The original system deleted and re-inserted events on every update, which cascaded into the
    /// reminders table. Every kind of edit must leave reminder rows of surviving events alone.
    @Test func reminderRowsOfSurvivingEventsSurviveEveryEdit() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let tenant = Tenant(harness.ashby, schedules: 1)
        try await harness.run(noReminders)
        let kept = tenant.eventIDs[0][0], removed = tenant.eventIDs[0][1]
        try harness.connect().execute("""
            INSERT INTO feedback_reminders_sent (event_id, interviewer_id, slack_user_id, slack_channel_id, slack_message_ts, sent_at)
            SELECT event_id, interviewer_id, 'U1', 'D1', '1700000000.000100', now() FROM interview_assignments
            """)
        let reminders = try harness.count("feedback_reminders_sent")
        let edits: [(inout JSONValue) -> Void] = [
            { $0["status"] = "WaitingOnFeedback" },
            { schedule in var events = schedule["interviewEvents"]!.arrayValue!; events[0]["startTime"] = .string(AshbyFixtures.timestamp(Date().addingTimeInterval(90_000))); schedule["interviewEvents"] = .array(events) },
            { schedule in var events = schedule["interviewEvents"]!.arrayValue!; events[0]["location"] = "Room 42"; events[0]["interviewers"] = .array([tenant.interviewer, tenant.secondInterviewer, AshbyFixtures.interviewer(email: "x@example.com")]); schedule["interviewEvents"] = .array(events) },
            { $0["updatedAt"] = .string(AshbyFixtures.timestamp(Date())) },
        ]
        for edit in edits {
            _ = harness.ashby.modifySchedule(id: tenant.scheduleIDs[0], edit)
            try await harness.run(noReminders)
            #expect(try harness.count("feedback_reminders_sent") == reminders)
        }
        _ = harness.ashby.removeEventFromSchedule(scheduleId: tenant.scheduleIDs[0], eventId: removed)
        try await harness.run(noReminders)
        #expect(try harness.count("feedback_reminders_sent", where: "event_id = '\(kept)'") == 2, "the surviving event keeps its reminders")
        #expect(try harness.count("feedback_reminders_sent", where: "event_id = '\(removed)'") == 1, "a removed event keeps its history")
    }

    /// An event moving to a schedule on a later page is first missing from its old schedule: it must
    /// keep its reminder and draft rows (the shared app's drafts) through the move.
    /// An event moving to the schedule of the page before, while both pages are written at once: the
    /// later page read the event under its own schedule (the page before had not committed) and would
    /// mark it removed; it stays, under its new schedule. The page before's write of it is held half a
    /// second so the later page surely reads first.
    @Test func eventMovingToAScheduleOnTheEarlierPageStaysThere() async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        let tenant = Tenant(harness.ashby, schedules: 2)
        try await harness.run(noReminders)
        let moved = tenant.eventIDs[1][1]
        try harness.connect().executeScript("""
            CREATE FUNCTION hold_move() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_sleep(0.5); RETURN NEW; END $$;
            CREATE TRIGGER hold_move BEFORE UPDATE ON interview_events FOR EACH ROW
            WHEN (NEW.event_id = '\(moved)' AND NEW.schedule_id = '\(tenant.scheduleIDs[0])') EXECUTE FUNCTION hold_move();
            """)
        try move(event: 1, from: tenant.scheduleIDs[1], to: tenant.scheduleIDs[0], in: harness.ashby)
        let (outcome, _) = try await harness.run(noReminders)
        #expect(outcome == .succeeded)
        #expect(try harness.count("interview_events", where: "event_id = '\(moved)' AND schedule_id = '\(tenant.scheduleIDs[0])' AND removed_at IS NULL") == 1)
    }

    /// Moves the schedule's `index`th event to another schedule in Ashby, as a reschedule can.
    private func move(event index: Int, from source: String, to target: String, in ashby: FakeAshby) throws {
        let event = try #require(ashby.schedule(id: source)?["interviewEvents"]?.arrayValue?[index])
        _ = ashby.removeEventFromSchedule(scheduleId: source, eventId: event["id"]!.stringValue!)
        _ = ashby.modifySchedule(id: target) { schedule in
            var moved = event
            moved["interviewScheduleId"] = .string(target)
            schedule["interviewEvents"] = .array(schedule["interviewEvents"]!.arrayValue! + [moved])
        }
    }

    @Test func eventMovingToAScheduleOnALaterPageKeepsItsRemindersAndDrafts() async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        let tenant = Tenant(harness.ashby, schedules: 2)
        try await harness.run(noReminders)
        let moved = tenant.eventIDs[0][1]
        try harness.connect().execute("""
            INSERT INTO feedback_reminders_sent (event_id, interviewer_id, slack_user_id, slack_channel_id, slack_message_ts, sent_at)
            SELECT event_id, interviewer_id, 'U1', 'D1', '1700000000.000100', now() FROM interview_assignments WHERE event_id = $1
            """, [moved])
        try harness.connect().execute("""
            INSERT INTO feedback_drafts (event_id, interviewer_id, form_values)
            SELECT event_id, interviewer_id, '{"notes":"half written"}' FROM interview_assignments WHERE event_id = $1
            """, [moved])
        try move(event: 1, from: tenant.scheduleIDs[0], to: tenant.scheduleIDs[1], in: harness.ashby)
        try await harness.run(noReminders)
        #expect(try harness.count("interview_events", where: "event_id = '\(moved)' AND schedule_id = '\(tenant.scheduleIDs[1])' AND removed_at IS NULL") == 1)
        #expect(try harness.count("feedback_reminders_sent", where: "event_id = '\(moved)'") == 1, "reminder history kept")
        #expect(try harness.count("feedback_drafts", where: "event_id = '\(moved)'") == 1, "draft kept")
    }

    @Test(arguments: ["sync_token_expired", "sync_token_invalid", "incremental_sync_too_large", "next_cursor_expired", "invalid_next_cursor"])
    func expiryFallsBackToAFullPass(code: String) async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let tenant = Tenant(harness.ashby)
        try await harness.run(noReminders)
        let firstToken = try harness.syncToken("interview_schedules")
        _ = harness.ashby.modifySchedule(id: tenant.scheduleIDs[4]) { $0["status"] = "Complete" }
        if code.contains("cursor") {
            harness.ashby.pageSize = 1   // an incremental pass of 1 change must page to hit a cursor; use a full backfill
            harness.ashby.expireCursors(code: code)
            let (_, summary) = try await harness.run(SyncRequest(kind: .backfill, sendReminders: false))
            #expect(summary.resources["interview_schedules"]?.updated == 1)
        } else {
            harness.ashby.expireSyncTokens(code: code)
            let (_, summary) = try await harness.run(noReminders)
            #expect(summary.resources["interview_schedules"]?.fetched == 5, "a full pass after \(code)")
            #expect(summary.resources["interview_schedules"]?.updated == 1)
            #expect(harness.logs.contains(code))
        }
        #expect(try harness.syncToken("interview_schedules") != firstToken)
        #expect(try harness.count("interview_schedules", where: "status = 'Complete'") == 1)
    }

    @Test func transientFaultsAreRetried() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        _ = Tenant(harness.ashby)
        let path = "/interviewSchedule.list"
        harness.ashby.server.inject(.status(429, headers: ["Retry-After": "1"], body: Data(#"{"success":false,"errors":["rate_limit_exceeded"]}"#.utf8)), path: path)
        harness.ashby.server.inject(.status(503), path: path)
        harness.ashby.server.inject(.delay(.seconds(3)), path: path)
        harness.ashby.server.inject(.closeMidBody, path: path)
        let started = Date()
        let (outcome, _) = try await harness.run(noReminders, requestTimeout: .seconds(1))
        #expect(outcome == .succeeded)
        #expect(Date().timeIntervalSince(started) >= 1, "Retry-After honoured")
        #expect(try harness.count("interview_schedules") == 5)
    }

    @Test func malformedPageFailsCleanlyAndTheNextRunRecovers() async throws {
        let harness = try await SyncHarness.start(pageSize: 2)
        defer { Task { await harness.stop() } }
        let tenant = Tenant(harness.ashby)
        try await harness.run(noReminders)
        let token = try harness.syncToken("interview_schedules")
        for id in tenant.scheduleIDs { _ = harness.ashby.modifySchedule(id: id) { $0["status"] = "Complete" } }
        // Page 1 is fine (a zero delay only uses up the first slot), page 2 arrives malformed.
        harness.ashby.server.inject(.delay(.zero), path: "/interviewSchedule.list")
        harness.ashby.server.inject(.malformedJSON, path: "/interviewSchedule.list")
        let failure = try #require(await harness.failedRun(noReminders))
        #expect(failure.status == .failure)
        #expect(!failure.description.contains("\n"), "one line: \(failure.description)")
        #expect(failure.description.contains("interviewSchedule.list"))
        #expect(try harness.syncToken("interview_schedules") == token, "token unchanged")
        #expect(try harness.count("interview_schedules") == 5, "committed data intact")
        #expect(try harness.count("interview_schedules", where: "status = 'Complete'") == 2, "page 1 was committed before page 2 failed")
        let failed = try harness.connect().query("SELECT outcome, error FROM sync_runs ORDER BY started_at DESC LIMIT 1").rows[0]
        #expect(try failed[0].decode(String.self) == "failed")
        #expect(try failed[1].decode(String?.self)?.contains("interviewSchedule.list") == true)

        let (outcome, _) = try await harness.run(noReminders)
        #expect(outcome == .succeeded)
        #expect(try harness.count("interview_schedules", where: "status = 'Complete'") == 5)
    }

    @Test func unknownStatusIsStoredAsIs() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let interview = AshbyFixtures.interview()
        harness.ashby.upsertInterview(interview)
        harness.ashby.upsertSchedule(AshbyFixtures.schedule(status: "PendingTimeTravel", events: [
            AshbyFixtures.event(interviewId: interview["id"]!.stringValue!, start: Date()),
        ]))
        try await harness.run(noReminders)
        #expect(try harness.count("interview_schedules", where: "status = 'PendingTimeTravel'") == 1)
    }

    @Test func unknownInterviewIsFetchedBeforeItsEvent() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let hidden = AshbyFixtures.interview(title: "Hidden interview")
        harness.ashby.upsertInterview(hidden)
        try await harness.run(noReminders)   // interviews pulled now; the next pass is hours away
        let late = AshbyFixtures.interview(title: "Created later")
        harness.ashby.upsertInterview(late)
        harness.ashby.upsertSchedule(AshbyFixtures.schedule(events: [
            AshbyFixtures.event(interviewId: late["id"]!.stringValue!, start: Date()),
        ]))
        try await harness.run(noReminders)
        #expect(harness.ashby.requestCount(path: "/interview.info") == 1)
        #expect(try harness.count("interviews", where: "title = 'Created later'") == 1)
        #expect(try harness.count("interview_events") == 1)
    }

    /// Pages written at once: the page that describes a new interview is committed before a page whose
    /// events point at it is written (else its foreign key would see no interview).
    @Test func anInterviewDescribedOnOnePageIsThereForTheNextPages() async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        try await harness.run(noReminders)   // interviews pulled now; the next pass is hours away
        let late = AshbyFixtures.interview(title: "Created later")
        harness.ashby.upsertInterview(late)
        for hour in 1...4 {
            harness.ashby.upsertSchedule(AshbyFixtures.schedule(events: [
                AshbyFixtures.event(interviewId: late["id"]!.stringValue!, start: Date().addingTimeInterval(Double(hour) * 3600)),
            ]))
        }
        let (outcome, _) = try await harness.run(noReminders)
        #expect(outcome == .succeeded)
        #expect(harness.ashby.requestCount(path: "/interview.info") == 1, "described once, for the first page")
        #expect(try harness.count("interview_events") == 4)
    }

    @Test func cadenceSkipsResourcesNotDue() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        _ = Tenant(harness.ashby, schedules: 1)
        let now = Date()
        try await harness.run(noReminders, now: now)
        try await harness.run(noReminders, now: now.addingTimeInterval(60))
        #expect(harness.ashby.requestCount(path: "/interview.list") == 2, "one pass of 2 pages, not repeated within 360 minutes")
        #expect(harness.ashby.requestCount(path: "/interviewSchedule.list") == 2, "schedules every run")
        try await harness.run(noReminders, now: now.addingTimeInterval(361 * 60))
        #expect(harness.ashby.requestCount(path: "/interview.list") == 3, "due again: one incremental page")
    }

    @Test func dryRunWritesNothing() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        _ = Tenant(harness.ashby)
        let (_, summary) = try await harness.run(SyncRequest(kind: .sync, dryRun: true, sendReminders: false))
        #expect(summary.resources["interview_schedules"]?.inserted == 5)
        for table in ["interview_schedules", "interviews", "ashby_webhook_payloads", "sync_state", "sync_pass_checkpoints", "sync_runs"] {
            #expect(try harness.count(table) == 0, "\(table) untouched")
        }
        #expect(harness.reports.contains { $0.hasPrefix("would write interview_schedules: 5 inserted") })
    }

    @Test func auditRowsPastRetentionArePruned() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        try harness.connect().execute("""
            INSERT INTO ashby_webhook_payloads (action, payload, received_at) VALUES
              ('interview.list', '{}', now() - interval '10 days'), ('interview.list', '{}', now() - interval '1 day')
            """)
        let (_, summary) = try await harness.run(noReminders, settings: ["AUDIT_RETENTION_DAYS": "7"])
        #expect(summary.auditRowsPruned == 1)
        #expect(try harness.count("ashby_webhook_payloads", where: "received_at < now() - interval '7 days'") == 0)
    }

    @Test func apiKeyNeverAppearsInLogsOrDatabase() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        _ = Tenant(harness.ashby)
        harness.ashby.server.inject(.status(503), path: "/interviewSchedule.list")
        try await harness.run(noReminders)
        let encoded = Data("\(SyncHarness.apiKey):".utf8).base64EncodedString()
        #expect(!harness.logs.isEmpty)
        #expect(!harness.logs.contains(SyncHarness.apiKey))
        #expect(!harness.logs.contains(encoded))
        let dump = try harness.connect().query("SELECT string_agg(payload::text, '') FROM ashby_webhook_payloads").rows[0][0].decode(String?.self) ?? ""
        #expect(!dump.contains(SyncHarness.apiKey))
    }

    private func counts(fetched: Int, inserted: Int = 0, updated: Int = 0, deleted: Int = 0, unchanged: Int = 0) -> TableCounts {
        var counts = TableCounts()
        counts.fetched = fetched
        counts.inserted = inserted
        counts.updated = updated
        counts.deleted = deleted
        counts.unchanged = unchanged
        return counts
    }
}

extension AshbySyncTests {
    @Test func backfillSinceFetchesOnlyNewerSchedulesAndKeepsTheToken() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        _ = Tenant(harness.ashby, schedules: 2)   // created at the fixtures' reference date (2024-10-01)
        try await harness.run(noReminders)
        let token = try harness.syncToken("interview_schedules")
        var recent = AshbyFixtures.schedule(events: [])
        recent["createdAt"] = .string(AshbyFixtures.timestamp(Date()))
        harness.ashby.upsertSchedule(recent)

        let since = Date().addingTimeInterval(-86_400)
        let (_, summary) = try await harness.run(SyncRequest(kind: .backfill, since: since, sendReminders: false))
        #expect(summary.resources["interview_schedules"]?.fetched == 1)
        #expect(summary.resources["interview_schedules"]?.inserted == 1)
        let body = try #require(harness.ashby.requestBodies(path: "/interviewSchedule.list").last)
        #expect(body["createdAfter"] != nil && body["syncToken"] == nil)
        #expect(try harness.syncToken("interview_schedules") == token, "a filtered pass does not replace the token")
    }
}

extension AshbySyncTests {
    /// PostgreSQL text and jsonb cannot hold U+0000; one such character must not stall the job.
    @Test func aNULCharacterIsStoredAsAReplacementCharacter() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let interview = AshbyFixtures.interview()
        harness.ashby.upsertInterview(interview)
        var schedule = AshbyFixtures.schedule(events: [AshbyFixtures.event(interviewId: interview["id"]!.stringValue!, start: Date())])
        var events = schedule["interviewEvents"]!.arrayValue!
        events[0]["location"] = .string("Room\u{0}42")
        schedule["interviewEvents"] = .array(events)
        harness.ashby.upsertSchedule(schedule)
        let (outcome, _) = try await harness.run(noReminders)
        #expect(outcome == .succeeded)
        #expect(try harness.count("interview_events", where: "location = 'Room\u{FFFD}42'") == 1)
        #expect(try harness.count("ashby_webhook_payloads", where: "payload->'interviewEvents'->0->>'location' = 'Room\u{FFFD}42'") == 1)
    }

    @Test func aPlaceholderInterviewIsDescribedOnTheNextInterviewsPass() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let missing = AshbyFixtures.id()   // Ashby cannot describe it yet: interview.info answers an error
        harness.ashby.upsertSchedule(AshbyFixtures.schedule(events: [AshbyFixtures.event(interviewId: missing, start: Date())]))
        let now = Date()
        try await harness.run(noReminders, now: now)
        #expect(try harness.count("interviews", where: "interview_id = '\(missing)' AND title IS NULL") == 1)
        #expect(try harness.count("interview_events") == 1)
        // Ashby learns the interview, but without changing it again: an incremental interview.list won't
        // return it once its change has been seen, so only interview.info can fill the placeholder.
        harness.ashby.upsertInterview(AshbyFixtures.interview(id: missing, title: "Finally known"))
        try await harness.run(noReminders, now: now.addingTimeInterval(361 * 60))
        try harness.connect().execute("UPDATE interviews SET title = NULL WHERE interview_id = $1", [missing])
        let infoCalls = harness.ashby.requestCount(path: "/interview.info")
        try await harness.run(noReminders, now: now.addingTimeInterval(722 * 60))
        #expect(harness.ashby.requestCount(path: "/interview.info") == infoCalls + 1)
        #expect(try harness.count("interviews", where: "interview_id = '\(missing)' AND title = 'Finally known'") == 1)
    }

    @Test func aFilteredBackfillIsNotRecordedAsAFullPass() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        _ = Tenant(harness.ashby, schedules: 1)
        try await harness.run(noReminders)
        let before = try harness.connect().query("SELECT last_full_pass_at FROM sync_state WHERE resource = 'interview_schedules'").rows[0][0].decode(Date?.self)
        try await harness.run(SyncRequest(kind: .backfill, since: Date(), sendReminders: false))
        let after = try harness.connect().query("SELECT last_full_pass_at FROM sync_state WHERE resource = 'interview_schedules'").rows[0][0].decode(Date?.self)
        #expect(before == after)
    }
}
