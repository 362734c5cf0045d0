import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 19 item 5: every schedule status has one rule (`ScheduleRules`). An event still in its schedule
/// takes place unless the schedule is `Cancelled` or `OnHold`, for reminders, fresh reminders after a
/// move, nudges, digests, `status` and `report` alike; only `Cancelled` edits a posted reminder.
/// Real PostgreSQL, FakeAshby moving schedules through their statuses, FakeSlack; the run's clock is fixed.
@Suite(.serialized, .timeLimit(.minutes(6)))
struct ScheduleStatusTests {
    /// Tuesday 2027-01-19 10:00 UTC: inside everyone's working hours (UTC) and after `DIGEST_TIME`.
    let now = Date(timeIntervalSince1970: 1_800_352_800)
    static let hour: TimeInterval = 3600
    static let ianSlack = "U01IAN0001", adaSlack = "U01ADA0001", ritaSlack = "U01RITA001"
    let ian = AshbyFixtures.interviewer(email: "ian@example.com", firstName: "Ian", lastName: "Interviewer")
    let ada = AshbyFixtures.interviewer(email: "ada@example.com", firstName: "Ada", lastName: "Lovelace")

    /// What the job does for a loop in one status: remind the next interviewer, nudge the one whose
    /// interview is over, list that scorecard in the recruiter's digest.
    struct Decision: Sendable, CustomTestStringConvertible {
        var status: String
        var reminder: Bool
        var nudge: Bool
        var digest: Bool
        var testDescription: String { status }

        init(_ status: String, reminder: Bool, nudge: Bool, digest: Bool) {
            self.status = status
            self.reminder = reminder
            self.nudge = nudge
            self.digest = digest
        }
    }

    /// The documented ten, and a value a later API version may add.
    static let decisions = [
        Decision("NeedsScheduling", reminder: true, nudge: true, digest: true),
        Decision("WaitingOnCandidateBooking", reminder: true, nudge: true, digest: true),
        Decision("WaitingOnCandidateAvailability", reminder: true, nudge: true, digest: true),
        Decision("CandidateAvailabilitySubmitted", reminder: true, nudge: true, digest: true),
        Decision("Scheduled", reminder: true, nudge: true, digest: true),
        Decision("WaitingOnFeedback", reminder: true, nudge: true, digest: true),
        Decision("Complete", reminder: true, nudge: true, digest: true),
        Decision("Cancelled", reminder: false, nudge: false, digest: false),
        Decision("OnHold", reminder: false, nudge: false, digest: false),
        Decision("Unknown", reminder: true, nudge: true, digest: true),
        Decision("InterviewerDeclined", reminder: true, nudge: true, digest: true),
    ]

    /// An onsite loop for one application: Ian's interview ended 30 hours ago, Ada's starts in 10 minutes;
    /// Rita is the recruiter. Returns the schedule's and the upcoming event's ids.
    @discardableResult
    func loop(_ harness: SyncHarness, status: String) -> (schedule: String, upcoming: String) {
        let interview = AshbyFixtures.interview(title: "System Design")
        harness.ashby.upsertInterview(interview)
        let interviewID = interview["id"]!.stringValue!
        let application = AshbyFixtures.id()
        harness.ashby.setApplication(AshbyFixtures.application(
            id: application, candidateName: "Casey Candidate", jobTitle: "Backend Engineer",
            hiringTeam: [AshbyFixtures.hiringTeamMember(email: "rita@example.com", role: "Recruiter")]))
        harness.slack.setUsers([
            SlackFixtures.human(id: Self.ianSlack, email: "ian@example.com"),
            SlackFixtures.human(id: Self.adaSlack, email: "ada@example.com"),
            SlackFixtures.human(id: Self.ritaSlack, email: "rita@example.com"),
        ])
        let past = AshbyFixtures.event(
            interviewId: interviewID, start: now.addingTimeInterval(-31 * Self.hour), end: now.addingTimeInterval(-30 * Self.hour),
            interviewers: [ian])
        let upcoming = AshbyFixtures.event(interviewId: interviewID, start: now.addingTimeInterval(600), interviewers: [ada])
        let schedule = AshbyFixtures.schedule(status: status, applicationId: application, events: [past, upcoming])
        harness.ashby.upsertSchedule(schedule)
        return (schedule["id"]!.stringValue!, upcoming["id"]!.stringValue!)
    }

    @Test func everyDocumentedStatusHasADecision() {
        #expect(Set(Self.decisions.map(\.status)).isSuperset(of: AshbyFixtures.scheduleStatuses))
        #expect(!AshbyFixtures.scheduleStatuses.contains("InterviewerDeclined"), "one value Ashby does not document")
    }

    @Test(arguments: ScheduleStatusTests.decisions)
    func theStatusDecidesRemindersNudgesAndDigests(_ decision: Decision) async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        loop(harness, status: decision.status)
        let (outcome, summary) = try await harness.run(now: now)
        #expect(outcome == .succeeded)

