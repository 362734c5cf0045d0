import Foundation
import Postgres
import SlackAPI
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 11: every interview followed to its feedback. Interviewers who owe a scorecard get one
/// grouped nudge per run, on the 1 h / then daily cadence, only in their working hours, never about
/// archived candidates or old interviews, and the DMs are edited when the scorecard comes in.
/// Real PostgreSQL, FakeAshby (with applicationFeedback.list) and FakeSlack; the run's clock is fixed.
@Suite(.timeLimit(.minutes(3)))
struct NudgeTests {
    /// Tuesday 2027-01-12 14:00 UTC.
    static let tuesday = Date(timeIntervalSince1970: 1_799_762_400)
    static let hour: TimeInterval = 3600, day: TimeInterval = 86_400
    static let ianSlack = "U01IAN0001", adaSlack = "U01ADA0001"
    let ian = AshbyFixtures.interviewer(email: "ian@example.com", firstName: "Ian", lastName: "Interviewer")
    let ada = AshbyFixtures.interviewer(email: "ada@example.com", firstName: "Ada", lastName: "Lovelace")

    /// An interview definition, the Slack directory (with time zones) and a way to add schedules.
    struct World {
        let harness: SyncHarness
        let interviewID: String

        init(_ harness: SyncHarness, ianZone: String = "Europe/London", adaZone: String = "Europe/London", title: String = "System Design") {
            self.harness = harness
            let form = AshbyFixtures.form(title: "System Design Scorecard")
            harness.ashby.upsertForm(form)
            let interview = AshbyFixtures.interview(title: title, feedbackFormDefinitionId: form["id"]!.stringValue!)
            harness.ashby.upsertInterview(interview)
            interviewID = interview["id"]!.stringValue!
            harness.slack.setUsers([
                SlackFixtures.human(id: NudgeTests.ianSlack, email: "ian@example.com", tz: ianZone),
                SlackFixtures.human(id: NudgeTests.adaSlack, email: "ada@example.com", tz: adaZone),
            ])
        }

        /// One schedule with one event ending at `end` (an hour long); returns the event's id and its application.
        @discardableResult
        func interview(
            endingAt end: Date, interviewers: [JSONValue], candidate: String = "Casey Candidate",
            applicationStatus: String = "Active", hasSubmittedFeedback: Bool = false
        ) -> (event: String, application: String) {
            let application = AshbyFixtures.id()
            harness.ashby.setApplication(AshbyFixtures.application(
                id: application, candidateName: candidate, jobTitle: "Backend Engineer", status: applicationStatus))
            let event = AshbyFixtures.event(
                interviewId: interviewID, start: end.addingTimeInterval(-3600), interviewers: interviewers,
                hasSubmittedFeedback: hasSubmittedFeedback)
            harness.ashby.upsertSchedule(AshbyFixtures.schedule(applicationId: application, events: [event]))
            return (event["id"]!.stringValue!, application)
        }

        /// The interviewer's scorecard arrives in Ashby.
        func submit(event: String, application: String, by interviewer: JSONValue, at date: Date) {
            harness.ashby.upsertFeedback(AshbyFixtures.feedback(
                applicationId: application, eventId: event, submittedBy: interviewer, submittedAt: date))
        }
    }

    /// The nudges `user` received (a nudge's header counts scorecards; a reminder's does not).
    static func nudges(_ harness: SyncHarness, to user: String) -> [FakeSlack.Message] {
        harness.slack.messages(to: user).filter { message in
            let header = (message.blocks()?.first?["text"] as? [String: Any])?["text"] as? String ?? ""
            return header == "Your feedback is due" || header.hasSuffix("scorecards are waiting for you")
        }
    }

    /// The feedback form links in `blocks`' sections, in order.
    func links(_ blocks: [[String: Any]]?) -> [String] {
        (blocks ?? []).compactMap { ($0["text"] as? [String: Any])?["text"] as? String }.flatMap { text in
            text.components(separatedBy: "<").dropFirst().compactMap { piece in
                piece.contains("|Open the feedback form>") ? piece.components(separatedBy: "|").first : nil
            }
        }
    }

    func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    // MARK: Cadence and closing the loop

    @Test func endedTwoHoursAgoIsNudgedOnceThenNextWorkingDayThenEditedWhenSubmitted() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let end = Self.tuesday.addingTimeInterval(-2 * Self.hour)
        let (event, application) = world.interview(endingAt: end, interviewers: [ian])

