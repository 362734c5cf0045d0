/// A failed Slack call, classified so the caller knows whether to retry, give up on one item or
/// stop the whole run.
///
/// `description` is one line naming the method and the cause; it never contains the bot token.
public struct SlackError: Error, CustomStringConvertible, Sendable {
    /// What a caller may do after this error.
    public enum Disposition: Sendable, Equatable {
        /// Worth retrying on a later run (rate limits, outages, timeouts before delivery).
        case temporary
        /// Retrying the same call will fail again (bad recipient, bad content, bad credentials).
        case permanent
        /// The request may have reached Slack: a message may have been posted, so never resend blindly.
        case outcomeUnknown
    }

    /// The Web API method, e.g. `"users.list"`, `"chat.postMessage"`.
    public var method: String
    /// Slack's error code, or a transport code such as `"http_503"`, `"timeout"`, `"malformed_response"`.
    public var code: String
    public var disposition: Disposition
    /// True for auth and scope errors: every further call with this token fails the same way.
    public var stopsRun: Bool
    /// For `missing_scope`: the scopes the method needs and those the token has (comma-separated).
    public var needed: String?
    public var provided: String?
    /// Extra context: `invalid_blocks` messages, the transport cause. Single line.
    public var detail: String?

    public init(
        method: String, code: String, disposition: Disposition, stopsRun: Bool = false,
        needed: String? = nil, provided: String? = nil, detail: String? = nil
    ) {
        self.method = method
        self.code = code
        self.disposition = disposition
        self.stopsRun = stopsRun
        self.needed = needed
        self.provided = provided
        self.detail = detail
    }

    /// An `ok:false` answer, classified by its error code (unknown codes are permanent).
    public init(method: String, apiError code: String, needed: String? = nil, provided: String? = nil, detail: String? = nil) {
        let classification = Self.classify(apiError: code)
        self.init(
            method: method, code: code, disposition: classification.disposition,
            stopsRun: classification.stopsRun, needed: needed, provided: provided, detail: detail)
    }

    public var description: String {
        var text = "\(method): \(code)"
        if needed != nil || provided != nil {
            text += " (needs \(needed ?? "?"), token has \(provided ?? "?"))"
        }
        if let detail, !detail.isEmpty {
            text += " (\(detail))"
        }
        if disposition == .outcomeUnknown {
            text += "; outcome unknown, the request may have reached Slack"
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
