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

/// A schedule payload that cannot be stored (an id that is not a UUID, an event ending before it starts).
struct InvalidPayload: Error, CustomStringConvertible {
    var description: String
}

extension Date {
    /// This instant rounded to whole milliseconds.
    var roundedToMilliseconds: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}

extension ScheduleRow {
    /// The schedule's own row and the rows of its events and their interviewers.
    static func rows(from schedule: AshbyInterviewSchedule) throws(InvalidPayload) -> (ScheduleRow, [EventRow], [AssignmentRow]) {
        let scheduleID = try uuid(schedule.id, "schedule \(schedule.id): id")
        let row = ScheduleRow(
            scheduleID: scheduleID,
            applicationID: try optionalUUID(schedule.applicationId, "schedule \(scheduleID): applicationId"),
            interviewStageID: try optionalUUID(schedule.interviewStageId, "schedule \(scheduleID): interviewStageId"),
            status: StorableText.text(schedule.status) ?? "",
            candidateID: try optionalUUID(schedule.candidateId, "schedule \(scheduleID): candidateId"),
            ashbyCreatedAt: schedule.createdAt?.roundedToMilliseconds,
            ashbyUpdatedAt: schedule.updatedAt?.roundedToMilliseconds
        )
        var events: [EventRow] = []
        var assignments: [AssignmentRow] = []
        for event in schedule.interviewEvents {
            let eventID = try uuid(event.id, "schedule \(scheduleID): event \(event.id): id")
            events.append(EventRow(
                eventID: eventID,
                scheduleID: scheduleID,
                interviewID: try optionalUUID(event.interviewId, "event \(eventID): interviewId"),
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
                    interviewerID: try uuid(interviewer.id, "event \(eventID): interviewer \(interviewer.id): id"),
                    email: StorableText.text(interviewer.email),
                    firstName: StorableText.text(interviewer.firstName),
                    lastName: StorableText.text(interviewer.lastName),
                    trainingRole: StorableText.text(interviewer.trainingRole),
                    isFeedbackRequired: interviewer.isFeedbackRequired
                ))
            }
        }
        return (row, events, assignments)
    }

    private static func uuid(_ value: String, _ what: String) throws(InvalidPayload) -> String {
        guard UUID(uuidString: value) != nil else {
            throw InvalidPayload(description: "\(what) is not a UUID")
        }
        return value.lowercased()
    }

    private static func optionalUUID(_ value: String?, _ what: String) throws(InvalidPayload) -> String? {
        guard let value else { return nil }
        return try uuid(value, what)
    }
}
