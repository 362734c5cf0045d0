/// A failed Slack call, as facts: what answered (Slack, something else, nothing), with which code and
/// status, and whether the request may have reached Slack without a definite answer.
///
/// Whether the call may be made again, and whether the run must stop, is not decided here: the job's one
/// decision table (`SlackCallOutcome` in AshbyFeedback) reads these facts.
///
/// `description` is one line naming the method and the cause; it never contains the bot token.
public struct SlackError: Error, CustomStringConvertible, Sendable {
    /// What produced the failure.
    public enum Cause: Sendable, Equatable {
        /// Slack answered `ok:false`; `code` is its error code, `httpStatus` the status it came with.
        case slackError
        /// An HTTP status without Slack's JSON envelope (an HTML error page, a proxy, a wrong
        /// SLACK_API_URL); `code` is `http_<status>`.
        case httpStatus
        /// The HTTP exchange failed (timeout, connect failure, broken connection, retry budget or deadline
        /// used up). `isTemporary`: a later attempt may succeed, unlike e.g. a malformed URL.
        case transport(isTemporary: Bool)
        /// HTTP 200 without a readable `ok:true` answer of the expected shape.
        case malformedAnswer
        /// Refused by this client before anything was sent: blocks that are not a JSON array
        /// (`invalid_blocks_format`), a header value with a control character (`invalid_header_value`).
        case notSent
    }

    /// The Web API method, e.g. `"users.list"`, `"chat.postMessage"`.
    public var method: String
    /// Slack's error code, or this client's: `"http_503"`, `"timeout"`, `"malformed_response"`, ...
    public var code: String
    public var cause: Cause
    /// The status of the last HTTP response, when there was one.
    public var httpStatus: Int?
    /// True when a non-idempotent request may have reached Slack and been acted on without a definite
    /// answer (timeout or broken connection after sending, 5xx, unreadable 200). Always false for
    /// idempotent requests and for `ok:false` answers at HTTP 200.
    public var mayHaveBeenDelivered: Bool
    /// For `missing_scope`: the scopes the method needs and those the token has (comma-separated).
    public var needed: String?
    public var provided: String?
    /// Extra context: `invalid_blocks` messages, the transport cause. Single line.
    public var detail: String?

    public init(
        method: String, code: String, cause: Cause, httpStatus: Int? = nil, mayHaveBeenDelivered: Bool = false,
        needed: String? = nil, provided: String? = nil, detail: String? = nil
    ) {
        self.method = method
        self.code = code
        self.cause = cause
        self.httpStatus = httpStatus
        self.mayHaveBeenDelivered = mayHaveBeenDelivered
        self.needed = needed
        self.provided = provided
        self.detail = detail
    }

    public var description: String {
        var text = "\(method): \(code)"
        if needed != nil || provided != nil {
            text += " (needs \(needed ?? "?"), token has \(provided ?? "?"))"
        }
        if let detail, !detail.isEmpty {
            text += " (\(detail))"
        }
        if mayHaveBeenDelivered {
            text += "; outcome unknown, the request may have reached Slack"
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
