import CurlHTTP
import Foundation
import Logging

/// A synchronous client for the Slack Web API methods the job uses: `users.list`,
/// `chat.postMessage` and `chat.update`.
///
/// Blocks the calling thread (libcurl); use one instance from one thread. Retries of 429, 5xx and
/// transport failures within a call happen in `HTTPClient`; what remains is thrown as a `SlackError`
/// stating the facts (the job's `SlackCallOutcome` decides what they mean).
/// The bot token goes only into the `Authorization` header and is scrubbed from anything Slack
/// echoes back into an error.
public final class SlackClient {
    private let baseURL: String
    private let botToken: String
    private let http: HTTPClient
    private let logger: Logger

    /// Every method call made through this client, oldest first, and how it ended (a run makes a bounded
    /// number of calls).
    public private(set) var calls: [SlackCall] = []

    /// Slack method calls made through this client (one per call; HTTP retries are in `HTTPClient.requestCount`).
    public var requestCount: Int { calls.count }

    /// How long one attempt of a call may take (the HTTP client's total timeout), e.g. for a caller
    /// deciding whether a post can still finish before the run's deadline.
    public var requestTimeout: Duration { http.configuration.requestTimeout }

    /// - Parameter baseURL: e.g. `https://slack.com/api`; methods are appended as `/users.list`.
    public init(baseURL: String, botToken: String, http: HTTPClient, logger: Logger) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.botToken = botToken
        self.http = http
        self.logger = logger
    }

    /// One page of `users.list`, sent as GET with query parameters.
    /// - Parameters:
    ///   - cursor: `nextCursor` of the previous page; `nil` for the first page.
    ///   - limit: Page size; Slack recommends at most 200.
    public func usersPage(cursor: String?, limit: Int = 200) throws(SlackError) -> SlackUsersPage {
        var query = [("limit", String(limit))]
        if let cursor, !cursor.isEmpty {
            query.append(("cursor", cursor))
        }
        let request = HTTPRequest(
            method: "GET", url: url(for: Self.usersList, query: query), headers: [authorization],
            endpoint: Self.usersList)
        let (page, envelope) = try call(request, decoding: UsersListAnswer.self)
        let next = envelope.responseMetadata?.nextCursor
        return SlackUsersPage(members: page.members, nextCursor: next?.isEmpty == false ? next : nil)
    }

    /// Posts a message with a JSON body, link and media previews off, auto-parsing off.
    ///
    /// The request is non-idempotent: once it may have reached Slack it is never retried, and a
    /// failure after that point is thrown with `mayHaveBeenDelivered`.
    public func postMessage(_ message: SlackMessage) throws(SlackError) -> SlackPostedMessage {
        let body = try postBody(message)
        let request = HTTPRequest(
            method: "POST", url: url(for: Self.postMessage, query: []),
            headers: [authorization, ("Content-Type", "application/json; charset=utf-8")], body: body,
            endpoint: Self.postMessage, isIdempotent: false)
        let (answer, _) = try call(request, decoding: PostMessageAnswer.self)
        return SlackPostedMessage(channel: answer.channel, ts: answer.ts)
    }

    /// Replaces the text and blocks of a message the bot posted (`chat.update`); `channel` must be the
    /// `D…` ID `postMessage` returned, not the user ID.
    ///
    /// Idempotent (the same content twice leaves one message), so `HTTPClient` retries 429 (honouring
    /// `Retry-After`), 5xx and timeouts, and whatever remains is `.temporary`: a later run tries again.
    public func updateMessage(channel: String, ts: String, message: SlackMessage) throws(SlackError) -> SlackPostedMessage {
        let body = try updateBody(channel: channel, ts: ts, message: message)
        let request = HTTPRequest(
            method: "POST", url: url(for: Self.update, query: []),
            headers: [authorization, ("Content-Type", "application/json; charset=utf-8")], body: body,
            endpoint: Self.update, isIdempotent: true)
        let (answer, _) = try call(request, decoding: PostMessageAnswer.self)
        return SlackPostedMessage(channel: answer.channel, ts: answer.ts)
    }

    static let usersList = "users.list"
    static let postMessage = "chat.postMessage"
    static let update = "chat.update"

    /// The bot scopes these methods need, and all the job asks for: `users.list` needs `users:read`
    /// (and `users:read.email` to see `profile.email`), `chat.postMessage` and `chat.update` need
    /// `chat:write`. The Slack app manifest (`cron/slack-app-manifest.yaml`) asks for exactly these.
    public static let botScopes = ["chat:write", "users:read", "users:read.email"]

    /// The `chat.update` JSON body: always both `text` and the full `blocks` (omitted blocks would be
    /// kept or dropped depending on Slack's version), `parse` none as for the post; no `unfurl_*` on update.
    private func updateBody(channel: String, ts: String, message: SlackMessage) throws(SlackError) -> Data {
        guard let blocks = (try? JSONSerialization.jsonObject(with: message.blocksJSON)) as? [Any] else {
            throw SlackError(
                method: Self.update, code: "invalid_blocks_format", cause: .notSent,
                detail: "blocksJSON is not a JSON array; nothing was sent")
        }
        let object: [String: Any] = ["channel": channel, "ts": ts, "text": message.text, "blocks": blocks, "parse": "none"]
        do {
            return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        } catch {
            preconditionFailure("strings and parsed JSON always serialise: \(error)")
        }
    }

    private var authorization: (name: String, value: String) {
        ("Authorization", HTTPRequest.bearerAuthorization(token: botToken))
    }

    private func url(for method: String, query: [(String, String)]) -> String {
        let pairs = query.map { "\($0)=\(Self.percentEncoded($1))" }
        return "\(baseURL)/\(method)" + (pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&"))
    }

    /// The `chat.postMessage` JSON body; `blocksJSON` is embedded as is (it must be a JSON array).
    private func postBody(_ message: SlackMessage) throws(SlackError) -> Data {
        var object: [String: Any] = [
            "channel": message.channel, "text": message.text,
            "unfurl_links": false, "unfurl_media": false, "parse": "none",
        ]
        if !message.blocksJSON.isEmpty {
            guard let blocks = (try? JSONSerialization.jsonObject(with: message.blocksJSON)) as? [Any] else {
                throw SlackError(
                    method: Self.postMessage, code: "invalid_blocks_format", cause: .notSent,
                    detail: "blocksJSON is not a JSON array; nothing was sent")
            }
            object["blocks"] = blocks
        }
        do {
            return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        } catch {
            preconditionFailure("strings, booleans and parsed JSON always serialise: \(error)")
        }
    }

    // MARK: - Calls and failures

    /// Sends `request` and returns the decoded `ok:true` answer with its envelope, or throws what went wrong.
    private func call<Answer: Decodable>(
        _ request: HTTPRequest, decoding: Answer.Type
    ) throws(SlackError) -> (Answer, Envelope) {
        let method = request.endpoint
        let response: HTTPResponse
        do {
            response = try http.send(request)
        } catch {
            throw failed(transportError(error, request: request))
        }
        // A 5xx, or a 200 that cannot be read, leaves open whether a request with side effects was acted on.
        let serverError = !request.isIdempotent && response.status >= 500
        let envelope = try? JSONDecoder().decode(Envelope.self, from: response.body)
        if let envelope, !envelope.ok {
            throw failed(apiError(envelope, method: method, status: response.status, mayHaveBeenDelivered: serverError))
        }
        guard response.status == 200 else {
            throw failed(SlackError(
                method: method, code: "http_\(response.status)", cause: .httpStatus, httpStatus: response.status,
                mayHaveBeenDelivered: serverError,
                detail: "HTTP \(response.status) without a Slack API response (\(response.body.count) bytes)"))
        }
        guard let envelope, let answer = try? JSONDecoder().decode(Answer.self, from: response.body) else {
            throw failed(SlackError(
                method: method, code: "malformed_response", cause: .malformedAnswer, httpStatus: 200,
                mayHaveBeenDelivered: !request.isIdempotent,
                detail: "HTTP 200 without a readable ok:true answer (\(response.body.count) bytes)"))
        }
        let warnings = Set([envelope.warning].compactMap { $0 } + (envelope.responseMetadata?.warnings ?? []))
        if !warnings.isEmpty {
            logger.debug("slack_warnings", metadata: [
                "slack.method": "\(method)", "slack.warnings": "\(redacted(warnings.sorted().joined(separator: ",")))",
            ])
        }
        logger.trace("slack_call_succeeded", metadata: ["slack.method": "\(method)"])
        calls.append(SlackCall(method: method, failure: nil))
        return (answer, envelope)
    }

    /// Logs a failed call at debug and records it in `calls`, then hands the error back for throwing.
    private func failed(_ error: SlackError) -> SlackError {
        calls.append(SlackCall(method: error.method, failure: error))
        var metadata: Logger.Metadata = [
            "slack.method": "\(error.method)", "slack.error": "\(error.code)",
        ]
        if let status = error.httpStatus { metadata["http.status"] = "\(status)" }
        if error.mayHaveBeenDelivered { metadata["slack.may_have_been_delivered"] = "true" }
        logger.debug("slack_call_failed", metadata: metadata)
        return error
    }

    /// An `ok:false` answer, whatever its HTTP status.
    private func apiError(_ envelope: Envelope, method: String, status: Int, mayHaveBeenDelivered: Bool) -> SlackError {
        let code = redacted(envelope.error ?? "unknown_error")
        var details = envelope.errors ?? []
        for message in envelope.responseMetadata?.messages ?? [] where !details.contains(where: { message.hasSuffix($0) }) {
            details.append(message)
        }
        return SlackError(
            method: method, code: code, cause: .slackError, httpStatus: status,
            mayHaveBeenDelivered: mayHaveBeenDelivered, needed: envelope.needed.map(redacted),
            provided: envelope.provided.map(redacted),
            detail: details.isEmpty ? nil : redacted(details.joined(separator: "; ")))
    }

    /// What is left after `HTTPClient` gave up.
    private func transportError(_ error: HTTPError, request: HTTPRequest) -> SlackError {
        let attempts = error.attempts == 1 ? "1 attempt" : "\(error.attempts) attempts"
        let status = error.response?.status
        var cause = SlackError.Cause.transport(isTemporary: error.isTemporary)
        let code: String
        var detail: String
        switch error.kind {
        case .timeout:
            (code, detail) = ("timeout", "no complete answer in time")
        case .connectFailed(let phase, let message):
            (code, detail) = ("connect_failed", "could not reach Slack (\(phase)): \(message)")
        case .transport(let message):
            (code, detail) = ("connection_failed", message)
        case .status(let status):
            // A Slack error code in the last body (e.g. "ratelimited") says more than the status.
            let envelope = error.response.flatMap { try? JSONDecoder().decode(Envelope.self, from: $0.body) }
            if let slackCode = envelope?.error {
                (cause, code, detail) = (.slackError, redacted(slackCode), "HTTP \(status)")
            } else {
                (cause, code, detail) = (.httpStatus, "http_\(status)", "HTTP \(status)")
            }
        case .retryAfterTooLong(let wait):
            (code, detail) = ("ratelimited", "Slack asked to wait \(wait.components.seconds) s, longer than this client waits")
        case .responseTooLarge(let limit):
            (code, detail) = ("response_too_large", "answer larger than \(limit) bytes")
        case .deadlineReached:
            (code, detail) = ("deadline_reached", "the run's time budget is used up")
        case .rateLimited(let wait, _):
            // Only requests with a `RateLimitPolicy` end this way; Slack's carry none (Slack sends Retry-After).
            (code, detail) = ("ratelimited", "rate limited, next attempt possible in \(wait.components.seconds) s")
        case .invalidHeaderValue(let name):
            (cause, code, detail) = (.notSent, "invalid_header_value", "header \(name) has a control character; nothing was sent")
        }
        if error.attempts > 0 {
            detail += " after \(attempts)"
        }
        return SlackError(
            method: request.endpoint, code: code, cause: cause, httpStatus: status,
            mayHaveBeenDelivered: error.mayHaveBeenDelivered, detail: detail)
    }

    /// `text` with every occurrence of the bot token replaced, for anything Slack echoes back.
    private func redacted(_ text: String) -> String {
        botToken.isEmpty ? text : text.replacingOccurrences(of: botToken, with: "[redacted]")
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters (cursors are base64: `+/=`).
    private static func percentEncoded(_ value: String) -> String {
        var encoded = ""
        for byte in value.utf8 {
            if unreserved.contains(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
}

// MARK: - Wire shapes

extension SlackClient {
    /// The fields every Slack answer may carry.
    private struct Envelope: Decodable {
        var ok: Bool
        var error: String?
        var warning: String?
        var needed: String?
        var provided: String?
        /// `invalid_blocks` details.
        var errors: [String]?
        var responseMetadata: Metadata?

        struct Metadata: Decodable {
            var messages: [String]?
            var warnings: [String]?
            var nextCursor: String?

            private enum CodingKeys: String, CodingKey {
                case messages, warnings, nextCursor = "next_cursor"
            }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                messages = try? container.decodeIfPresent([String].self, forKey: .messages)
                warnings = try? container.decodeIfPresent([String].self, forKey: .warnings)
                nextCursor = try? container.decodeIfPresent(String.self, forKey: .nextCursor)
            }
        }

        private enum CodingKeys: String, CodingKey {
            case ok, error, warning, needed, provided, errors
            case responseMetadata = "response_metadata"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            ok = try container.decode(Bool.self, forKey: .ok)
            error = try? container.decodeIfPresent(String.self, forKey: .error)
            warning = try? container.decodeIfPresent(String.self, forKey: .warning)
            needed = try? container.decodeIfPresent(String.self, forKey: .needed)
            provided = try? container.decodeIfPresent(String.self, forKey: .provided)
            errors = try? container.decodeIfPresent([String].self, forKey: .errors)
            responseMetadata = try? container.decodeIfPresent(Metadata.self, forKey: .responseMetadata)
        }
    }

    private struct UsersListAnswer: Decodable {
        var members: [SlackMember]
    }

    private struct PostMessageAnswer: Decodable {
        var channel: String
        /// Decoded as a string only: a numeric `ts` would lose its trailing zeros.
        var ts: String
    }
}
