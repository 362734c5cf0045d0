import SlackAPI
import Testing

/// The description of a failed call: one line, scopes named, a possible delivery said out loud.
@Suite struct SlackErrorTests {
    @Test func descriptionNamesScopes() {
        let error = SlackError(
            method: "chat.postMessage", code: "missing_scope", cause: .slackError, httpStatus: 200,
            needed: "chat:write", provided: "users:read")
        #expect(error.description == "chat.postMessage: missing_scope (needs chat:write, token has users:read)")
    }

    @Test func descriptionIsOneLineWithDetailAndPossibleDelivery() {
        let error = SlackError(
            method: "chat.postMessage", code: "timeout", cause: .transport(isTemporary: true),
            mayHaveBeenDelivered: true, detail: "no answer\nafter 30 s")
        #expect(error.description == "chat.postMessage: timeout (no answer after 30 s); outcome unknown, the request may have reached Slack")
    }

    @Test func definiteAnswerSaysNothingAboutDelivery() {
        let error = SlackError(method: "chat.postMessage", code: "channel_not_found", cause: .slackError, httpStatus: 200)
        #expect(error.description == "chat.postMessage: channel_not_found")
    }
}
