import AshbyAPI
import Foundation

/// The stored form of a schedule, an event and an assignment: exactly the columns the diff compares.
/// Timestamps are rounded to milliseconds (Ashby's precision) so a round trip through
/// PostgreSQL compares equal.
struct ScheduleRow: Equatable, Sendable {
    var scheduleID: String
    var applicationID: String?
    var interviewStageID: String?
    var status: String
    var candidateID: String?
    var ashbyCreatedAt: Date?
    var ashbyUpdatedAt: Date?
    /// `scheduledBy`: who gets the digest when the hiring team has no recruiter or coordinator.
    var scheduledBy: SchedulerRow?
}

/// The user who scheduled a schedule, as stored on it (version 8).
struct SchedulerRow: Equatable, Sendable {
    var userID: String
    var email: String?
    var name: String?
}

struct EventRow: Equatable, Sendable {
    var eventID: String
    var scheduleID: String
    var interviewID: String?
    var startTime: Date
    var endTime: Date
    var feedbackLink: String?
    var location: String?
    var meetingLink: String?
    var hasSubmittedFeedback: Bool
    var ashbyCreatedAt: Date?
    var ashbyUpdatedAt: Date?
    /// Stored only: the event left its schedule (`removed_at` is set). Fetched events are never removed.
    var isRemoved = false
}

struct AssignmentKey: Hashable, Sendable {
    var eventID: String
    var interviewerID: String
}

struct AssignmentRow: Equatable, Sendable {
    var eventID: String
    var interviewerID: String
    var email: String?
    var firstName: String?
    var lastName: String?
    var trainingRole: String?
    var isFeedbackRequired: Bool?

    var key: AssignmentKey { AssignmentKey(eventID: eventID, interviewerID: interviewerID) }
}

extension Date {
    /// This instant rounded to whole milliseconds.
    var roundedToMilliseconds: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}

/// One fetched schedule in its stored form: the schedule's own row and the rows of its events and
/// their interviewers.
struct ScheduleRows: Sendable, Equatable {
    var schedule: ScheduleRow
    var events: [EventRow]
    var assignments: [AssignmentRow]

    init(schedule: ScheduleRow, events: [EventRow], assignments: [AssignmentRow]) {
        self.schedule = schedule
        self.events = events
        self.assignments = assignments
    }

    /// Checks every id (the schema stores them as UUIDs) while converting.
    init(_ schedule: AshbyInterviewSchedule) throws(InvalidPayload) {
        let scheduleID = try InvalidPayload.checkedUUID(schedule.id, "schedule \(schedule.id): id")
        let row = ScheduleRow(
            scheduleID: scheduleID,
            applicationID: try InvalidPayload.checkedOptionalUUID(schedule.applicationId, "schedule \(scheduleID): applicationId"),
            interviewStageID: try InvalidPayload.checkedOptionalUUID(schedule.interviewStageId, "schedule \(scheduleID): interviewStageId"),
            status: StorableText.text(schedule.status) ?? "",
            candidateID: try InvalidPayload.checkedOptionalUUID(schedule.candidateId, "schedule \(scheduleID): candidateId"),
            ashbyCreatedAt: schedule.createdAt?.roundedToMilliseconds,
            ashbyUpdatedAt: schedule.updatedAt?.roundedToMilliseconds,
            scheduledBy: schedule.scheduledBy.flatMap { user in
                // A scheduler whose id is not a UUID only loses the digest fallback, not the schedule.
                guard let id = try? InvalidPayload.checkedUUID(user.id, "schedule \(scheduleID): scheduledBy") else { return nil }
                let name = [user.firstName, user.lastName].compactMap { StorableText.text($0) }.joined(separator: " ")
                return SchedulerRow(userID: id, email: StorableText.text(user.email)?.lowercased(), name: name.isEmpty ? nil : name)
            }
        )
        var events: [EventRow] = []
        var assignments: [AssignmentRow] = []
        for event in schedule.interviewEvents {
            let eventID = try InvalidPayload.checkedUUID(event.id, "schedule \(scheduleID): event \(event.id): id")
            events.append(EventRow(
                eventID: eventID,
                scheduleID: scheduleID,
                interviewID: try InvalidPayload.checkedOptionalUUID(event.interviewId, "event \(eventID): interviewId"),
                startTime: event.startTime.roundedToMilliseconds,
                endTime: event.endTime.roundedToMilliseconds,
                feedbackLink: StorableText.text(event.feedbackLink),
                location: StorableText.text(event.location),
                meetingLink: StorableText.text(event.meetingLink),
                hasSubmittedFeedback: event.hasSubmittedFeedback,
                ashbyCreatedAt: event.createdAt?.roundedToMilliseconds,
                ashbyUpdatedAt: event.updatedAt?.roundedToMilliseconds
            ))
            for interviewer in event.interviewers {
                assignments.append(AssignmentRow(
                    eventID: eventID,
                    interviewerID: try InvalidPayload.checkedUUID(interviewer.id, "event \(eventID): interviewer \(interviewer.id): id"),
                    email: StorableText.text(interviewer.email),
                    firstName: StorableText.text(interviewer.firstName),
                    lastName: StorableText.text(interviewer.lastName),
                    trainingRole: StorableText.text(interviewer.trainingRole),
                    isFeedbackRequired: interviewer.isFeedbackRequired
                ))
            }
        }
        self.init(schedule: row, events: events, assignments: assignments)
    }
}
