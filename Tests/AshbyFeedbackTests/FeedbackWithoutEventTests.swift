import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 19 item 7: a scorecard without its event still counts. `applicationFeedback.list` items may
/// lack `interviewEventId`; such a submission counts for its submitter's events of the same application
/// and interview that had started when it was submitted (`FeedbackRules.countsWithoutEvent`), matched
/// when read, so the order in which Ashby's lists arrive does not matter. Real PostgreSQL, FakeAshby
/// serving the documented feedback shape (`submittedByUser`, optional `interviewEventId`), FakeSlack.
@Suite(.timeLimit(.minutes(4)))
struct FeedbackWithoutEventTests {
    /// Tuesday 2027-01-12 14:00 UTC.
    let tuesday = Date(timeIntervalSince1970: 1_799_762_400)
    static let hour: TimeInterval = 3600
    static let ianSlack = "U01IAN0001"
    let ian = AshbyFixtures.interviewer(email: "ian@example.com", firstName: "Ian", lastName: "Interviewer")
    let ada = AshbyFixtures.interviewer(email: "ada@example.com", firstName: "Ada", lastName: "Lovelace")

    /// Two interview definitions, one application with a candidate, Ian in the Slack directory.
    struct World {
        let harness: SyncHarness
        let systemDesign: String
        let culture: String
        let application = AshbyFixtures.id()

        init(_ harness: SyncHarness) {
            self.harness = harness
            let systemDesign = AshbyFixtures.interview(title: "System Design")
            let culture = AshbyFixtures.interview(title: "Culture")
            harness.ashby.upsertInterview(systemDesign)
            harness.ashby.upsertInterview(culture)
            self.systemDesign = systemDesign["id"]!.stringValue!
            self.culture = culture["id"]!.stringValue!
            harness.ashby.setApplication(AshbyFixtures.application(id: application, candidateName: "Casey Candidate"))
            harness.slack.setUsers([SlackFixtures.human(id: FeedbackWithoutEventTests.ianSlack, email: "ian@example.com")])
        }

        /// A scorecard as Ashby may list it: for the application and interview, without `interviewEventId`
        /// unless `event` is given.
        func submit(_ interview: String, by interviewer: JSONValue, at date: Date, event: String? = nil) {
            harness.ashby.upsertFeedback(AshbyFixtures.feedback(
                applicationId: application, eventId: event, interviewId: interview, submittedBy: interviewer, submittedAt: date))
        }
    }

    /// The events whose scorecard the nudge pass finds Ian owing at `now` (the only one on Slack).
    func owed(_ harness: SyncHarness, at now: Date) throws -> [String] {
        try NudgeStore(connection: try harness.connect())
            .outstanding(now: now, oldestEnd: now.addingTimeInterval(-96 * Self.hour), maxNudges: 10).map(\.eventID)
    }

    @Test func aScorecardWithoutItsEventStopsTheNudgesAndMarksTheReminderSubmitted() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let end = tuesday.addingTimeInterval(-2 * Self.hour)
        let designEvent = AshbyFixtures.event(interviewId: world.systemDesign, start: end.addingTimeInterval(-Self.hour), end: end, interviewers: [ian])
        let cultureEvent = AshbyFixtures.event(interviewId: world.culture, start: end.addingTimeInterval(-Self.hour), end: end, interviewers: [ian])
        let schedule = AshbyFixtures.schedule(applicationId: world.application, events: [designEvent, cultureEvent])
        harness.ashby.upsertSchedule(schedule)
        let design = designEvent["id"]!.stringValue!, culture = cultureEvent["id"]!.stringValue!

        try await harness.run(now: end.addingTimeInterval(-Self.hour - 600))
        try #require(harness.slack.messages(to: Self.ianSlack).count == 2, "both reminders")
        harness.ashby.setScheduleStatus(id: schedule["id"]!.stringValue!, "WaitingOnFeedback", updatedAt: end)
        let (_, first) = try await harness.run(now: tuesday)
        #expect(first.nudges.sent == 1)
        #expect(try harness.count("slack_message_items") == 2, "one nudge listing both scorecards")

        let submittedAt = tuesday.addingTimeInterval(600)
        world.submit(world.systemDesign, by: ian, at: submittedAt)
        try await harness.run(now: tuesday.addingTimeInterval(1800))
        #expect(try harness.count("feedback_submissions", where: "event_id IS NULL AND interview_id = '\(world.systemDesign)'") == 1)

