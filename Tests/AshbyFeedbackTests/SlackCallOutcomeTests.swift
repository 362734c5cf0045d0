import SlackAPI
import Testing
@testable import AshbyFeedback

/// The decision table "may this Slack call go out again?", row by row, and the exit statuses it implies.
@Suite struct SlackCallOutcomeTests {
    /// One row: a call of `kind` that ended in `failure` (nil: Slack answered ok) must be decided `expected`.
    struct Row: Sendable, CustomTestStringConvertible {
        var kind: SlackCallKind
        var failure: SlackError?
        var expected: SlackCallOutcome

        var testDescription: String {
            guard let failure else { return "\(kind) ok → \(expected)" }
            let status = failure.httpStatus.map { " HTTP \($0)" } ?? ""
            let delivered = failure.mayHaveBeenDelivered ? " maybe delivered" : ""
            return "\(kind) \(failure.cause) \(failure.code)\(status)\(delivered) → \(expected)"
        }
    }

    static func slack(_ code: String, status: Int = 200, delivered: Bool = false) -> SlackError {
        SlackError(method: "m", code: code, cause: .slackError, httpStatus: status, mayHaveBeenDelivered: delivered)
    }

    static func status(_ status: Int, delivered: Bool = false) -> SlackError {
        SlackError(method: "m", code: "http_\(status)", cause: .httpStatus, httpStatus: status, mayHaveBeenDelivered: delivered)
    }

    static func transport(_ code: String, temporary: Bool = true, delivered: Bool = false) -> SlackError {
        SlackError(method: "m", code: code, cause: .transport(isTemporary: temporary), mayHaveBeenDelivered: delivered)
    }

    static func malformed(delivered: Bool) -> SlackError {
        SlackError(method: "m", code: "malformed_response", cause: .malformedAnswer, httpStatus: 200, mayHaveBeenDelivered: delivered)
    }

    static func notSent(_ code: String) -> SlackError {
        SlackError(method: "m", code: code, cause: .notSent)
    }

    static let postRows: [Row] = [
        Row(kind: .post, failure: nil, expected: .sent),
        // Part of the operation may have succeeded (slack-api.md): never posted again.
        Row(kind: .post, failure: slack("fatal_error"), expected: .unknown),
        Row(kind: .post, failure: slack("internal_error"), expected: .unknown),
        Row(kind: .post, failure: slack("brand_new_error"), expected: .unknown),
        Row(kind: .post, failure: slack("service_unavailable", status: 503, delivered: true), expected: .unknown),
        Row(kind: .post, failure: slack("fatal_error", status: 501, delivered: true), expected: .unknown),
        // Slack said it did nothing.
        Row(kind: .post, failure: slack("ratelimited", status: 429), expected: .retryLater),
        Row(kind: .post, failure: slack("message_limit_exceeded"), expected: .retryLater),
        Row(kind: .post, failure: slack("service_unavailable"), expected: .retryLater),
        Row(kind: .post, failure: slack("request_timeout"), expected: .retryLater),
        Row(kind: .post, failure: slack("channel_not_found"), expected: .never),
        Row(kind: .post, failure: slack("msg_too_long"), expected: .never),
        Row(kind: .post, failure: slack("invalid_blocks"), expected: .never),
        // Ours to fix: stop the run, retry once fixed.
        Row(kind: .post, failure: slack("invalid_auth"), expected: .stopRun),
        Row(kind: .post, failure: slack("invalid_auth", status: 401), expected: .stopRun),
        Row(kind: .post, failure: slack("missing_scope"), expected: .stopRun),
        Row(kind: .post, failure: status(404), expected: .stopRun),
        Row(kind: .post, failure: status(407), expected: .stopRun),
        Row(kind: .post, failure: status(429), expected: .retryLater),
        Row(kind: .post, failure: status(503, delivered: true), expected: .unknown),
        Row(kind: .post, failure: status(501, delivered: true), expected: .unknown),
        // Transport: before sending it is harmless, after sending the outcome is unknown.
        Row(kind: .post, failure: transport("connect_failed"), expected: .retryLater),
        Row(kind: .post, failure: transport("timeout"), expected: .retryLater),
        Row(kind: .post, failure: transport("deadline_reached"), expected: .retryLater),
        Row(kind: .post, failure: transport("ratelimited"), expected: .retryLater),
        Row(kind: .post, failure: transport("timeout", delivered: true), expected: .unknown),
        Row(kind: .post, failure: transport("connection_failed", delivered: true), expected: .unknown),
        Row(kind: .post, failure: transport("response_too_large", temporary: false, delivered: true), expected: .unknown),
        Row(kind: .post, failure: transport("connection_failed", temporary: false), expected: .never),
        Row(kind: .post, failure: malformed(delivered: true), expected: .unknown),
        Row(kind: .post, failure: notSent("invalid_blocks_format"), expected: .never),
        Row(kind: .post, failure: notSent("invalid_header_value"), expected: .stopRun),
    ]

