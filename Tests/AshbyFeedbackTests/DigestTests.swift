import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 12: overdue feedback reaches the people who chase it. Real PostgreSQL, FakeAshby, FakeSlack;
/// the run's clock is fixed. Until issue 11's pull lands, submissions and Slack time zones are
/// written with SQL, against the version-7 contract.
@Suite(.timeLimit(.minutes(4)))
struct DigestTests {
    /// Tuesday 2027-01-19 10:00 UTC.
    let tuesday = Date(timeIntervalSince1970: 1_800_352_800)
    static let ianSlack = "U01IAN0001", ritaSlack = "U01RITA001", samSlack = "U01SAM0001"

    /// One interview that ended `endedHoursAgo` before `at`, interviewed by Ian, for an application
    /// whose hiring team is `team`, scheduled by Sam.
    struct World {
        let harness: SyncHarness
        let event: String
        let interviewer: String
        let schedule: String

        init(_ harness: SyncHarness, endedHoursAgo: Double, at now: Date, candidate: String = "Casey Candidate",
             team: [JSONValue] = [AshbyFixtures.hiringTeamMember(email: "rita@example.com", role: "Recruiter")]) {
            self.harness = harness
            let interview = AshbyFixtures.interview(title: "System Design")
            harness.ashby.upsertInterview(interview)
            let application = AshbyFixtures.id()
            harness.ashby.setApplication(AshbyFixtures.application(
                id: application, candidateName: candidate, jobTitle: "Backend Engineer", stageTitle: "Onsite", hiringTeam: team))
            harness.slack.setUsers([
                SlackFixtures.human(id: DigestTests.ianSlack, email: "ian@example.com"),
                SlackFixtures.human(id: DigestTests.ritaSlack, email: "rita@example.com"),
                SlackFixtures.human(id: DigestTests.samSlack, email: "sam@example.com"),
            ])
            let ian = AshbyFixtures.interviewer(email: "ian@example.com", firstName: "Ian", lastName: "Interviewer")
            interviewer = ian["id"]!.stringValue!
            let end = now.addingTimeInterval(-endedHoursAgo * 3600)
            let event = AshbyFixtures.event(interviewId: interview["id"]!.stringValue!, start: end.addingTimeInterval(-3600), end: end, interviewers: [ian])
            let schedule = AshbyFixtures.schedule(
                status: "WaitingOnFeedback", applicationId: application, events: [event],
                scheduledBy: AshbyFixtures.user(email: "sam@example.com", firstName: "Sam", lastName: "Scheduler"))
            harness.ashby.upsertSchedule(schedule)
            self.event = event["id"]!.stringValue!
            self.schedule = schedule["id"]!.stringValue!
        }

        func submit(at date: Date) throws {
            try harness.connect().execute(
                "INSERT INTO feedback_submissions (feedback_id, event_id, interviewer_id, submitted_at) VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3)",
                [event, interviewer, date])
        }
    }

