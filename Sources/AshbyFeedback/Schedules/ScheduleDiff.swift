/// What a page of fetched schedules changes in the database, computed without touching it.
///
/// Events are compared by id and assignments by (event, interviewer): an edit rewrites only the rows
/// that differ. An event that disappeared is marked removed, never deleted, so no edit — not even an
/// event moving to a schedule on a later page — touches reminder or draft rows (the original system
/// deleted and re-inserted every event, sending duplicate DMs). Assignments that disappeared are deleted.
struct ScheduleDiff: Sendable {
    /// What is stored for the schedules of one page (and for events the page mentions).
    struct Stored: Sendable {
        var schedules: [String: ScheduleRow] = [:]
        var events: [String: EventRow] = [:]
        var assignments: [AssignmentKey: AssignmentRow] = [:]
    }

    var scheduleWrites = RowWrites<ScheduleRow>()
    var eventWrites = RowWrites<EventRow>()
    /// Events that left their schedule: marked removed (counted as `deleted`).
    var eventsToRemove: [String] = []
    /// The page's schedules (each once): an event is marked removed only while it still belongs to one.
    var scheduleIDs: [String] = []
    var assignmentWrites = RowWrites<AssignmentRow>()
    var assignmentsToDelete: [AssignmentKey] = []
    /// Events that now report submitted feedback, for `feedback_reminders_sent.submitted_at`.
    var eventsWithSubmittedFeedback: [String] = []

    var schedules = TableCounts()
    var events = TableCounts()
    var assignments = TableCounts()

    var isEmpty: Bool {
        scheduleWrites.isEmpty && eventWrites.isEmpty && eventsToRemove.isEmpty
            && assignmentWrites.isEmpty && assignmentsToDelete.isEmpty
    }

    /// Compares fetched schedules (already turned into rows) with what is stored.
    /// A schedule listed twice counts once, the later copy winning.
    init(stored: Stored, fetched: [ScheduleRows]) {
        var latest: [String: ScheduleRows] = [:]
        var order: [String] = []
        for entry in fetched {
            if latest.updateValue(entry, forKey: entry.schedule.scheduleID) == nil { order.append(entry.schedule.scheduleID) }
        }

        var fetchedEventIDs = Set<String>()
        var fetchedAssignmentKeys = Set<AssignmentKey>()
        for scheduleID in order {
            let entry = latest[scheduleID]!
            Self.classify(entry.schedule, stored: stored.schedules[scheduleID], counts: &self.schedules, write: &scheduleWrites)
            for event in entry.events where fetchedEventIDs.insert(event.eventID).inserted {
                let previous = stored.events[event.eventID]
                Self.classify(event, stored: previous, counts: &self.events, write: &eventWrites)
                if event.hasSubmittedFeedback, previous?.hasSubmittedFeedback != true {
                    eventsWithSubmittedFeedback.append(event.eventID)
                }
            }
            for assignment in entry.assignments where fetchedAssignmentKeys.insert(assignment.key).inserted {
                Self.classify(assignment, stored: stored.assignments[assignment.key], counts: &self.assignments, write: &assignmentWrites)
            }
        }

        // Stored rows of these schedules that the fetched copies no longer contain.
        scheduleIDs = order
        let fetchedScheduleIDs = Set(order)
        eventsToRemove = stored.events.values
            .filter { fetchedScheduleIDs.contains($0.scheduleID) && !fetchedEventIDs.contains($0.eventID) && !$0.isRemoved }
            .map(\.eventID).sorted()
        // Interviewers taken off an event that is still there; a removed event keeps its list as it was.
        assignmentsToDelete = stored.assignments.values
            .filter { fetchedEventIDs.contains($0.eventID) && !fetchedAssignmentKeys.contains($0.key) }
            .map(\.key)
            .sorted { ($0.eventID, $0.interviewerID) < ($1.eventID, $1.interviewerID) }
        self.events.deleted = eventsToRemove.count
        self.assignments.deleted = assignmentsToDelete.count
    }

    private static func classify<Row: Equatable>(_ row: Row, stored: Row?, counts: inout TableCounts, write: inout RowWrites<Row>) {
        counts.fetched += 1
        switch stored {
        case nil:
            counts.inserted += 1
            write.new.append(row)
        case let stored? where stored != row:
            counts.updated += 1
            write.changed.append(row)
        default:
            counts.unchanged += 1
        }
    }
}
