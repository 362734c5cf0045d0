import SlackAPI

/// The kind of Slack call, as far as making it again matters.
enum SlackCallKind: Sendable, Equatable {
    /// No side effects (`users.list`): repeating it is always harmless.
    case read
    /// Posts a message (`chat.postMessage`): repeating it after an unclear failure may post it twice.
    case post
    /// Replaces a posted message (`chat.update`): the same edit twice shows the same message, so it
    /// repeats safely; a message that is gone or no longer editable is never tried again.
    case edit

    /// The kind of a Web API method; a method not listed here counts as a post, the cautious side.
    init(method: String) {
        switch method {
        case "users.list": self = .read
        case "chat.update": self = .edit
        default: self = .post
        }
    }

    /// True when a repeat can never duplicate an effect.
    var repeatsSafely: Bool {
        self != .post
    }
}

/// The job's one answer to "may this Slack call (this DM) go out again?", read from what happened.
///
/// `SlackClient` reports facts (`SlackError`: Slack's code, the HTTP status, transport failure, whether the
/// request may have been delivered); only this table turns them into a decision. Every post goes through
/// `SlackPost` and every failed edit through `MessageLedger.recordEditFailed`, which read it; `Failure`
/// picks the exit status by it.
struct SlackCallOutcome: Sendable, Equatable {
    enum Verdict: Sendable, Equatable {
        /// Slack answered ok: the call took effect.
        case sent
        /// It did not take effect and may be tried again by a later run.
        case retryLater
        /// It did not take effect and would fail the same way again.
        case never
        /// It may have taken effect: never repeated blindly.
        case unknown
    }

    var verdict: Verdict
    /// True when every further call with this token or URL fails the same way (auth, scopes, not Slack):
    /// the run stops, with exit status 78.
    var stopsRun = false

    static let sent = SlackCallOutcome(verdict: .sent)
    static let retryLater = SlackCallOutcome(verdict: .retryLater)
    static let never = SlackCallOutcome(verdict: .never)
    static let unknown = SlackCallOutcome(verdict: .unknown)
    /// For an edit: whether a later run tries it again (anything but `never`: the same edit twice shows
    /// the same message).
    var retriesEdit: Bool { verdict != .never }

    /// Ours to fix (token, scopes, SLACK_API_URL); the call is worth making once it is fixed.
    static let stopRun = SlackCallOutcome(verdict: .retryLater, stopsRun: true)

    /// The decision for one call of `kind` that failed with `failure`, or succeeded (`nil`).
    init(kind: SlackCallKind, failure: SlackError?) {
        guard let failure else {
            self = .sent
            return
        }
        switch failure.cause {
        case .slackError:
            self = Self.afterSlackError(failure, kind: kind)
        case .httpStatus:
            let status = failure.httpStatus ?? 0
            if status == 429 {
                self = .retryLater
            } else if status >= 500 {
                self = kind.repeatsSafely ? .retryLater : .unknown
            } else {
                // A 3xx/4xx without Slack's envelope comes from a proxy or a wrong URL, not from Slack.
                self = .stopRun
            }
        case .transport(let isTemporary):
            // `mayHaveBeenDelivered` follows CurlHTTP's `TransportPhase`: false for failures before the
            // request left (name resolution, connect, TLS handshake or certificate, proxy CONNECT).
            if !kind.repeatsSafely && failure.mayHaveBeenDelivered {
                self = .unknown
            } else {
                self = isTemporary ? .retryLater : .never
            }
        case .malformedAnswer:
            self = kind.repeatsSafely ? .retryLater : .unknown
        case .notSent:
            // A header value with a control character is a configured secret gone wrong, the same for every call.
            self = failure.code == "invalid_header_value" ? .stopRun : .never
        }
    }

    private init(verdict: Verdict, stopsRun: Bool = false) {
        self.verdict = verdict
        self.stopsRun = stopsRun
    }

    /// True when `failure` says only that Slack could not be reached or was overloaded — a transport
    /// failure before or after sending (name resolution, connect, TLS, proxy, timeout), HTTP 429 or 5xx,
    /// a rate-limit or "not done" code, Slack's internal errors — and nothing about the call itself.
    /// A run in which every call that posts or edits a DM failed so ends with exit 75 (`SlackAvailability`).
    static func isOutage(_ failure: SlackError) -> Bool {
        let status = failure.httpStatus ?? 0
        switch failure.cause {
        case .transport(let isTemporary):
            return isTemporary
        case .httpStatus:
            return status == 429 || status >= 500
        case .slackError:
            let code = failure.code
            return rateLimitCodes.contains(code) || notDoneCodes.contains(code) || partialSuccessCodes.contains(code)
                || status >= 500
        case .malformedAnswer, .notSent:
            return false
        }
    }

    /// `ok:false`: Slack's code decides, except that a post answered with a 5xx, or with a code not known
    /// to mean "nothing was done", may have been posted.
    private static func afterSlackError(_ failure: SlackError, kind: SlackCallKind) -> SlackCallOutcome {
        let code = failure.code
        if runStoppingCodes.contains(code) { return .stopRun }
        if rateLimitCodes.contains(code) { return .retryLater }
        if kind.repeatsSafely {
            let serverTrouble = partialSuccessCodes.contains(code) || notDoneCodes.contains(code)
                || (failure.httpStatus ?? 0) >= 500
            return serverTrouble ? .retryLater : .never
        }
        if failure.mayHaveBeenDelivered { return .unknown }
        if notDoneCodes.contains(code) { return .retryLater }
        if permanentCodes.contains(code) { return .never }
        return .unknown
    }

    /// Credentials, scopes and client bugs: every later call with this token fails too (slack-api.md §6).
    static let runStoppingCodes: Set<String> = [
        "not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired",
        "missing_scope", "not_allowed_token_type", "no_permission", "ekm_access_denied", "access_denied",
        "is_bot", "two_factor_setup_required", "method_deprecated", "unknown_method",
        "invalid_charset", "invalid_post_type", "missing_post_type", "invalid_form_data", "invalid_arg_name",
    ]

    /// Slack refused for now and did nothing.
    static let rateLimitCodes: Set<String> = [
        "ratelimited", "rate_limited", "message_limit_exceeded", "restricted_too_many",
    ]

    /// Server-side trouble that leaves the call undone: a later attempt may succeed.
    static let notDoneCodes: Set<String> = [
        "service_unavailable", "request_timeout", "team_added_to_org", "org_login_required",
    ]

    /// Server-side failures whose descriptions say part of the operation may already have succeeded.
    static let partialSuccessCodes: Set<String> = ["fatal_error", "internal_error"]

    /// Per-item failures that repeat if retried: bad recipient, bad content, gone message.
    static let permanentCodes: Set<String> = [
        "channel_not_found", "not_in_channel", "is_archived", "is_inactive", "messages_tab_disabled",
        "user_not_found", "user_not_visible", "user_disabled", "users_not_found", "cannot_dm_bot",
        "no_text", "msg_too_long", "msg_blocks_too_long", "invalid_blocks", "invalid_blocks_format",
        "invalid_arguments", "missing_argument", "invalid_cursor", "limit_required",
        "metadata_too_large", "invalid_metadata_format", "invalid_metadata_schema",
        "metadata_must_be_sent_from_app", "restricted_action", "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel", "restricted_action_non_threadable_channel",
        "too_many_attachments", "cant_update_message", "cant_delete_message", "edit_window_closed",
        "message_not_found",
    ]
}
