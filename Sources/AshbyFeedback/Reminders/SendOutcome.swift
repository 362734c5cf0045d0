import SlackAPI

/// What a batch of DMs (reminders, nudges) came to; `stoppedBy` is an error after which no further
/// DM is tried (a refused token), already recorded on its DM.
struct SendOutcome {
    var counts = ReminderCounts()
    var stoppedBy: SlackError?
}
