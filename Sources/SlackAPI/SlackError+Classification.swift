extension SlackError {
    /// How an `ok:false` error code is handled.
    public struct Classification: Sendable, Equatable {
        public var disposition: Disposition
        public var stopsRun: Bool
        /// False for codes this client has never heard of (they are treated as permanent).
        public var isKnown: Bool
    }

    /// Classifies a Slack error code (see slack-api.md §6).
    public static func classify(apiError code: String) -> Classification {
        if runStoppingCodes.contains(code) {
            return Classification(disposition: .permanent, stopsRun: true, isKnown: true)
        }
        if temporaryCodes.contains(code) {
            return Classification(disposition: .temporary, stopsRun: false, isKnown: true)
        }
        return Classification(disposition: .permanent, stopsRun: false, isKnown: permanentCodes.contains(code))
    }

    /// Credentials, scopes and client bugs: every later call with this token would fail too.
    static let runStoppingCodes: Set<String> = [
        "not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired",
        "missing_scope", "not_allowed_token_type", "no_permission", "ekm_access_denied", "access_denied",
        "is_bot", "two_factor_setup_required", "method_deprecated",
        "invalid_charset", "invalid_post_type", "missing_post_type", "invalid_form_data", "invalid_arg_name",
    ]

    /// Rate limits and server-side trouble: a later attempt may succeed.
    static let temporaryCodes: Set<String> = [
        "ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable",
        "request_timeout", "team_added_to_org", "org_login_required", "restricted_too_many",
        "message_limit_exceeded",
    ]

    /// Per-item failures that repeat if retried.
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
