/// What a schedule's `status` means for the messages about its events, as SQL fragments on the schedule
/// `s`. Reminders, fresh reminders after a move, edits, nudges, digests, `status` and `report` all use
/// these, so no query spells a status itself.
///
/// Ashby's statuses: `NeedsScheduling`, `WaitingOnCandidateBooking`, `WaitingOnCandidateAvailability`,
/// `CandidateAvailabilitySubmitted`, `Scheduled`, `WaitingOnFeedback`, `Complete`, `Cancelled`, `OnHold`,
/// `Unknown`; they describe the schedule as a whole, never one event, and when a loop of several events
/// moves from one to the next is not documented. So an event still in its schedule takes place at its
/// time whatever the status says, except:
/// - `Cancelled`: none of its events take place; a posted reminder is edited to say so.
/// - `OnHold`: a held schedule is not confirmed (held slots on the panel's calendars while the candidate
///   or the team is not settled): the job reminds, nudges and lists nobody for it while it is held, and
///   picks it up again when it leaves hold. A reminder already posted is **not** edited to "cancelled": a
///   hold is no cancellation, is often confirmed at the same time, and telling the panel to free the slot
///   would be the one false thing the DM ever said. It still follows moves and panel changes.
///
/// Everything else — `WaitingOnFeedback` for a loop whose first interview is over while the next ones are
/// ahead, `Complete`, the scheduling statuses of a loop partly booked, `Unknown`, and any value a later
/// API version adds — takes place: a missed reminder costs more than one for an event on the calendar.
enum ScheduleRules {
    /// True when the events of the schedule `s` take place: not `Cancelled`, not `OnHold`.
    static let takesPlace = "s.status NOT IN ('Cancelled', 'OnHold')"

    /// True when the schedule `s` was cancelled: its posted reminders say so.
    static let isCancelled = "s.status = 'Cancelled'"
}
