import Foundation
import TestSupport

/// A deterministic synthetic Ashby tenant and Slack workspace of a given shape: what the fakes serve, and
/// the same data as table rows for the baseline's COPY.
///
/// Events start 2 to 30 days ahead, far outside any reminder window, so the runs measure sync cost and
/// send no DMs.
struct SyntheticTenant {
    struct Interviewer {
        var id: String
        var email: String
        var firstName: String
        var lastName: String
        var json: JSONValue
    }

    struct Event {
        var id: String
        var interviewID: String
        var start: Date
        var updatedAt: Date
        /// Indexes into `interviewers`.
        var interviewers: [Int]

        var end: Date { start.addingTimeInterval(3600) }
    }

    struct Schedule {
        var id: String
        var status: String
        var applicationID: String
        var stageID: String
        var candidateID: String
        var updatedAt: Date
        var events: [Event]
    }

    /// What the 1 % change did, to compare with what the sync wrote.
    struct Change {
        var schedules: [JSONValue]
        var movedEvents: Int
        var addedAssignments: Int
    }

    let shape: TenantShape
    let forms: [JSONValue]
    let interviews: [JSONValue]
    let interviewers: [Interviewer]
    private(set) var schedules: [Schedule]
    let slackUsers: [FakeSlack.User]

    static let scheduleAction = "interviewSchedule.list"

    init(shape: TenantShape, seed: UInt64 = 0x6173_6862_7962_656E, now: Date = Date()) {
        self.shape = shape
        var random = SeededGenerator(seed: seed)

        let formIDs = (0..<shape.forms).map { _ in random.uuid() }
        forms = formIDs.enumerated().map { index, id in
            AshbyFixtures.form(id: id, title: "Scorecard \(index + 1)", isArchived: index % 10 == 9, isDefaultForm: index == 0)
        }
        let interviewIDs = (0..<shape.interviews).map { _ in random.uuid() }
        interviews = interviewIDs.enumerated().map { index, id in
            // One in three is job-specific (non-shared), one in twenty archived.
            let jobID: String? = index % 3 == 2 ? random.uuid() : nil
            return AshbyFixtures.interview(
                id: id, title: "Interview \(index + 1)", jobId: jobID,
                feedbackFormDefinitionId: formIDs[index % formIDs.count], isArchived: index % 20 == 19)
        }
        interviewers = (0..<shape.interviewers).map { index in
            let id = random.uuid()
            // Nine in ten interviewers have a Slack account under the same email.
            let email = index % 10 == 9 ? "contractor\(index + 1)@agency.example" : "user\(index + 1)@example.com"
            let first = "Interviewer", last = "\(index + 1)"
            return Interviewer(
                id: id, email: email, firstName: first, lastName: last,
                json: AshbyFixtures.interviewer(id: id, email: email, firstName: first, lastName: last))
        }
        let firstDay = (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 + 2 * 86_400
        var schedules: [Schedule] = []
        schedules.reserveCapacity(shape.schedules)
        for index in 0..<shape.schedules {
            let scheduleID = random.uuid()
            let eventCount = Int.random(in: TenantShape.eventsPerSchedule, using: &random)
            let day = firstDay + Double(Int.random(in: 0..<28, using: &random)) * 86_400
            let events = (0..<eventCount).map { position in
                var pool = Set<Int>()
                let wanted = Int.random(in: TenantShape.interviewersPerEvent, using: &random)
                while pool.count < wanted { pool.insert(Int.random(in: 0..<shape.interviewers, using: &random)) }
                return Event(
                    id: random.uuid(), interviewID: interviewIDs[Int.random(in: 0..<interviewIDs.count, using: &random)],
                    start: Date(timeIntervalSince1970: day + Double(9 + position) * 3600), updatedAt: AshbyFixtures.referenceDate,
                    interviewers: pool.sorted())
            }
            schedules.append(Schedule(
                id: scheduleID, status: index % 20 == 19 ? "Cancelled" : "Scheduled", applicationID: random.uuid(),
                stageID: random.uuid(), candidateID: random.uuid(), updatedAt: AshbyFixtures.referenceDate, events: events))
        }
        self.schedules = schedules
        // A real directory also lists Slackbot and bots, which the sync skips.
        slackUsers = [SlackFixtures.slackbot(), SlackFixtures.bot()] + SlackFixtures.people(count: shape.slackUsers)
    }

    var eventCount: Int { schedules.reduce(0) { $0 + $1.events.count } }
    var assignmentCount: Int { schedules.reduce(0) { $0 + $1.events.reduce(0) { $0 + $1.interviewers.count } } }

    /// A schedule as `interviewSchedule.list` returns it.
    func json(_ schedule: Schedule) -> JSONValue {
        let events = schedule.events.map { event in
            AshbyFixtures.event(
                id: event.id, interviewId: event.interviewID, scheduleId: schedule.id, start: event.start,
                interviewers: event.interviewers.map { interviewers[$0].json }, updatedAt: event.updatedAt)
        }
        return AshbyFixtures.schedule(
            id: schedule.id, status: schedule.status, applicationId: schedule.applicationID,
            interviewStageId: schedule.stageID, candidateId: schedule.candidateID, events: events,
            updatedAt: schedule.updatedAt)
    }

    /// Changes 1 % of the schedules, spread evenly: each gets its first event moved by an hour, every
    /// second one also an added interviewer. Returns the changed schedules for the fake.
    mutating func changeOnePercent(at now: Date) -> Change {
        let count = shape.changedSchedules
        let spacing = max(1, schedules.count / count)
        var change = Change(schedules: [], movedEvents: 0, addedAssignments: 0)
        for (position, index) in stride(from: 0, to: schedules.count, by: spacing).prefix(count).enumerated() {
            var schedule = schedules[index]
            schedule.updatedAt = now
            schedule.events[0].start.addTimeInterval(3600)
            schedule.events[0].updatedAt = now
            change.movedEvents += 1
            if position % 2 == 0,
               let newcomer = (0..<interviewers.count).first(where: { !schedule.events[0].interviewers.contains($0) }) {
                schedule.events[0].interviewers.append(newcomer)
                change.addedAssignments += 1
            }
            schedules[index] = schedule
            change.schedules.append(json(schedule))
        }
        return change
    }
}
