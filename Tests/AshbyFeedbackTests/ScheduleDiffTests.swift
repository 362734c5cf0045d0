import Foundation
import Testing
@testable import AshbyFeedback

/// The diff is pure: stored rows + fetched rows → what to write. No database here.
@Suite struct ScheduleDiffTests {
    let scheduleID = "11111111-1111-4111-8111-111111111111"
    let eventA = "aaaaaaaa-0000-4000-8000-000000000001"
    let eventB = "aaaaaaaa-0000-4000-8000-000000000002"
    let ian = "99999999-0000-4000-8000-000000000001"
    let ada = "99999999-0000-4000-8000-000000000002"
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func schedule(status: String = "Scheduled") -> ScheduleRow {
        ScheduleRow(scheduleID: scheduleID, applicationID: nil, interviewStageID: nil, status: status, candidateID: nil,
                    ashbyCreatedAt: nil, ashbyUpdatedAt: start)
    }

    func event(_ id: String, startOffset: TimeInterval = 0, submitted: Bool = false) -> EventRow {
        EventRow(eventID: id, scheduleID: scheduleID, interviewID: nil, startTime: start + startOffset,
                 endTime: start + startOffset + 3600, feedbackLink: "https://ashby/\(id)", location: nil,
                 meetingLink: nil, hasSubmittedFeedback: submitted, ashbyCreatedAt: nil, ashbyUpdatedAt: nil)
    }

    func assignment(_ event: String, _ interviewer: String, email: String = "x@example.com") -> AssignmentRow {
        AssignmentRow(eventID: event, interviewerID: interviewer, email: email, firstName: nil, lastName: nil,
                      trainingRole: nil, isFeedbackRequired: true)
    }

    func stored(_ events: [EventRow], _ assignments: [AssignmentRow], schedule: ScheduleRow? = nil) -> ScheduleDiff.Stored {
        var stored = ScheduleDiff.Stored()
        stored.schedules[scheduleID] = schedule ?? self.schedule()
        for event in events { stored.events[event.eventID] = event }
        for assignment in assignments { stored.assignments[assignment.key] = assignment }
        return stored
    }

    @Test func newScheduleInsertsEverything() {
        let diff = ScheduleDiff(stored: .init(), fetched: [ScheduleRows(schedule(), [event(eventA)], [assignment(eventA, ian)])])
        #expect(diff.scheduleWrites.all.count == 1)
        #expect(diff.eventWrites.all.map(\.eventID) == [eventA])
        #expect(diff.assignmentWrites.all.count == 1)
        #expect(diff.schedules.inserted == 1 && diff.events.inserted == 1 && diff.assignments.inserted == 1)
    }

    @Test func unchangedScheduleWritesNothing() {
        let diff = ScheduleDiff(
            stored: stored([event(eventA)], [assignment(eventA, ian)]),
            fetched: [ScheduleRows(schedule(), [event(eventA)], [assignment(eventA, ian)])])
        #expect(diff.isEmpty)
        #expect(diff.schedules.unchanged == 1 && diff.events.unchanged == 1 && diff.assignments.unchanged == 1)
    }

    @Test func movedEventRewritesOnlyThatEvent() {
        let diff = ScheduleDiff(
            stored: stored([event(eventA), event(eventB)], [assignment(eventA, ian), assignment(eventB, ada)]),
            fetched: [ScheduleRows(schedule(), [event(eventA, startOffset: 1800), event(eventB)], [assignment(eventA, ian), assignment(eventB, ada)])])
        #expect(diff.scheduleWrites.all.isEmpty)
        #expect(diff.eventWrites.all.map(\.eventID) == [eventA])
        #expect(diff.eventsToRemove.isEmpty && diff.assignmentsToDelete.isEmpty && diff.assignmentWrites.all.isEmpty)
        #expect(diff.events.updated == 1 && diff.events.unchanged == 1)
    }