    static let readRows: [Row] = [
        Row(kind: .read, failure: nil, expected: .sent),
        Row(kind: .read, failure: slack("fatal_error"), expected: .retryLater),
        Row(kind: .read, failure: slack("internal_error"), expected: .retryLater),
        Row(kind: .read, failure: slack("service_unavailable", status: 503), expected: .retryLater),
        Row(kind: .read, failure: slack("brand_new_error", status: 500), expected: .retryLater),
        Row(kind: .read, failure: slack("ratelimited", status: 429), expected: .retryLater),
        Row(kind: .read, failure: slack("invalid_cursor"), expected: .never),
        Row(kind: .read, failure: slack("brand_new_error"), expected: .never),
        Row(kind: .read, failure: slack("missing_scope"), expected: .stopRun),
        Row(kind: .read, failure: slack("token_revoked"), expected: .stopRun),
        Row(kind: .read, failure: status(404), expected: .stopRun),
        Row(kind: .read, failure: status(503), expected: .retryLater),
        Row(kind: .read, failure: transport("timeout"), expected: .retryLater),
        Row(kind: .read, failure: transport("connection_failed"), expected: .retryLater),
        Row(kind: .read, failure: transport("response_too_large", temporary: false), expected: .never),
        Row(kind: .read, failure: malformed(delivered: false), expected: .retryLater),
    ]

    /// `chat.update` repeats safely: unclear failures are tried again by a later run; a message that is
    /// gone or can no longer be edited never is.
    static let editRows: [Row] = [
        Row(kind: .edit, failure: nil, expected: .sent),
        Row(kind: .edit, failure: slack("message_not_found"), expected: .never),
        Row(kind: .edit, failure: slack("cant_update_message"), expected: .never),
        Row(kind: .edit, failure: slack("edit_window_closed"), expected: .never),
        Row(kind: .edit, failure: slack("channel_not_found"), expected: .never),
        Row(kind: .edit, failure: slack("ratelimited", status: 429), expected: .retryLater),
        Row(kind: .edit, failure: slack("service_unavailable", status: 503), expected: .retryLater),
        Row(kind: .edit, failure: slack("fatal_error"), expected: .retryLater),
        Row(kind: .edit, failure: status(503, delivered: true), expected: .retryLater),
        Row(kind: .edit, failure: transport("timeout", delivered: true), expected: .retryLater),
        Row(kind: .edit, failure: malformed(delivered: true), expected: .retryLater),
        Row(kind: .edit, failure: slack("invalid_auth"), expected: .stopRun),
        Row(kind: .edit, failure: slack("missing_scope"), expected: .stopRun),
    ]

    @Test(arguments: postRows + readRows + editRows)
    func decides(_ row: Row) {
        #expect(SlackCallOutcome(kind: row.kind, failure: row.failure) == row.expected)
    }

    @Test func methodsMapToKindsWithUnknownOnesTreatedAsPosts() {
        #expect(SlackCallKind(method: "users.list") == .read)
        #expect(SlackCallKind(method: "chat.postMessage") == .post)
        #expect(SlackCallKind(method: "chat.update") == .edit)
        #expect(SlackCallKind(method: "chat.somethingNew") == .post)
    }

    // MARK: Exit statuses and wording (Failure)