    func withHarness(_ body: (SyncHarness) async throws -> Void) async throws {
        // Digests only: the interviewers' own nudges are NudgeTests' business.
        let harness = try await SyncHarness.start(settings: ["FEEDBACK_NUDGE_MAX": "0"])
        do { try await body(harness) } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    func text(_ message: FakeSlack.Message) -> String {
        ((message.text ?? "") + String(decoding: message.blocksJSON ?? Data(), as: UTF8.self)).replacingOccurrences(of: "\\/", with: "/")
    }

    @Test func oneDigestPerDayEditedAsItemsClearNoneWhenNothingOverdue() async throws {
        try await withHarness { harness in
            let world = World(harness, endedHoursAgo: 30, at: tuesday)
            try await harness.run(now: tuesday)
            let first = harness.slack.messages(to: Self.ritaSlack)
            try #require(first.count == 1)
            let body = text(first[0])
            #expect(body.contains("Casey Candidate") && body.contains("Ian Interviewer") && body.contains("Backend Engineer"))
            #expect(body.contains("interview-briefings/\(world.event)/feedback"))
            #expect(!body.contains("<@U"), "a digest never mentions anyone")
            #expect(harness.slack.messages(to: Self.ianSlack).isEmpty && harness.slack.messages(to: Self.samSlack).isEmpty)

            try await harness.run(now: tuesday.addingTimeInterval(3600))
            #expect(harness.slack.messages(to: Self.ritaSlack).count == 1, "one digest per local day")

            let wednesday = tuesday.addingTimeInterval(24 * 3600)
            try await harness.run(now: wednesday)
            #expect(harness.slack.messages(to: Self.ritaSlack).count == 2, "still overdue the next working day: a new digest")

            try world.submit(at: wednesday.addingTimeInterval(1800))
            try await harness.run(now: wednesday.addingTimeInterval(3600))
            #expect(harness.slack.messages(to: Self.ritaSlack).count == 2, "never re-posted")
            let updates = harness.slack.updates
            try #require(updates.count == 1, "\(updates.map { "\($0.ts) \($0.text ?? "")" })")
            let edited = (updates[0].text ?? "") + String(decoding: updates[0].blocksJSON ?? Data(), as: UTF8.self)
            #expect(edited.contains("~System Design — Ian Interviewer~ — submitted") && edited.contains("All cleared"))

            try await harness.run(now: wednesday.addingTimeInterval(24 * 3600))
            #expect(harness.slack.messages(to: Self.ritaSlack).count == 2, "nothing overdue: no digest")
            #expect(harness.slack.updates.count == 1, "an edit only when what it shows changes")
        }
    }

    @Test func schedulerWhenNoRecruiterAndACandidateNamedChannelPingsNobody() async throws {
        try await withHarness { harness in
            _ = World(harness, endedHoursAgo: 48, at: tuesday, candidate: "<!channel> <@U01IAN0001>",
                      team: [AshbyFixtures.hiringTeamMember(email: "hm@example.com", role: "Hiring Manager")])
            try await harness.run(now: tuesday)
            let messages = harness.slack.messages(to: Self.samSlack)
            try #require(messages.count == 1, "no recruiter or coordinator: whoever scheduled it")
            let body = text(messages[0])
            #expect(body.contains("&lt;!channel&gt;"))
            #expect(!body.contains("<!channel>") && !body.contains("<@U"))
        }
    }

    @Test func digestRolesChooseWhoGetsIt() async throws {
        try await withHarness { harness in
            _ = World(harness, endedHoursAgo: 48, at: tuesday, team: [
                AshbyFixtures.hiringTeamMember(email: "rita@example.com", role: "recruiting COORDINATOR"),
                AshbyFixtures.hiringTeamMember(email: "ian@example.com", role: "Hiring Manager"),
            ])
            try await harness.run(now: tuesday, settings: ["DIGEST_ROLES": "Hiring Manager"])
            #expect(harness.slack.messages(to: Self.ianSlack).count == 1)
            #expect(harness.slack.messages(to: Self.ritaSlack).isEmpty)
        }
    }

    @Test func localTimeWorkingDaysOffAndMaxAge() async throws {
        try await withHarness { harness in
            _ = World(harness, endedHoursAgo: 48, at: tuesday)
            // 10:00 UTC is 05:00 in New York, where Slack says Rita is: before DIGEST_TIME there.
            try await harness.run(now: tuesday.addingTimeInterval(-7 * 3600))
            harness.slack.setUsers([
                SlackFixtures.human(id: Self.ianSlack, email: "ian@example.com"),
                SlackFixtures.human(id: Self.ritaSlack, email: "rita@example.com", tz: "America/New_York"),
                SlackFixtures.human(id: Self.samSlack, email: "sam@example.com"),
            ])
            try await harness.run(now: tuesday)
            #expect(harness.slack.messages(to: Self.ritaSlack).isEmpty, "05:00 in the recipient's zone")
            try await harness.run(now: tuesday, settings: ["DIGEST_TIME": "05:00"])
            #expect(harness.slack.messages(to: Self.ritaSlack).isEmpty, "DIGEST_TIME, but before WORKING_HOURS in their zone")
            try await harness.run(now: tuesday, settings: ["DIGEST_TIME": "05:00", "WORKING_HOURS": "05:00-17:00"])
            #expect(harness.slack.messages(to: Self.ritaSlack).count == 1, "at DIGEST_TIME in their zone")
        }
        try await withHarness { harness in
            let saturday = tuesday.addingTimeInterval(4 * 24 * 3600)
            _ = World(harness, endedHoursAgo: 48, at: saturday)
            try await harness.run(now: saturday)
            #expect(harness.slack.messages.isEmpty, "not on a day off")
            try await harness.run(now: saturday, settings: ["WORKING_DAYS": "Mon-Sun", "DIGEST_TIME": "off"])
            #expect(harness.slack.messages.isEmpty, "DIGEST_TIME=off")
            try await harness.run(now: saturday, settings: ["WORKING_DAYS": "Mon-Sun", "DIGEST_MAX_AGE_DAYS": "1"])
            #expect(harness.slack.messages.isEmpty, "older than DIGEST_MAX_AGE_DAYS")
            try await harness.run(now: saturday, settings: ["WORKING_DAYS": "Mon-Sun"])
            #expect(harness.slack.messages.count == 1)
        }
    }

    /// Issue 18: a digest is not sent after the end of the recipient's working day; that day's is
    /// skipped and the next working morning brings the next day's.
    @Test func aDigestDueAt0930IsNotSentAt2200LocalButTheNextWorkingMorning() async throws {
        try await withHarness { harness in
            _ = World(harness, endedHoursAgo: 48, at: tuesday)
            harness.slack.setUsers([
                SlackFixtures.human(id: Self.ritaSlack, email: "rita@example.com", tz: "America/New_York"),
                SlackFixtures.human(id: Self.samSlack, email: "sam@example.com"),
            ])
            try await harness.run(now: tuesday.addingTimeInterval(17 * 3600))  // Tuesday 22:00 in New York
            #expect(harness.slack.messages.isEmpty, "22:00 in the recipient's zone: after their working day")
            try await harness.run(now: tuesday.addingTimeInterval(28 * 3600))  // Wednesday 09:00 there
            #expect(harness.slack.messages.isEmpty, "before DIGEST_TIME")
            try await harness.run(now: tuesday.addingTimeInterval(28.5 * 3600))  // Wednesday 09:30 there
            #expect(harness.slack.messages(to: Self.ritaSlack).count == 1, "the next working morning")
            let days = try harness.connect().query("SELECT digest_day::text FROM slack_messages WHERE kind = 'digest'").rows
            #expect(try days.map { try $0[0].decode(String.self) } == ["2027-01-20"])
        }
    }

    /// Issues 18 and 20: with the hiring team unknown (the application not synced: here the key cannot
    /// read application.list), the scheduler does not get the recruiter's digest; the items wait for a
    /// run that knows the team.
    @Test func anUnknownHiringTeamSendsNoDigestToTheSchedulerAndTheItemsWait() async throws {
        try await withHarness { harness in
            _ = World(harness, endedHoursAgo: 48, at: tuesday)
            harness.ashby.denyPermission(endpoint: "application.list")
            try await harness.run(now: tuesday)
            #expect(harness.slack.messages.isEmpty, "neither the scheduler nor anyone else")
            #expect(harness.logs.contains("digest_items_waiting"))
            #expect(try harness.count("applications") == 0)
            harness.ashby.grantPermission(endpoint: "application.list")
            try await harness.run(now: tuesday.addingTimeInterval(600))
            #expect(harness.slack.messages(to: Self.ritaSlack).count == 1, "the recruiter, once the team is known")
            #expect(harness.slack.messages(to: Self.samSlack).isEmpty)
        }
    }

    /// Issue 18: a token refused on the digest's post (or edit) ends the run with exit 78, as in the
    /// other Slack steps.
    @Test func aRefusedTokenSeenFirstByTheDigestEndsTheRunWithExit78() async throws {
        try await withHarness { harness in
            _ = World(harness, endedHoursAgo: 48, at: tuesday)
            harness.slack.failPosts(to: Self.ritaSlack, error: "invalid_auth")
            let failure = await harness.failedRun(now: tuesday)
            #expect(failure?.status == .configuration)
            #expect(failure?.description.contains("invalid_auth") == true)
        }
        try await withHarness { harness in
            let world = World(harness, endedHoursAgo: 48, at: tuesday)
            try await harness.run(now: tuesday)
            try #require(harness.slack.messages(to: Self.ritaSlack).count == 1)
            try world.submit(at: tuesday.addingTimeInterval(600))
            harness.slack.failUpdates(to: Self.ritaSlack, error: "token_revoked")
            let failure = await harness.failedRun(now: tuesday.addingTimeInterval(1200))
            #expect(failure?.status == .configuration, "the edit of the digest")
        }
    }

    @Test func twoRunsAtOnceSendOneDigest() async throws {
        try await withHarness { harness in
            _ = World(harness, endedHoursAgo: 30, at: tuesday)
            try await harness.run(now: tuesday.addingTimeInterval(-3 * 3600))  // 07:00: pulls, no digest yet
            async let one = harness.run(now: tuesday)
            async let two = harness.run(now: tuesday)
            _ = try await (one, two)
            #expect(harness.slack.messages(to: Self.ritaSlack).count == 1)
            // The claim itself refuses a second digest for that day, lock or no lock.
            let store = DigestStore(connection: try harness.connect())
            #expect(try store.claim(recipient: Self.ritaSlack, day: "2027-01-19", items: [], runID: UUID(), now: tuesday) == nil)
        }
    }

    @Test func digestChannelGetsOneCombinedMessage() async throws {
        try await withHarness { harness in
            _ = World(harness, endedHoursAgo: 30, at: tuesday)
            _ = World(harness, endedHoursAgo: 50, at: tuesday, candidate: "Dana Doe",
                      team: [AshbyFixtures.hiringTeamMember(email: "sam@example.com", role: "Recruiter")])
            harness.slack.addChannel("C0DIGEST01")
            try await harness.run(now: tuesday, settings: ["DIGEST_CHANNEL": "C0DIGEST01"])
            let messages = harness.slack.messages
            try #require(messages.count == 1)
            #expect(messages[0].channel == "C0DIGEST01")
            let body = text(messages[0])
            #expect(body.contains("Casey Candidate") && body.contains("Dana Doe"))
            #expect(body.range(of: "Dana Doe")!.lowerBound < body.range(of: "Casey Candidate")!.lowerBound, "oldest first")
        }
    }

    @Test func dryRunPrintsTheDigestAndSendsNothing() async throws {
        try await withHarness { harness in
            _ = World(harness, endedHoursAgo: 30, at: tuesday)
            try await harness.run(SyncRequest(kind: .sync, dryRun: true), now: tuesday)
            #expect(harness.slack.messages.isEmpty)
            #expect(harness.reports.contains { $0.hasPrefix("would send digest to \(Self.ritaSlack)") })
            #expect(try harness.count("slack_messages", where: "kind = 'digest'") == 0)
        }
    }

    @Test func statusShowsOverdueAndTheLastDigest() async throws {
        try await withHarness { harness in
            _ = World(harness, endedHoursAgo: 30, at: tuesday)
            try await harness.run(now: tuesday)
            let report = try StatusReport.read(try harness.connect(), runLimit: 5, maxAgeMinutes: 60, now: tuesday)
            #expect(report.digests.overdueNow == 1)
            #expect(report.digests.latest.map(\.recipient) == [Self.ritaSlack])
            #expect(report.digests.latest.first?.state == "posted")
        }
    }

    @Test func scheduledByIsStored() async throws {
        try await withHarness { harness in
            let world = World(harness, endedHoursAgo: 30, at: tuesday)
            try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: tuesday)
            let row = try #require(try harness.connect().query(
                "SELECT scheduled_by_email, scheduled_by_name FROM interview_schedules WHERE schedule_id = $1::uuid", [world.schedule]).rows.first)
            #expect(try row[0].decode(String?.self) == "sam@example.com")
            #expect(try row[1].decode(String?.self) == "Sam Scheduler")
        }
    }
}
