import Logging
import SlackAPI

/// One `chat.postMessage` and, when it failed, the decision table's verdict on it
/// (`SlackCallOutcome`, kind `.post`): how reminders, nudges and digests post. Each records what
/// became of its DM its own way, through `MessageLedger.recordPostFailed` for a failure.
enum SlackPost {
    case posted(SlackPostedMessage)
    case failed(SlackError, SlackCallOutcome)

    init(_ message: SlackMessage, slack: SlackClient) {
        do throws(SlackError) {
            self = .posted(try slack.postMessage(message))
        } catch {
            self = .failed(error, SlackCallOutcome(kind: .post, failure: error))
        }
    }
}

/// Counts of DMs by what became of their post (reminders and nudges: `ReminderCounts`; `DigestCounts`).
protocol PostCounts {
    var sent: Int { get set }
    var failed: Int { get set }
    var retrying: Int { get set }
    var unknown: Int { get set }
}

extension PostCounts {
    /// Counts a failed post by its verdict (a failure is never `sent`: counted as unknown, the cautious side).
    mutating func countFailure(_ verdict: SlackCallOutcome.Verdict) {
        switch verdict {
        case .retryLater: retrying += 1
        case .never: failed += 1
        case .unknown, .sent: unknown += 1
        }
    }
}

extension ReminderCounts: PostCounts {}
extension DigestCounts: PostCounts {}

extension Logger {
    /// The line for a failed post: `unknown` (an error) when it may have reached Slack, else `failed`
    /// (a warning) with `retry` saying whether a later run tries again.
    func postFailed(unknown: Logger.Message, failed: Logger.Message, verdict: SlackCallOutcome.Verdict, metadata: Logger.Metadata) {
        switch verdict {
        case .unknown, .sent: error(unknown, metadata: metadata)
        case .retryLater: warning(failed, metadata: metadata.merging(["retry": "true"]) { $1 })
        case .never: warning(failed, metadata: metadata.merging(["retry": "false"]) { $1 })
        }
    }
}