        #expect(summary.reminders.sent == (decision.reminder ? 1 : 0), "the next interview's reminder")
        #expect(harness.slack.messages(to: Self.adaSlack).count == (decision.reminder ? 1 : 0))
        #expect(summary.nudges.sent == (decision.nudge ? 1 : 0), "the nudge for the interview that is over")
        #expect(harness.slack.messages(to: Self.ianSlack).count == (decision.nudge ? 1 : 0))
        #expect(summary.digests.sent == (decision.digest ? 1 : 0), "the recruiter's digest")
        #expect(harness.slack.messages(to: Self.ritaSlack).count == (decision.digest ? 1 : 0))

        // `status` and `report` count the same scorecard as owed, or not.
        let report = try StatusReport.read(try harness.connect(), runLimit: 5, maxAgeMinutes: 60, now: now)
        #expect(report.feedback.outstandingOneToThreeDays == (decision.nudge ? 1 : 0))
        let turnaround = try TurnaroundReport.read(try harness.connect(), days: 30, overdueHours: 24, now: now)
        #expect(turnaround.overall.interviewsNeedingFeedback == (decision.nudge ? 1 : 0))
    }

    @Test func aPostedReminderIsEditedOnlyWhenTheLoopIsCancelledNeverForAHold() async throws {
        let harness = try await SyncHarness.start(settings: ["FEEDBACK_NUDGE_MAX": "0", "DIGEST_TIME": "off"])
        defer { Task { await harness.stop() } }
        let (schedule, _) = loop(harness, status: "Scheduled")
        try await harness.run(now: now)
        try #require(harness.slack.messages(to: Self.adaSlack).count == 1)

        for (minute, status) in [(1.0, "WaitingOnFeedback"), (2, "OnHold"), (3, "Scheduled")] {
            harness.ashby.setScheduleStatus(id: schedule, status, updatedAt: now.addingTimeInterval(minute * 60))
            let (_, summary) = try await harness.run(now: now.addingTimeInterval(minute * 60))
            #expect(summary.edits.edited == 0, "\(status): the DM stays as it is")
            #expect(harness.slack.updates(to: Self.adaSlack).isEmpty)
            #expect(harness.slack.messages(to: Self.adaSlack).count == 1, "\(status): never a second reminder")
        }

        harness.ashby.setScheduleStatus(id: schedule, "Cancelled", updatedAt: now.addingTimeInterval(240))
        let (_, cancelled) = try await harness.run(now: now.addingTimeInterval(240))
        #expect(cancelled.edits.edited == 1)
        #expect(harness.slack.updates(to: Self.adaSlack).count == 1)
        let reason = try harness.connect().query(
            "SELECT edit_reason FROM slack_messages WHERE kind = 'reminder' AND slack_user_id = $1", [Self.adaSlack]).rows[0][0]
        #expect(try reason.decode(String?.self) == "cancelled")
    }

    /// The fresh reminder after a move (`MessageLedger.dueAgain`) follows the same rule: a loop waiting
    /// on feedback for its first interview gets it; a held one only once the hold is released.
    @Test func aMovedInterviewOfAWaitingLoopIsRemindedAgainButNotWhileOnHold() async throws {
        let harness = try await SyncHarness.start(settings: ["FEEDBACK_NUDGE_MAX": "0", "DIGEST_TIME": "off"])
        defer { Task { await harness.stop() } }
        let (schedule, upcoming) = loop(harness, status: "WaitingOnFeedback")
        try await harness.run(now: now)
        try #require(harness.slack.messages(to: Self.adaSlack).count == 1, "the loop's next interview is reminded")

        let newStart = now.addingTimeInterval(2 * 24 * Self.hour + 600)
        _ = harness.ashby.modifySchedule(id: schedule) { value in
            var events = value["interviewEvents"]!.arrayValue!
            let index = events.firstIndex { $0["id"]?.stringValue == upcoming }!
            events[index]["startTime"] = .string(AshbyFixtures.timestamp(newStart))
            events[index]["endTime"] = .string(AshbyFixtures.timestamp(newStart.addingTimeInterval(Self.hour)))
            value["interviewEvents"] = .array(events)
        }
        try await harness.run(now: now.addingTimeInterval(60))
        #expect(harness.slack.updates(to: Self.adaSlack).count == 1, "the DM shows the new time")

        harness.ashby.setScheduleStatus(id: schedule, "OnHold")
        let inWindow = newStart.addingTimeInterval(-600)
        try await harness.run(now: inWindow)
        #expect(harness.slack.messages(to: Self.adaSlack).count == 1, "held: no fresh reminder")

        harness.ashby.setScheduleStatus(id: schedule, "WaitingOnFeedback")
        try await harness.run(now: inWindow.addingTimeInterval(60))
        #expect(harness.slack.messages(to: Self.adaSlack).count == 2, "released: one fresh reminder")
        try await harness.run(now: inWindow.addingTimeInterval(120))
        #expect(harness.slack.messages(to: Self.adaSlack).count == 2)
    }
}