        // The System Design reminder DM and the nudge say so; the Culture scorecard is still owed.
        let reasons = try harness.connect().query(
            "SELECT event_id::text, edit_reason FROM slack_messages WHERE kind = 'reminder' ORDER BY event_id").rows
        let reasonByEvent = Dictionary(uniqueKeysWithValues: try reasons.map {
            (try $0["event_id"].decode(String.self), try $0["edit_reason"].decode(String?.self))
        })
        #expect(reasonByEvent[design] == "feedback_submitted")
        #expect(reasonByEvent[culture] == .some(nil))
        let lines = try NudgeStore(connection: try harness.connect()).posted(since: tuesday.addingTimeInterval(-Self.hour)).flatMap(\.lines)
        #expect(lines.first { $0.eventID == design }?.submitted == true)
        #expect(lines.first { $0.eventID == culture }?.submitted == false)
        #expect(harness.slack.updates(to: Self.ianSlack).count == 2, "the reminder and the nudge")
        let marked = try harness.connect().query(
            "SELECT event_id::text, submitted_at FROM feedback_reminders_sent WHERE submitted_at IS NOT NULL").rows
        #expect(try marked.map { try $0["event_id"].decode(String.self) } == [design])
        #expect(try marked.first?["submitted_at"].decode(Date.self) == submittedAt)

        // The next working day: the second nudge is about Culture only.
        let wednesdayMorning = tuesday.addingTimeInterval(24 * Self.hour - 4.5 * Self.hour)
        try await harness.run(now: wednesdayMorning)
        let second = try harness.connect().query("SELECT event_id::text FROM slack_message_items WHERE nudge_number = 2").rows
        #expect(try second.map { try $0[0].decode(String.self) } == [culture])

        // `status` and `report` agree.
        let status = try StatusReport.read(try harness.connect(), runLimit: 5, maxAgeMinutes: 60, now: wednesdayMorning)
        #expect(status.feedback.outstandingUnderOneDay == 1)
        let report = try TurnaroundReport.read(try harness.connect(), days: 30, overdueHours: 24, now: wednesdayMorning)
        #expect(report.overall.submitted == 1 && report.overall.outstanding == 1)
        #expect(report.overall.medianHoursToFeedback == 2.2, "from the end to the scorecard without its event")
    }

    /// Ashby's lists arrive in any order: a scorecard stored before its event counts once the event is stored.
    @Test(arguments: [false, true])
    func aScorecardStoredBeforeItsEventCountsOnceTheEventArrives(namesItsEvent: Bool) async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let end = tuesday.addingTimeInterval(-2 * Self.hour)
        let event = AshbyFixtures.event(interviewId: world.systemDesign, start: end.addingTimeInterval(-Self.hour), end: end, interviewers: [ian])
        world.submit(world.systemDesign, by: ian, at: end.addingTimeInterval(600), event: namesItsEvent ? event["id"]!.stringValue! : nil)
        try await harness.run(now: tuesday.addingTimeInterval(-Self.hour))
        #expect(try harness.count("feedback_submissions") == 1)
        #expect(try harness.count("interview_events") == 0, "the scorecard came first")

        harness.ashby.upsertSchedule(AshbyFixtures.schedule(status: "WaitingOnFeedback", applicationId: world.application, events: [event]))
        let (_, summary) = try await harness.run(now: tuesday)
        #expect(try harness.count("interview_events") == 1)
        #expect(summary.nudges.sent == 0)
        #expect(harness.slack.messages(to: Self.ianSlack).isEmpty)
        #expect(try owed(harness, at: tuesday).isEmpty)
    }

    /// A redo: Ian interviews the candidate twice for the same interview. A scorecard without its event
    /// counts for the interviews that had started when it was submitted, and only the submitter's.
    @Test func aRedoIsToldApartByWhenTheScorecardWasSubmitted() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let firstEnd = tuesday.addingTimeInterval(-30 * Self.hour), redoEnd = tuesday.addingTimeInterval(-2 * Self.hour)
        let first = AshbyFixtures.event(interviewId: world.systemDesign, start: firstEnd.addingTimeInterval(-Self.hour), end: firstEnd, interviewers: [ian])
        let redo = AshbyFixtures.event(interviewId: world.systemDesign, start: redoEnd.addingTimeInterval(-Self.hour), end: redoEnd, interviewers: [ian, ada])
        harness.ashby.upsertSchedule(AshbyFixtures.schedule(status: "Complete", applicationId: world.application, events: [first]))
        harness.ashby.upsertSchedule(AshbyFixtures.schedule(status: "WaitingOnFeedback", applicationId: world.application, events: [redo]))

        world.submit(world.systemDesign, by: ian, at: tuesday.addingTimeInterval(-20 * Self.hour))
        world.submit(world.systemDesign, by: ada, at: tuesday.addingTimeInterval(-Self.hour))
        try await harness.run(now: tuesday)
        #expect(try owed(harness, at: tuesday) == [redo["id"]!.stringValue!], "Ian's scorecard predates the redo; Ada's is hers")

        world.submit(world.systemDesign, by: ian, at: tuesday.addingTimeInterval(-Self.hour / 2))
        try await harness.run(now: tuesday.addingTimeInterval(300))
        #expect(try owed(harness, at: tuesday.addingTimeInterval(300)).isEmpty)
    }
}
