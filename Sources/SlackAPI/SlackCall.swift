/// One Web API method call made through a `SlackClient`, and how it ended: a fact for the job to judge
/// (its `SlackCallOutcome` decides what a failure means).
public struct SlackCall: Sendable {
    /// The method, e.g. `"chat.postMessage"`.
    public var method: String
    /// Why the call failed; nil when Slack answered ok.
    public var failure: SlackError?

    public init(method: String, failure: SlackError?) {
        self.method = method
        self.failure = failure
    }
}
