import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 18, item 2: when what became of one DM cannot be recorded, the other DMs of the run still go
/// out; the failure is logged (`record_failed`, ids only), the DM keeps its claim so no run sends it
/// again, and the run ends non-zero. The failure is a trigger, made in the test's throwaway database,
/// that refuses one row of the ledger.
@Suite(.timeLimit(.minutes(3))) struct RecordFailureTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let ianSlack = "U01IAN0001", adaSlack = "U01ADA0001"
    let ian = AshbyFixtures.interviewer(email: "ian@example.com", firstName: "Ian")
    let ada = AshbyFixtures.interviewer(email: "ada@example.com", firstName: "Ada")

    /// Makes every update of a `slack_messages` row matching `condition` (SQL over `NEW`) fail.
    func refuseLedgerUpdates(_ harness: SyncHarness, where condition: String) throws {
        try harness.connect().executeScript("""
            CREATE FUNCTION refuse_record() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF \(condition) THEN RAISE EXCEPTION 'record refused by the test'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_record BEFORE UPDATE ON slack_messages FOR EACH ROW EXECUTE FUNCTION refuse_record();
            """)
    }

    /// The `record_failed` log lines, decoded.
    func recordFailedLines(_ harness: SyncHarness) -> [(line: String, fields: [String: Any])] {
        harness.logs.split(separator: "\n").map(String.init).compactMap { line in
            guard let fields = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  fields["event"] as? String == "record_failed" else { return nil }
            return (line, fields)
        }
    }

    @Test func aReminderWhoseSendCannotBeRecordedKeepsItsClaimAndTheOthersGoOut() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let interview = AshbyFixtures.interview(title: "System Design")
        harness.ashby.upsertInterview(interview)
        let interviewID = interview["id"]!.stringValue!
        harness.slack.setUsers([
            SlackFixtures.human(id: Self.ianSlack, email: "ian@example.com"),
            SlackFixtures.human(id: Self.adaSlack, email: "ada@example.com"),
        ])
        let application = AshbyFixtures.id()
        harness.ashby.setApplication(AshbyFixtures.application(id: application, candidateName: "Casey Candidate"))
        var events: [String] = []
        for (minutes, interviewer) in [(8.0, ian), (10, ada), (12, ian)] {
            let event = AshbyFixtures.event(interviewId: interviewID, start: now.addingTimeInterval(minutes * 60), interviewers: [interviewer])
            harness.ashby.upsertSchedule(AshbyFixtures.schedule(applicationId: application, events: [event]))
            events.append(event["id"]!.stringValue!)
        }
        try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: now)
        try refuseLedgerUpdates(harness, where: "NEW.post_state = 'posted' AND NEW.event_id = '\(events[0])'")

        let failure = try #require(await harness.failedRun(now: now))
        #expect(failure.status != .unavailable && failure.description.contains("could not record"), "\(failure.description)")
        #expect(harness.slack.messages(to: Self.ianSlack).count == 2, "the first DM was posted, and the third")
        #expect(harness.slack.messages(to: Self.adaSlack).count == 1, "the DM after the failed record went out")
        #expect(try harness.count("feedback_reminders_sent", where: "status = 'sent'") == 2)
        #expect(try harness.count("feedback_reminders_sent", where: "status = 'claimed' AND event_id = '\(events[0])'") == 1,
                "the record rolled back as a whole: the claim stands")
        #expect(try harness.count("slack_messages", where: "post_state = 'claimed' AND event_id = '\(events[0])'") == 1)

        let lines = recordFailedLines(harness)
        try #require(lines.count == 1)
        #expect(lines[0].fields["event_id"] as? String == events[0])
        #expect(lines[0].fields["interviewer_id"] as? String == ian["id"]!.stringValue!)
        #expect(lines[0].fields["slack_user_id"] as? String == Self.ianSlack)
        #expect(lines[0].fields["message_id"] != nil && lines[0].fields["ts"] != nil && lines[0].fields["channel"] != nil)
        #expect(!lines[0].line.contains("Casey") && !lines[0].line.contains("System Design"), "ids, never the DM's text")

        // Even once the ledger takes records again, the claimed reminder is never sent a second time.
        try harness.connect().execute("DROP TRIGGER refuse_record ON slack_messages")
        let (outcome, _) = try await harness.run(now: now.addingTimeInterval(60))
        #expect(outcome == .succeeded)
        #expect(harness.slack.messages.count == 3)
    }

    @Test func aNudgeWhoseSendCannotBeRecordedKeepsItsClaimAndTheOthersGoOut() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let interview = AshbyFixtures.interview(title: "System Design")
        harness.ashby.upsertInterview(interview)
        harness.slack.setUsers([
            SlackFixtures.human(id: Self.ianSlack, email: "ian@example.com", tz: "Europe/London"),
            SlackFixtures.human(id: Self.adaSlack, email: "ada@example.com", tz: "Europe/London"),
        ])
        let tuesday = Date(timeIntervalSince1970: 1_799_762_400)   // 14:00 UTC, working hours in London
        let end = tuesday.addingTimeInterval(-2 * 3600)
        let application = AshbyFixtures.id()
        harness.ashby.setApplication(AshbyFixtures.application(id: application, candidateName: "Casey Candidate"))
        harness.ashby.upsertSchedule(AshbyFixtures.schedule(applicationId: application, events: [
            AshbyFixtures.event(interviewId: interview["id"]!.stringValue!, start: end.addingTimeInterval(-3600), end: end,
                                interviewers: [ada, ian]),
        ]))
        try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: tuesday)
        // Nudges go out by recipient id: Ada's first.
        try refuseLedgerUpdates(harness, where: "NEW.kind = 'nudge' AND NEW.post_state = 'posted' AND NEW.slack_user_id = '\(Self.adaSlack)'")

        let failure = try #require(await harness.failedRun(now: tuesday))
        #expect(failure.description.contains("could not record"), "\(failure.description)")
        #expect(harness.slack.messages(to: Self.adaSlack).count == 1, "posted, not recorded")
        #expect(harness.slack.messages(to: Self.ianSlack).count == 1, "the nudge after it went out")
        #expect(try harness.count("slack_messages", where: "kind = 'nudge' AND post_state = 'claimed' AND slack_user_id = '\(Self.adaSlack)'") == 1)
        #expect(try harness.count("slack_message_items") == 2, "the lines stay claimed")
        let lines = recordFailedLines(harness)
        try #require(lines.count == 1)
        #expect(lines[0].fields["slack_user_id"] as? String == Self.adaSlack)
        #expect(lines[0].fields["message_id"] != nil)
        #expect(!lines[0].line.contains("Casey"), "ids, never the DM's text")

        try harness.connect().execute("DROP TRIGGER refuse_record ON slack_messages")
        try await harness.run(now: tuesday.addingTimeInterval(600))
        #expect(harness.slack.messages(to: Self.adaSlack).count == 1, "never nudged twice")
    }

    @Test func aDigestWhoseSendCannotBeRecordedKeepsItsClaimAndTheOthersGoOut() async throws {
        let harness = try await SyncHarness.start(settings: ["FEEDBACK_NUDGE_MAX": "0"])
        defer { Task { await harness.stop() } }
        let rita = "U01RITA001", sam = "U01SAM0001"
        let tuesday = Date(timeIntervalSince1970: 1_800_352_800)   // 2027-01-19 10:00 UTC
        let interview = AshbyFixtures.interview(title: "System Design")
        harness.ashby.upsertInterview(interview)
        let application = AshbyFixtures.id()
        harness.ashby.setApplication(AshbyFixtures.application(id: application, candidateName: "Casey Candidate", hiringTeam: [
            AshbyFixtures.hiringTeamMember(email: "rita@example.com", role: "Recruiter"),
            AshbyFixtures.hiringTeamMember(email: "sam@example.com", firstName: "Sam", role: "Recruiter"),
        ]))
        harness.slack.setUsers([
            SlackFixtures.human(id: Self.ianSlack, email: "ian@example.com"),
            SlackFixtures.human(id: rita, email: "rita@example.com"),
            SlackFixtures.human(id: sam, email: "sam@example.com"),
        ])
        let end = tuesday.addingTimeInterval(-30 * 3600)
        harness.ashby.upsertSchedule(AshbyFixtures.schedule(applicationId: application, events: [
            AshbyFixtures.event(interviewId: interview["id"]!.stringValue!, start: end.addingTimeInterval(-3600), end: end, interviewers: [ian]),
        ]))
        try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: tuesday)
        // Digests go out in hiring-team order: Rita's first.
        try refuseLedgerUpdates(harness, where: "NEW.kind = 'digest' AND NEW.post_state = 'posted' AND NEW.slack_user_id = '\(rita)'")

        let failure = try #require(await harness.failedRun(now: tuesday))
        #expect(failure.description.contains("could not record"), "\(failure.description)")
        #expect(harness.slack.messages(to: rita).count == 1, "posted, not recorded")
        #expect(harness.slack.messages(to: sam).count == 1, "the digest after it went out")
        #expect(try harness.count("slack_messages", where: "kind = 'digest' AND post_state = 'claimed' AND slack_user_id = '\(rita)'") == 1)
        let lines = recordFailedLines(harness)
        try #require(lines.count == 1)
        #expect(lines[0].fields["recipient"] as? String == rita)
        #expect(!lines[0].line.contains("Casey"), "ids, never the DM's text")

        try harness.connect().execute("DROP TRIGGER refuse_record ON slack_messages")
        try await harness.run(now: tuesday.addingTimeInterval(600))
        #expect(harness.slack.messages(to: rita).count == 1, "one digest a day, never twice")
    }

    /// An edit whose record fails is made again by a later run (harmless: `chat.update` repeats safely),
    /// and the edits after it in the run still go out.
    @Test func anEditWhoseRecordFailsIsMadeAgainAndTheOthersGoOut() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let interview = AshbyFixtures.interview(title: "System Design")
        harness.ashby.upsertInterview(interview)
        let interviewID = interview["id"]!.stringValue!
        harness.slack.setUsers([
            SlackFixtures.human(id: Self.ianSlack, email: "ian@example.com"),
            SlackFixtures.human(id: Self.adaSlack, email: "ada@example.com"),
        ])
        var schedules: [(schedule: String, event: String)] = []
        for (minutes, interviewer) in [(8.0, ian), (10, ada)] {
            let event = AshbyFixtures.event(interviewId: interviewID, start: now.addingTimeInterval(minutes * 60), interviewers: [interviewer])
            let schedule = AshbyFixtures.schedule(events: [event])
            harness.ashby.upsertSchedule(schedule)
            schedules.append((schedule["id"]!.stringValue!, event["id"]!.stringValue!))
        }
        try await harness.run(now: now)
        #expect(harness.slack.messages.count == 2)
        for entry in schedules {
            _ = harness.ashby.modifySchedule(id: entry.schedule) { schedule in
                var events = schedule["interviewEvents"]!.arrayValue!
                events[0]["location"] = "Room 7"
                schedule["interviewEvents"] = .array(events)
            }
        }
        try refuseLedgerUpdates(harness, where: "NEW.edit_state = 'edited' AND NEW.event_id = '\(schedules[0].event)'")

        let failure = try #require(await harness.failedRun(now: now.addingTimeInterval(60)))
        #expect(failure.description.contains("could not record"), "\(failure.description)")
        #expect(harness.slack.updates.map(\.channel).sorted() == ["D\(Self.adaSlack)", "D\(Self.ianSlack)"], "both edits went out")
        #expect(recordFailedLines(harness).count == 1)

        try harness.connect().execute("DROP TRIGGER refuse_record ON slack_messages")
        let (outcome, next) = try await harness.run(now: now.addingTimeInterval(120))
        #expect(outcome == .succeeded)
        #expect(next.edits.edited == 1, "the unrecorded edit is made again, once")
        #expect(harness.slack.messages.count == 2, "and never posted")
    }
}
