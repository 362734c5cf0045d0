import CurlHTTP
import Foundation
import Logging
import Testing
import TestSupport

/// The fake's own Slack behaviours that the client never triggers (the client always sends a token,
/// JSON with a charset, a limit), checked with raw requests because other suites and the sandbox rely on them.
@Suite(.timeLimit(.minutes(1)))
struct FakeSlackTests {
    /// Sends raw requests to the fake and returns each answer's JSON.
    static func send(_ requests: [HTTPRequest]) async throws -> [[String: Any]] {
        let bodies = try await offloaded {
            let http = HTTPClient(logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            return try requests.map { try http.send($0).body }
        }
        return try bodies.map { try #require(try JSONSerialization.jsonObject(with: $0) as? [String: Any]) }
    }

    static func post(_ slack: FakeSlack, _ json: String, token: String? = "xoxb-test-token",
                     contentType: String = "application/json; charset=utf-8") -> HTTPRequest {
        var headers = [("Content-Type", contentType)]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return HTTPRequest(url: slack.baseURL + "/chat.postMessage", headers: headers, body: Data(json.utf8),
                           endpoint: "chat.postMessage", isIdempotent: false)
    }

    @Test func postMessageChecksTokenRecipientAndContent() async throws {
        let slack = try await FakeSlack.start()
        slack.setUsers(SlackFixtures.typicalDirectory())
        let answers = try await Self.send([
            Self.post(slack, #"{"channel":"U01ADA0001","text":"hi"}"#, token: nil),
            Self.post(slack, #"{"channel":"U01ADA0001","text":"hi"}"#, token: "xoxb-other"),
            Self.post(slack, #"{"channel":"U01ADA0001"}"#),
            Self.post(slack, #"{"text":"hi"}"#),
            Self.post(slack, #"{"channel":"U404","text":"hi"}"#),
            Self.post(slack, #"{"channel":"U01GONE001","text":"hi"}"#),
            Self.post(slack, #"{"channel":"U01BOT0001","text":"hi"}"#),
            Self.post(slack, #"{"channel":"U01ADA0001","text":"hi"}"#, contentType: "application/json"),
            Self.post(slack, #"{"channel":"DU01ADA0001","blocks":[{"type":"divider"}]}"#),
        ])
        #expect(answers.map { $0["error"] as? String } == [
            "not_authed", "invalid_auth", "no_text", "channel_not_found", "channel_not_found",
            "channel_not_found", "cannot_dm_bot", nil, nil,
        ])
        #expect(answers[7]["warning"] as? String == "missing_charset")
        #expect(answers[8]["warning"] == nil)
        #expect(answers[7]["ts"] as? String == "1700000001.000100")
        #expect(answers[8]["ts"] as? String == "1700000002.000200")
        #expect(slack.messages(to: "U01ADA0001").map(\.ts) == ["1700000001.000100", "1700000002.000200"])
        await slack.stop()
    }

    @Test func usersListWithoutLimitReturnsEveryoneAndRejectsBadCursors() async throws {
        let slack = try await FakeSlack.start()
        slack.setUsers(SlackFixtures.people(count: 1_200))
        let auth = ("Authorization", "Bearer xoxb-test-token")
        let answers = try await Self.send([
            HTTPRequest(method: "GET", url: slack.baseURL + "/users.list", headers: [auth], endpoint: "users.list"),
            HTTPRequest(method: "GET", url: slack.baseURL + "/users.list?cursor=bogus", headers: [auth], endpoint: "users.list"),
        ])
        #expect((answers[0]["members"] as? [Any])?.count == 1_200)
        #expect((answers[0]["response_metadata"] as? [String: Any])?["next_cursor"] as? String == "")
        #expect(answers[1]["error"] as? String == "invalid_cursor")
        await slack.stop()
    }
}