        // The pre-interview reminder, ten minutes before the start.
        try await harness.run(now: end.addingTimeInterval(-Self.hour - 600))
        #expect(harness.slack.messages(to: Self.ianSlack).count == 1)
        #expect(Self.nudges(harness, to: Self.ianSlack).isEmpty, "the reminder is no nudge")

        let (_, first) = try await harness.run(now: Self.tuesday)
        let nudge = try #require(Self.nudges(harness, to: Self.ianSlack).first)
        #expect(Self.nudges(harness, to: Self.ianSlack).count == 1)
        #expect(links(nudge.blocks()) == ["https://app.ashbyhq.com/interview-briefings/\(event)/feedback"])
        #expect(nudge.blocks()?.allSatisfy { $0["type"] as? String != "actions" } == true, "a link, no button")
        #expect(text(nudge.body).contains("Casey Candidate"))
        #expect(first.nudges.sent == 1)
        #expect(harness.logs.contains("nudge_sent"))
        let row = try #require(try harness.connect().query(
            "SELECT post_state, claimed_at, claimed_by_run, channel_id FROM slack_messages WHERE kind = 'nudge'").rows.first)
        #expect(try row["post_state"].decode(String.self) == "posted")
        #expect(try row["claimed_at"].decode(Date.self) == Self.tuesday, "claimed on the run's clock before the post")
        #expect(try row["channel_id"].decode(String?.self) == "D\(Self.ianSlack)")

        try await harness.run(now: Self.tuesday.addingTimeInterval(Self.hour))
        #expect(Self.nudges(harness, to: Self.ianSlack).count == 1, "an hour later: no second nudge the same day")

        let wednesdayMorning = Self.tuesday.addingTimeInterval(Self.day - 4.5 * Self.hour)  // 09:30
        try await harness.run(now: wednesdayMorning)
        #expect(Self.nudges(harness, to: Self.ianSlack).count == 2, "the next working day: the second nudge")
        #expect(try harness.count("slack_message_items", where: "nudge_number = 2") == 1)

        world.submit(event: event, application: application, by: ian, at: wednesdayMorning.addingTimeInterval(600))
        try await harness.run(now: wednesdayMorning.addingTimeInterval(1800))
        let updates = harness.slack.updates(to: Self.ianSlack)
        #expect(updates.count == 3, "the reminder DM and both nudges say submitted")
        #expect(updates.allSatisfy { text($0.body).contains("Feedback submitted") })
        #expect(updates.allSatisfy { links($0.blocks()).isEmpty }, "no feedback link once submitted")
        #expect(try harness.count("feedback_reminders_sent", where: "submitted_at IS NOT NULL") == 1)
        #expect(try harness.count("feedback_submissions") == 1)

        try await harness.run(now: wednesdayMorning.addingTimeInterval(Self.day))
        #expect(Self.nudges(harness, to: Self.ianSlack).count == 2, "no nudge after the submission")
        #expect(harness.slack.updates(to: Self.ianSlack).count == 3, "and no further edit")
    }

    @Test func threeAMInTheInterviewersZoneWaitsForTenAM() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, ianZone: "America/Los_Angeles")
        let end = Self.tuesday.addingTimeInterval(-5 * Self.hour)  // 09:00 UTC, 01:00 in Los Angeles
        world.interview(endingAt: end, interviewers: [ian])
        try await harness.run(now: Self.tuesday.addingTimeInterval(-3 * Self.hour))  // 11:00 UTC = 03:00 LA
        #expect(Self.nudges(harness, to: Self.ianSlack).isEmpty, "03:00 in the interviewer's zone")
        try await harness.run(now: Self.tuesday.addingTimeInterval(4 * Self.hour))  // 18:00 UTC = 10:00 LA
        #expect(Self.nudges(harness, to: Self.ianSlack).count == 1, "10:00 in the interviewer's zone")
        #expect(try harness.connect().query("SELECT tz FROM slack_users WHERE slack_user_id = $1", [Self.ianSlack])
            .rows[0][0].decode(String?.self) == "America/Los_Angeles")
    }

    @Test func threeOutstandingScorecardsMakeOneDMAndTheSubmittedLineIsMarked() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let interviews = ["Casey Candidate", "Dana Developer", "Eve Engineer"].enumerated().map { index, name in
            world.interview(endingAt: Self.tuesday.addingTimeInterval(-Double(2 + index) * Self.hour), interviewers: [ian], candidate: name)
        }
        try await harness.run(now: Self.tuesday)
        let all = Self.nudges(harness, to: Self.ianSlack)
        #expect(all.count == 1, "one DM per person per run")
        let nudge = try #require(all.first)
        #expect(links(nudge.blocks()) == interviews.reversed().map { "https://app.ashbyhq.com/interview-briefings/\($0.event)/feedback" }, "oldest first")
        #expect(text(nudge.body).contains("3 scorecards are waiting for you"))
        #expect(try harness.count("slack_message_items") == 3)

        let middle = interviews[1]
        world.submit(event: middle.event, application: middle.application, by: ian, at: Self.tuesday.addingTimeInterval(600))
        try await harness.run(now: Self.tuesday.addingTimeInterval(1800))
        let update = try #require(harness.slack.updates(to: Self.ianSlack).first)
        #expect(harness.slack.updates(to: Self.ianSlack).count == 1)
        #expect(links(update.blocks()).count == 2, "just the submitted line loses its link")
        #expect(!links(update.blocks()).contains("https://app.ashbyhq.com/interview-briefings/\(middle.event)/feedback"))
        #expect(text(update.body).contains("~*System Design* with *Dana Developer* (Backend Engineer)~"))
        #expect(text(update.body).contains("2 of 3 open"))
    }

    @Test func sixtyOutstandingScorecardsMakeOneDMThatSaysSixtyAndListsTheOldest() async throws {
        let harness = try await SyncHarness.start(pageSize: 100)
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let interviews = (0..<60).map { index in
            world.interview(endingAt: Self.tuesday.addingTimeInterval(-2 * Self.hour - Double(index) * 60), interviewers: [ian], candidate: "Candidate \(index)")
        }
        try await harness.run(now: Self.tuesday)
        let sent = Self.nudges(harness, to: Self.ianSlack)
        try #require(sent.count == 1, "one DM, not one per ten")
        let listed = links(sent[0].blocks())
        #expect(listed.count > 10 && listed.count < 60, "as many as fit, not ten")
        #expect(listed == interviews.reversed().prefix(listed.count).map { "https://app.ashbyhq.com/interview-briefings/\($0.event)/feedback" }, "the oldest")
        #expect(text(sent[0].body).contains("60 scorecards are waiting for you"))
        #expect(text(sent[0].body).contains("The \(listed.count) oldest are below; the other \(60 - listed.count) come in later nudges."))
        #expect(try harness.count("slack_message_items", where: "nudge_number = 1") == listed.count, "only the listed count as nudged")
        #expect(try harness.count("slack_message_items", where: "nudge_number IS NULL") == 60 - listed.count, "the rest are counted")

        try await harness.run(now: Self.tuesday.addingTimeInterval(Self.hour))
        #expect(Self.nudges(harness, to: Self.ianSlack).count == 1, "the unlisted are not spread over the next runs")

        // One of the unlisted scorecards comes in: the count in the DM follows.
        let unlisted = interviews[0]
        world.submit(event: unlisted.event, application: unlisted.application, by: ian, at: Self.tuesday.addingTimeInterval(Self.hour))
        try await harness.run(now: Self.tuesday.addingTimeInterval(2 * Self.hour))
        let update = try #require(harness.slack.updates(to: Self.ianSlack).last)
        #expect(text(update.body).contains("59 scorecards are waiting for you"))
        #expect(links(update.blocks()).count == listed.count)

        let wednesdayMorning = Self.tuesday.addingTimeInterval(Self.day - 4.5 * Self.hour)
        try await harness.run(now: wednesdayMorning)
        let next = Self.nudges(harness, to: Self.ianSlack)
        try #require(next.count == 2, "the next working day, one more DM")
        #expect(text(next[1].body).contains("59 scorecards are waiting for you"))
        #expect(links(next[1].blocks()) == listed, "the oldest again, on their second nudge")
        #expect(try harness.count("slack_message_items", where: "nudge_number = 2") == listed.count)
    }

    @Test func anEditOfANudgeWithLongNamesIsAcceptedBySlack() async throws {
        let harness = try await SyncHarness.start(pageSize: 100)
        defer { Task { await harness.stop() } }
        let longName = String(repeating: "Bartholomew-Alexander ", count: 20)
        let world = World(harness, title: "Onsite: " + longName)
        let interviews = (0..<10).map { index in
            world.interview(endingAt: Self.tuesday.addingTimeInterval(-2 * Self.hour - Double(index) * 60), interviewers: [ian], candidate: longName + "\(index)")
        }
        try await harness.run(now: Self.tuesday)
        try #require(Self.nudges(harness, to: Self.ianSlack).count == 1)
        world.submit(event: interviews[0].event, application: interviews[0].application, by: ian, at: Self.tuesday.addingTimeInterval(600))
        let (_, summary) = try await harness.run(now: Self.tuesday.addingTimeInterval(1800))
        #expect(summary.edits.failed == 0)
        let update = try #require(harness.slack.updates(to: Self.ianSlack).last, "Slack took the edit: the submitted scorecard no longer shows as missing")
        #expect(text(update.body).contains("Feedback submitted"))
        #expect((update.text ?? "").utf16.count <= 4_000)
    }

    @Test func aPanelOfTwoWithOneSubmissionNudgesOnlyTheOther() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let (event, application) = world.interview(
            endingAt: Self.tuesday.addingTimeInterval(-2 * Self.hour), interviewers: [ian, ada], hasSubmittedFeedback: true)
        world.submit(event: event, application: application, by: ada, at: Self.tuesday.addingTimeInterval(-Self.hour))
        try await harness.run(now: Self.tuesday)
        #expect(Self.nudges(harness, to: Self.adaSlack).isEmpty, "Ada submitted")
        #expect(Self.nudges(harness, to: Self.ianSlack).count == 1, "the event's flag is true, yet Ian still owes his")
    }

    // MARK: Never

    @Test func oldInterviewsAndArchivedCandidatesAreNeverNudged() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        world.interview(endingAt: Self.tuesday.addingTimeInterval(-10 * Self.day), interviewers: [ian])
        world.interview(endingAt: Self.tuesday.addingTimeInterval(-2 * Self.hour), interviewers: [ada], applicationStatus: "Archived")
        try await harness.run(SyncRequest(kind: .backfill), now: Self.tuesday)
        try await harness.run(now: Self.tuesday.addingTimeInterval(Self.hour))
        try await harness.run(now: Self.tuesday.addingTimeInterval(Self.day))
        #expect(Self.nudges(harness, to: Self.ianSlack).isEmpty, "ended 10 days ago: past FEEDBACK_NUDGE_MAX_AGE_HOURS")
        #expect(Self.nudges(harness, to: Self.adaSlack).isEmpty, "archived application")
        #expect(try harness.count("slack_messages", where: "kind = 'nudge'") == 0)
        #expect(harness.logs.contains("the application is archived"))
    }

    @Test(arguments: [(max: 2, expected: 2), (max: 0, expected: 0)])
    func feedbackNudgeMaxBoundsTheNudgesAcrossFourDays(max: Int, expected: Int) async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        World(harness).interview(endingAt: Self.tuesday.addingTimeInterval(-2 * Self.hour), interviewers: [ian])
        for day in 0..<4 {
            try await harness.run(now: Self.tuesday.addingTimeInterval(Double(day) * Self.day), settings: ["FEEDBACK_NUDGE_MAX": "\(max)"])
        }
        #expect(Self.nudges(harness, to: Self.ianSlack).count == expected)
    }

    @Test func theFirstNudgeWaitsFeedbackNudgeAfterMinutes() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        World(harness).interview(endingAt: Self.tuesday.addingTimeInterval(-2 * Self.hour), interviewers: [ian])
        let settings = ["FEEDBACK_NUDGE_AFTER_MINUTES": "180"]
        try await harness.run(now: Self.tuesday, settings: settings)
        #expect(Self.nudges(harness, to: Self.ianSlack).isEmpty, "2 h after the end, 3 h asked")
        try await harness.run(now: Self.tuesday.addingTimeInterval(Self.hour), settings: settings)
        #expect(Self.nudges(harness, to: Self.ianSlack).count == 1)
    }

    // MARK: Exactly once

    @Test func twoRunsAtOnceSendOneNudge() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        World(harness).interview(endingAt: Self.tuesday.addingTimeInterval(-2 * Self.hour), interviewers: [ian])
        async let first = harness.run(now: Self.tuesday)
        async let second = harness.run(now: Self.tuesday)
        _ = try await (first, second)
        #expect(Self.nudges(harness, to: Self.ianSlack).count == 1)
        #expect(try harness.count("slack_message_items") == 1)
    }

    @Test func aNudgeClaimedByACrashedRunIsNeverSent() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let (event, _) = World(harness).interview(endingAt: Self.tuesday.addingTimeInterval(-2 * Self.hour), interviewers: [ian])
        try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: Self.tuesday.addingTimeInterval(-Self.hour))
        let connection = try harness.connect()
        let interviewer = ian["id"]!.stringValue!
        // A run claimed the nudge, then died before posting it.
        let claim = try NudgeStore(connection: connection).claim(
            slackUserID: Self.ianSlack,
            lines: [NudgeStore.Line(scorecard: OutstandingScorecard(
                eventID: event, interviewerID: interviewer, endedAt: Self.tuesday.addingTimeInterval(-2 * Self.hour)), nudgeNumber: 1)],
            runID: UUID(), now: Self.tuesday.addingTimeInterval(-Self.hour))
        #expect(claim != nil)
        try await harness.run(now: Self.tuesday)
        #expect(Self.nudges(harness, to: Self.ianSlack).isEmpty, "claimed is as good as sent: never twice")
        #expect(try harness.count("slack_messages", where: "kind = 'nudge' AND post_state = 'claimed'") == 1)
    }

    @Test func aTemporaryFailureIsNudgedAgainByTheNextRunAndAPermanentOneIsNot() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        World(harness).interview(endingAt: Self.tuesday.addingTimeInterval(-2 * Self.hour), interviewers: [ian, ada])
        harness.slack.failPosts(to: Self.ianSlack, error: "ratelimited")
        harness.slack.failPosts(to: Self.adaSlack, error: "user_not_found")
        let (_, summary) = try await harness.run(now: Self.tuesday)
        #expect(summary.nudges.retrying == 1 && summary.nudges.failed == 1)
        #expect(try harness.count("slack_message_items") == 1, "the temporary failure released its line")
        // Ian's nudge is tried again, Ada's is not: the run's only Slack call is rate-limited again, so
        // Slack is unavailable (75).
        #expect(await harness.failedRun(now: Self.tuesday.addingTimeInterval(600))?.status == .unavailable)
        let again = try harness.connect().query(
            "SELECT counts->'nudges'->>'retrying', counts->'nudges'->>'failed' FROM sync_runs ORDER BY started_at DESC LIMIT 1").rows[0]
        #expect(try again[0].decode(String.self) == "1", "Ian's nudge is tried again")
        #expect(try again[1].decode(String.self) == "0", "Ada's is not")
    }

    @Test func anUnknownOutcomeIsNeverResent() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        World(harness).interview(endingAt: Self.tuesday.addingTimeInterval(-2 * Self.hour), interviewers: [ian])
        harness.slack.failPosts(to: Self.ianSlack, error: "a_code_this_build_does_not_know")
        let (_, summary) = try await harness.run(now: Self.tuesday)
        #expect(summary.nudges.unknown == 1)
        try await harness.run(now: Self.tuesday.addingTimeInterval(600))
        let posts = harness.slack.server.requests.filter { $0.path == FakeSlack.postMessagePath }
        #expect(posts.count == 1, "the nudge may have been posted: never again")
        #expect(try harness.count("slack_messages", where: "kind = 'nudge' AND post_state = 'unknown'") == 1)
    }

    // MARK: Operable

    @Test func aDryRunPrintsTheNudgesAndSendsNone() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        World(harness).interview(endingAt: Self.tuesday.addingTimeInterval(-2 * Self.hour), interviewers: [ian])
        try await harness.run(SyncRequest(kind: .sync, dryRun: true), now: Self.tuesday)
        #expect(harness.slack.messages.isEmpty)
        #expect(harness.reports.contains { $0.hasPrefix("would nudge \(Self.ianSlack) (ian@example.com) about 1 scorecard(s)") })
        #expect(try harness.count("slack_messages") == 0)
    }

    @Test func statusShowsOutstandingFeedbackByAgeAndTheNudgesOfTheDay() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        world.interview(endingAt: Self.tuesday.addingTimeInterval(-2 * Self.hour), interviewers: [ian])
        world.interview(endingAt: Self.tuesday.addingTimeInterval(-2 * Self.day), interviewers: [ian])
        world.interview(endingAt: Self.tuesday.addingTimeInterval(-5 * Self.day), interviewers: [ian])
        try await harness.run(now: Self.tuesday)
        let report = try StatusReport.read(try harness.connect(), runLimit: 5, maxAgeMinutes: 60, now: Self.tuesday)
        #expect(report.feedback.outstandingUnderOneDay == 1)
        #expect(report.feedback.outstandingOneToThreeDays == 1)
        #expect(report.feedback.outstandingOlder == 1)
        #expect(report.feedback.nudgesSent == 1, "one DM listing the two interviews inside FEEDBACK_NUDGE_MAX_AGE_HOURS")
        #expect(try harness.count("slack_message_items") == 2)
    }
}
