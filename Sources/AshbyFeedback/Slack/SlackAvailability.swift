import SlackAPI

/// Whether Slack could be reached at all in a run, judged at its end from every call that posted or
/// edited a DM (reminders, nudges, digests, edits: `SlackClient.calls`).
///
/// When each of them failed only because Slack was out of reach or overloaded
/// (`SlackCallOutcome.isOutage`: DNS, connect, TLS or proxy failures, timeouts, 429/5xx after retries),
/// the run fails with exit 75 and one line saying so, however the steps recorded each DM (retried
/// later, or unknown when it may have reached Slack). One call that got through, or that Slack answered
/// for a reason of its own, and the run ends as its steps say. Reads of the directory are left out: a
/// failed read fails its step by itself.
enum SlackAvailability {
    /// The run's failure when Slack was unavailable for every DM call of the run, else nil.
    static func failure(calls: [SlackCall]) -> Failure? {
        let dmCalls = calls.filter { SlackCallKind(method: $0.method) != .read }
        var last: SlackError?
        for call in dmCalls {
            guard let failure = call.failure, SlackCallOutcome.isOutage(failure) else { return nil }
            last = failure
        }
        guard let last else { return nil }
        return Failure(status: .unavailable, """
            Slack is unavailable: all \(dmCalls.count) Slack call(s) of this run to post or edit a DM failed \
            (last: \(last)); the next run tries again
            """)
    }
}