    @Test func interviewerAddedAndRemoved() {
        let diff = ScheduleDiff(
            stored: stored([event(eventA)], [assignment(eventA, ian)]),
            fetched: [ScheduleRows(schedule(), [event(eventA)], [assignment(eventA, ada)])])
        #expect(diff.assignmentWrites.all.map(\.interviewerID) == [ada])
        #expect(diff.assignmentsToDelete == [AssignmentKey(eventID: eventA, interviewerID: ian)])
        #expect(diff.eventWrites.all.isEmpty && diff.eventsToRemove.isEmpty)
        #expect(diff.assignments.inserted == 1 && diff.assignments.deleted == 1)
    }

    @Test func removedEventIsMarkedRemovedAndKeepsItsAssignments() {
        let diff = ScheduleDiff(
            stored: stored([event(eventA), event(eventB)], [assignment(eventA, ian), assignment(eventB, ada)]),
            fetched: [ScheduleRows(schedule(), [event(eventA)], [assignment(eventA, ian)])])
        #expect(diff.eventsToRemove == [eventB])
        #expect(diff.assignmentsToDelete.isEmpty, "a removed event keeps who was assigned")
        #expect(diff.events.deleted == 1 && diff.assignments.deleted == 0)
    }

    @Test func anAlreadyRemovedEventIsNotRemovedAgainAndComesBackAsAnUpdate() {
        var gone = event(eventB)
        gone.isRemoved = true
        let stillGone = ScheduleDiff(stored: stored([event(eventA), gone], []), fetched: [ScheduleRows(schedule(), [event(eventA)], [])])
        #expect(stillGone.isEmpty)
        let back = ScheduleDiff(stored: stored([event(eventA), gone], []), fetched: [ScheduleRows(schedule(), [event(eventA), event(eventB)], [])])
        #expect(back.eventWrites.all.map(\.eventID) == [eventB])
        #expect(back.events.updated == 1)
    }

    @Test func cancellationUpdatesOnlyTheSchedule() {
        let diff = ScheduleDiff(
            stored: stored([event(eventA)], [assignment(eventA, ian)]),
            fetched: [ScheduleRows(schedule(status: "Cancelled"), [event(eventA)], [assignment(eventA, ian)])])
        #expect(diff.scheduleWrites.all.map(\.status) == ["Cancelled"])
        #expect(diff.eventWrites.all.isEmpty && diff.eventsToRemove.isEmpty)
    }

    @Test func newlySubmittedFeedbackIsReported() {
        let diff = ScheduleDiff(
            stored: stored([event(eventA), event(eventB, submitted: true)], []),
            fetched: [ScheduleRows(schedule(), [event(eventA, submitted: true), event(eventB, submitted: true)], [])])
        #expect(diff.eventsWithSubmittedFeedback == [eventA])
    }

    @Test func aScheduleListedTwiceCountsOnceLaterCopyWinning() {
        let diff = ScheduleDiff(stored: .init(), fetched: [
            ScheduleRows(schedule(status: "Scheduled"), [event(eventA)], []),
            ScheduleRows(schedule(status: "Cancelled"), [event(eventA)], []),
        ])
        #expect(diff.scheduleWrites.all.map(\.status) == ["Cancelled"])
        #expect(diff.eventWrites.all.count == 1)
    }

    @Test func timestampsCompareAtMillisecondPrecision() {
        var fetched = event(eventA)
        fetched.startTime = Date(timeIntervalSince1970: 1_800_000_000.1234).roundedToMilliseconds
        var storedEvent = event(eventA)
        storedEvent.startTime = Date(timeIntervalSince1970: 1_800_000_000.123_400_1).roundedToMilliseconds
        let diff = ScheduleDiff(stored: stored([storedEvent], []), fetched: [ScheduleRows(schedule(), [fetched], [])])
        #expect(diff.eventWrites.all.isEmpty)
    }
}

extension ScheduleRows {
    /// Positional shorthand for the table-like tests above.
    init(_ schedule: ScheduleRow, _ events: [EventRow], _ assignments: [AssignmentRow]) {
        self.init(schedule: schedule, events: events, assignments: assignments)
    }
}
