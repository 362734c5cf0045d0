import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 11: submitted feedback as a synced resource. Who submitted is stored per interviewer
/// (`submittedByUser`); what they answered is stored nowhere; a key without `candidatesRead`
/// costs no reminder. Real PostgreSQL and FakeAshby's applicationFeedback.list.
@Suite(.timeLimit(.minutes(3)))
struct SubmissionPullTests {
    let now = Date(timeIntervalSince1970: 1_799_762_400)
    let ian = AshbyFixtures.interviewer(email: "ian@example.com", firstName: "Ian", lastName: "Interviewer")
    let ada = AshbyFixtures.interviewer(email: "ada@example.com", firstName: "Ada", lastName: "Lovelace")
    let noReminders = SyncRequest(kind: .sync, sendReminders: false)

    @Test func submissionsAreStoredPerInterviewerAndTheAnswersNowhere() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let event = AshbyFixtures.id(), application = AshbyFixtures.id()
        let secret = "SECRET-ANSWER-strong-hire-because-4711"
        let coordinator = AshbyFixtures.interviewer(email: "coord@example.com", firstName: "Coordinator")
        var forIan = AshbyFixtures.feedback(
            applicationId: application, eventId: event, submittedBy: ian,
            submittedAt: now, submittedValues: ["overall_recommendation": "strong_hire", "notes": .string(secret)])
        // Not in Ashby's reference for a feedback (only in a connector's hand-written mock): never read.
        forIan["creditedToUser"] = coordinator
        let outsideInterview = AshbyFixtures.feedback(
            applicationId: application, eventId: nil, submittedBy: ada, submittedValues: ["notes": .string(secret + "-2")])
        harness.ashby.upsertFeedback(forIan)
        harness.ashby.upsertFeedback(outsideInterview)
        let (_, summary) = try await harness.run(noReminders, now: now)
        #expect(summary.resources[Resource.submissions]?.inserted == 2)

        let rows = try harness.connect().query(
            "SELECT feedback_id::text, event_id::text, interviewer_id::text, submitted_at FROM feedback_submissions ORDER BY event_id NULLS LAST").rows
        #expect(rows.count == 2)
        #expect(try rows[0]["event_id"].decode(String?.self) == event)
        #expect(try rows[0]["interviewer_id"].decode(String?.self) == ian["id"]!.stringValue!, "the submitter, never a creditedToUser")
        #expect(try rows[0]["submitted_at"].decode(Date?.self) == now)
        #expect(try rows[1]["event_id"].decode(String?.self) == nil, "feedback outside an interview is stored, matching no event")

        let audit = try harness.connect().query(
            "SELECT payload::text FROM ashby_webhook_payloads WHERE action = 'applicationFeedback.list'").rows
        #expect(audit.count == 1, "one audit row per page")
        let page = try audit[0][0].decode(String.self)
        #expect(page.contains(AnswerRedaction.marker))
        #expect(!page.contains(secret) && !page.contains("strong_hire"))

        let dump = try Subprocess.run("pg_dump", ["--data-only", "--no-owner", harness.database.url])
        #expect(dump.status == 0, "\(dump.stderr)")
        #expect(dump.stdout.contains(forIan["id"]!.stringValue!), "the dump holds the submission")
        #expect(!dump.stdout.contains(secret), "and no answer")
        #expect(!harness.logs.contains(secret))