    @Test func slackAuthErrorStopsWithConfigurationStatusAndSaysTheTokenWasRefused() {
        let failure = Failure(SlackError(method: "users.list", code: "invalid_auth", cause: .slackError, httpStatus: 200))
        #expect(failure.status == .configuration)
        #expect(failure.description.hasPrefix("Slack refused the bot token: users.list: invalid_auth"))
    }

    @Test func nonSlackStatusSaysWhatAnsweredNotThatTheTokenWasRefused() {
        let failure = Failure(Self.status(404).renamed("users.list"))
        #expect(failure.status == .configuration)
        #expect(failure.description.hasPrefix("SLACK_API_URL answered HTTP 404 without a Slack API response"))
        #expect(failure.description.hasSuffix("check SLACK_API_URL / proxy"))
        #expect(!failure.description.contains("refused the bot token"))
    }

    @Test func temporaryReadFailureIsUnavailable() {
        #expect(Failure(Self.transport("timeout").renamed("users.list")).status == .unavailable)
        #expect(Failure(Self.slack("fatal_error").renamed("users.list")).status == .unavailable)
    }

    @Test func permanentReadFailureIsAPlainFailure() {
        #expect(Failure(Self.slack("invalid_cursor").renamed("users.list")).status == .failure)
    }

    // MARK: Outages: a run whose every DM call failed so exits 75 (SlackAvailability)

    @Test func transportFailuresRateLimitsAndServerErrorsAreOutages() {
        for failure in [
            Self.transport("connect_failed"), Self.transport("timeout", delivered: true), Self.transport("deadline_reached"),
            Self.status(429), Self.status(503, delivered: true), Self.slack("ratelimited"), Self.slack("service_unavailable"),
            Self.slack("fatal_error"), Self.slack("internal_error", status: 500),
        ] {
            #expect(SlackCallOutcome.isOutage(failure), "\(failure)")
        }
        for failure in [
            Self.slack("channel_not_found"), Self.slack("invalid_auth"), Self.slack("some_new_error"), Self.status(404),
            Self.transport("connection_failed", temporary: false), Self.malformed(delivered: true),
            Self.notSent("invalid_header_value"),
        ] {
            #expect(!SlackCallOutcome.isOutage(failure), "\(failure)")
        }
    }

    static let unreachable = SlackError(
        method: "chat.postMessage", code: "connect_failed", cause: .transport(isTemporary: true),
        detail: "could not reach Slack (TLS certificate): SSL peer certificate or SSH remote key was not OK after 1 attempt")

    @Test func aRunIsUnavailableWhenEveryCallThatPostsOrEditsFailedForAnOutage() throws {
        let calls = [
            SlackCall(method: "users.list", failure: nil),
            SlackCall(method: "chat.postMessage", failure: Self.unreachable),
            SlackCall(method: "chat.update", failure: Self.transport("timeout", delivered: true).renamed("chat.update")),
            SlackCall(method: "chat.postMessage", failure: Self.slack("ratelimited", status: 429).renamed("chat.postMessage")),
        ]
        let failure = try #require(SlackAvailability.failure(calls: calls))
        #expect(failure.status == .unavailable)
        #expect(failure.description.hasPrefix("Slack is unavailable: all 3 Slack call(s) of this run to post or edit a DM failed"))
        #expect(failure.description.contains("(last: chat.postMessage: ratelimited"))
        #expect(!failure.description.contains("\n"))
    }

    @Test func oneCallThatGotThroughOrWasRefusedForItsOwnReasonKeepsTheRunAvailable() {
        let outage = SlackCall(method: "chat.postMessage", failure: Self.unreachable)
        #expect(SlackAvailability.failure(calls: [outage, SlackCall(method: "chat.update", failure: nil)]) == nil)
        #expect(SlackAvailability.failure(calls: [
            outage, SlackCall(method: "chat.postMessage", failure: Self.slack("channel_not_found").renamed("chat.postMessage")),
        ]) == nil)
        #expect(SlackAvailability.failure(calls: [SlackCall(method: "users.list", failure: Self.unreachable.renamed("users.list"))]) == nil,
                "a failed read fails its own step")
        #expect(SlackAvailability.failure(calls: []) == nil)
    }
}

extension SlackError {
    /// The same facts for another method.
    fileprivate func renamed(_ method: String) -> SlackError {
        var copy = self
        copy.method = method
        return copy
    }
}
