import SlackAPI
import Testing

@Suite struct SlackErrorTests {
    @Test(arguments: [
        "ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
    ])
    func serverTroubleIsTemporary(code: String) {
        let error = SlackError(method: "chat.postMessage", apiError: code)
        #expect(error.disposition == .temporary)
        #expect(!error.stopsRun)
    }

    @Test(arguments: [
        "channel_not_found", "user_not_found", "is_archived", "messages_tab_disabled", "msg_too_long",
        "msg_blocks_too_long", "no_text", "user_disabled", "cannot_dm_bot", "invalid_blocks",
    ])
    func recipientAndContentErrorsArePermanentForThatItem(code: String) {
        let error = SlackError(method: "chat.postMessage", apiError: code)
        #expect(error.disposition == .permanent)
        #expect(!error.stopsRun)
        #expect(SlackError.classify(apiError: code).isKnown)
    }

    @Test(arguments: [
        "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "missing_scope",
        "not_allowed_token_type", "no_permission", "ekm_access_denied", "access_denied",
    ])
    func authAndScopeErrorsStopTheRun(code: String) {
        let error = SlackError(method: "users.list", apiError: code)
        #expect(error.disposition == .permanent)
        #expect(error.stopsRun)
    }

    @Test func unknownCodesArePermanentAndFlagged() {
        let classification = SlackError.classify(apiError: "something_new")
        #expect(classification.disposition == .permanent)
        #expect(!classification.stopsRun)
        #expect(!classification.isKnown)
    }

    @Test func descriptionNamesScopes() {
        let error = SlackError(method: "chat.postMessage", apiError: "missing_scope", needed: "chat:write", provided: "users:read")
        #expect(error.description == "chat.postMessage: missing_scope (needs chat:write, token has users:read)")
    }

    @Test func descriptionIsOneLineWithDetailAndUnknownOutcome() {
        let error = SlackError(
            method: "chat.postMessage", code: "timeout", disposition: .outcomeUnknown, detail: "no answer\nafter 30 s")
        #expect(error.description == "chat.postMessage: timeout (no answer after 30 s); outcome unknown, the request may have reached Slack")
    }
}
