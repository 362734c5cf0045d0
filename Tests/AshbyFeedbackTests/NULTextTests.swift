import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 18, item 2: text from Ashby or Slack can hold U+0000 (valid JSON `\u0000`), which PostgreSQL
/// `text` cannot. It is stored as U+FFFD in every table, and never stops a step.
@Suite(.timeLimit(.minutes(3))) struct NULTextTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let ianSlack = "U01IAN0001", adaSlack = "U01ADA0001"
    let ian = AshbyFixtures.interviewer(email: "ian@example.com", firstName: "Ian")
    let ada = AshbyFixtures.interviewer(email: "ada@example.com", firstName: "Ada")

    /// The DM with a NUL in its candidate's name and its location is sent and recorded (channel and
    /// ts, so it can be edited), the DM after it in the same run goes out too, and the run succeeds.
    /// Its names are kept as the DM showed them, so the next run finds nothing to edit.
    @Test func aNULInACandidateNameOrALocationNeverStopsTheReminders() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let interview = AshbyFixtures.interview(title: "System\u{0}Design", instructionsPlain: "Bring\u{0}a laptop")
        harness.ashby.upsertInterview(interview)
        let interviewID = interview["id"]!.stringValue!
        harness.slack.setUsers([
            SlackFixtures.human(id: Self.ianSlack, email: "ian@example.com", realName: "Ian\u{0}Interviewer", displayName: "ian\u{0}"),
            SlackFixtures.human(id: Self.adaSlack, email: "ada@example.com"),
        ])
        let application = AshbyFixtures.id()
        harness.ashby.setApplication(AshbyFixtures.application(
            id: application, candidateName: "Casey\u{0}Candidate", jobTitle: "Backend\u{0}Engineer"))
        let first = AshbyFixtures.event(
            interviewId: interviewID, start: now.addingTimeInterval(8 * 60), interviewers: [ian], location: "Room\u{0}42")
        let second = AshbyFixtures.event(interviewId: interviewID, start: now.addingTimeInterval(12 * 60), interviewers: [ada])
        harness.ashby.upsertSchedule(AshbyFixtures.schedule(applicationId: application, events: [first]))
        harness.ashby.upsertSchedule(AshbyFixtures.schedule(events: [second]))

        let (outcome, summary) = try await harness.run(now: now)
        #expect(outcome == .succeeded, "the run exits 0")
        #expect(summary.reminders.sent == 2)
        #expect(harness.slack.messages(to: Self.ianSlack).count == 1)
        #expect(harness.slack.messages(to: Self.adaSlack).count == 1, "the DM after it in the same run went out")
        let body = String(decoding: try #require(harness.slack.messages(to: Self.ianSlack).first).body, as: UTF8.self)
        for shown in ["Casey\u{FFFD}Candidate", "Room\u{FFFD}42", "System\u{FFFD}Design", "Bring\u{FFFD}a laptop"] {
            #expect(body.contains(shown), "the DM shows what is stored: \(shown)")
        }
        #expect(try harness.count("interviews", where: "title = 'System\u{FFFD}Design' AND instructions_plain = 'Bring\u{FFFD}a laptop'") == 1)

        let row = try #require(try harness.connect().query(
            "SELECT post_state, channel_id, message_ts, candidate_name, job_title FROM slack_messages WHERE event_id = $1::uuid",
            [first["id"]!.stringValue!]).rows.first)
        #expect(try row["post_state"].decode(String.self) == "posted")
        #expect(try row["channel_id"].decode(String?.self) == "D\(Self.ianSlack)")
        #expect(try row["message_ts"].decode(String?.self) == harness.slack.messages(to: Self.ianSlack).first?.ts)
        #expect(try row["candidate_name"].decode(String?.self) == "Casey\u{FFFD}Candidate")
        #expect(try row["job_title"].decode(String?.self) == "Backend\u{FFFD}Engineer")
        #expect(try harness.count("feedback_reminders_sent", where: "status = 'sent' AND slack_message_ts IS NOT NULL") == 2)
        #expect(try harness.count("slack_users", where: "real_name = 'Ian\u{FFFD}Interviewer' AND display_name = 'ian\u{FFFD}'") == 1)

        let versions = try harness.rowVersions()
        let (_, next) = try await harness.run(now: now.addingTimeInterval(60), settings: ["INTERVIEWS_REFRESH_MINUTES": "0", "SLACK_USERS_REFRESH_MINUTES": "0"])
        #expect(next.edits == ReminderEditCounts(), "what the DM showed is what was kept: nothing to edit")
        #expect(try harness.rowVersions() == versions, "pulled again unchanged: no row rewritten")
        #expect(harness.slack.messages.count == 2 && harness.slack.updates.isEmpty)
    }

    /// A nudge lists the candidate by name: the NUL in it does not stop the claim of its lines.
    @Test func aNULInACandidateNameNeverStopsTheNudges() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let interview = AshbyFixtures.interview(title: "System Design")
        harness.ashby.upsertInterview(interview)
        harness.slack.setUsers([
            SlackFixtures.human(id: Self.ianSlack, email: "ian@example.com", tz: "Europe/London"),
            SlackFixtures.human(id: Self.adaSlack, email: "ada@example.com", tz: "Europe/London"),
        ])
        let tuesday = Date(timeIntervalSince1970: 1_799_762_400)   // 14:00 UTC, working hours in London
        for (interviewer, name) in [(ada, "Nul\u{0}Candidate"), (ian, "Casey Candidate")] {
            let application = AshbyFixtures.id()
            harness.ashby.setApplication(AshbyFixtures.application(id: application, candidateName: name))
            let end = tuesday.addingTimeInterval(-2 * 3600)
            harness.ashby.upsertSchedule(AshbyFixtures.schedule(applicationId: application, events: [
                AshbyFixtures.event(interviewId: interview["id"]!.stringValue!, start: end.addingTimeInterval(-3600), end: end,
                                    interviewers: [interviewer]),
            ]))
        }
        let (outcome, summary) = try await harness.run(now: tuesday)
        #expect(outcome == .succeeded)
        #expect(summary.nudges.sent == 2)
        #expect(try harness.count("slack_message_items", where: "candidate_name = 'Nul\u{FFFD}Candidate'") == 1)
        #expect(try harness.count("slack_messages", where: "kind = 'nudge' AND post_state = 'posted' AND message_ts IS NOT NULL") == 2)
    }

    /// A record Ashby sends with a NUL in its id cannot be stored: it is set aside (its reason and id
    /// stored with U+FFFD), and the rest of its page is written.
    @Test func aNULInAnIdIsQuarantinedLikeAnyBadId() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let interview = AshbyFixtures.interview()
        harness.ashby.upsertInterview(interview)
        let good = AshbyFixtures.schedule(events: [AshbyFixtures.event(interviewId: interview["id"]!.stringValue!, start: now)])
        let bad = AshbyFixtures.schedule(id: "bad\u{0}id", events: [])
        harness.ashby.upsertSchedules([good, bad])
        let (outcome, summary) = try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: now)
        #expect(outcome == .succeeded)
        #expect(summary.quarantined == 1)
        #expect(try harness.count("interview_schedules") == 1)
        #expect(try harness.count("quarantined_records", where: "record_id = 'bad\u{FFFD}id'") == 1)
    }
}