        // The next run is incremental, with the stored token.
        try await harness.run(noReminders, now: now.addingTimeInterval(300))
        #expect(harness.ashby.requestBodies(path: "applicationFeedback.list").last?["syncToken"] != nil)
    }

    @Test(arguments: ["sync_token_expired", "sync_token_invalid", "incremental_sync_too_large"])
    func everyExpiryCodeFallsBackToAFullPass(code: String) async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        harness.ashby.upsertFeedback(AshbyFixtures.feedback(eventId: AshbyFixtures.id(), submittedBy: ian))
        try await harness.run(noReminders, now: now)
        let firstToken = try harness.syncToken(Resource.submissions)
        harness.ashby.expireSyncTokens(code: code)
        harness.ashby.upsertFeedback(AshbyFixtures.feedback(eventId: AshbyFixtures.id(), submittedBy: ada))
        let (outcome, summary) = try await harness.run(noReminders, now: now.addingTimeInterval(300))
        #expect(outcome == .succeeded)
        #expect(summary.resources[Resource.submissions]?.fetched == 2, "a full pass after \(code)")
        #expect(try harness.syncToken(Resource.submissions) != firstToken)
        #expect(try harness.count("feedback_submissions") == 2)
    }

    @Test func aKeyWithoutCandidatesReadStillSendsRemindersAndStatusSaysWhy() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        harness.ashby.denyPermission(endpoint: "applicationFeedback.list")
        let interview = AshbyFixtures.interview(title: "System Design")
        harness.ashby.upsertInterview(interview)
        harness.slack.setUsers([SlackFixtures.human(id: "U01IAN0001", email: "ian@example.com")])
        harness.ashby.upsertSchedule(AshbyFixtures.schedule(events: [
            AshbyFixtures.event(interviewId: interview["id"]!.stringValue!, start: now.addingTimeInterval(600), interviewers: [ian]),
        ]))
        let (outcome, summary) = try await harness.run(now: now)
        #expect(outcome == .succeeded, "exit 0")
        #expect(summary.reminders.sent == 1, "the reminder still goes out")
        let warnings = harness.logs.split(separator: "\n").filter { $0.contains("resource_unavailable") }
        #expect(warnings.count == 1, "one warning per run")
        #expect(warnings.first?.contains("applicationFeedback.list") == true)
        #expect(warnings.first?.contains("candidatesRead") == true)
        #expect(!harness.logs.contains(SyncHarness.apiKey))

        let report = try StatusReport.read(try harness.connect(), runLimit: 5, maxAgeMinutes: 60, now: now)
        let resource = try #require(report.resources.first { $0.resource == Resource.submissions })
        #expect(resource.unavailableReason?.contains("candidatesRead") == true)
        #expect(resource.unavailableSince == now)
        #expect(report.healthy)

        // Once the permission is granted, the next run pulls and the reason is cleared.
        harness.ashby.grantPermission(endpoint: "applicationFeedback.list")
        try await harness.run(now: now.addingTimeInterval(300))
        let cleared = try StatusReport.read(try harness.connect(), runLimit: 5, maxAgeMinutes: 60, now: now)
        #expect(cleared.resources.first { $0.resource == Resource.submissions }?.unavailableReason == nil)
        #expect(try harness.syncToken(Resource.submissions) != nil)
    }

    @Test func theEventFlagCountsOnlyForSingleInterviewerEvents() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let interview = AshbyFixtures.interview(title: "System Design")
        harness.ashby.upsertInterview(interview)
        harness.slack.setUsers([
            SlackFixtures.human(id: "U01IAN0001", email: "ian@example.com"),
            SlackFixtures.human(id: "U01ADA0001", email: "ada@example.com"),
        ])
        let panel = AshbyFixtures.event(interviewId: interview["id"]!.stringValue!, start: now.addingTimeInterval(600), interviewers: [ian, ada])
        let solo = AshbyFixtures.event(interviewId: interview["id"]!.stringValue!, start: now.addingTimeInterval(600), interviewers: [ian])
        let panelSchedule = AshbyFixtures.schedule(events: [panel]), soloSchedule = AshbyFixtures.schedule(events: [solo])
        harness.ashby.upsertSchedule(panelSchedule)
        harness.ashby.upsertSchedule(soloSchedule)
        try await harness.run(now: now)
        #expect(try harness.count("feedback_reminders_sent", where: "status = 'sent'") == 3)
        for schedule in [panelSchedule, soloSchedule] {
            harness.ashby.modifySchedule(id: schedule["id"]!.stringValue!) { value in
                var events = value["interviewEvents"]!.arrayValue!
                events[0]["hasSubmittedFeedback"] = true
                value["interviewEvents"] = .array(events)
            }
        }
        try await harness.run(now: now.addingTimeInterval(2 * 3600))
        #expect(try harness.count("feedback_reminders_sent", where: "submitted_at IS NOT NULL") == 1, "only the solo interviewer")
        #expect(try harness.count("feedback_reminders_sent", where: "submitted_at IS NOT NULL AND event_id = '\(solo["id"]!.stringValue!)'") == 1)
    }
}
