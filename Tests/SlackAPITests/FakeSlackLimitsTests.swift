import CurlHTTP
import Foundation
import Testing
import TestSupport

/// FakeSlack refuses what Slack refuses (issue 19 item 8), with Slack's codes: each limit accepts a
/// message at it and refuses one just over it. Checked through `SlackMessageRules.check` directly,
/// and through the fake server for the answers' shape.
@Suite(.timeLimit(.minutes(1)))
struct FakeSlackLimitsTests {
    static func section(_ text: String) -> [String: Any] {
        ["type": "section", "text": ["type": "mrkdwn", "text": text, "verbatim": true]]
    }

    static func header(_ text: String) -> [String: Any] {
        ["type": "header", "text": ["type": "plain_text", "text": text, "emoji": false]]
    }

    static func button(text: String, url: String = "https://x.test/f") -> [String: Any] {
        ["type": "actions", "elements": [["type": "button", "text": ["type": "plain_text", "text": text], "url": url, "action_id": "a"]]]
    }

    static func check(_ blocks: [[String: Any]], text: String? = "fallback", method: SlackMessageRules.Method = .post) -> SlackMessageRules.Refusal? {
        SlackMessageRules.check(method, text: text, blocks: blocks)
    }

    static func x(_ count: Int) -> String { String(repeating: "x", count: count) }

    @Test func fiftyBlocksPassAndFiftyOneAreInvalidBlocks() {
        #expect(Self.check(Array(repeating: Self.section("a"), count: 50)) == nil)
        let refusal = Self.check(Array(repeating: Self.section("a"), count: 51))
        #expect(refusal?.error == "invalid_blocks")
        #expect(refusal?.errors == ["no more than 50 items allowed [json-pointer:/blocks]"])
    }

    @Test func aTextObjectHoldsOneTo3000Characters() {
        #expect(Self.check([Self.section("a"), Self.section(Self.x(3_000))]) == nil)
        #expect(Self.check([Self.section("a"), Self.section(Self.x(3_001))])
            == .init(error: "invalid_blocks", errors: ["must be less than 3001 characters [json-pointer:/blocks/1/text/text]"]))
        #expect(Self.check([Self.section("")])
            == .init(error: "invalid_blocks", errors: ["must be more than 0 characters [json-pointer:/blocks/0/text/text]"]))
    }

    @Test func aHeaderHoldsAt150PlainCharacters() {
        #expect(Self.check([Self.header(Self.x(150))]) == nil)
        #expect(Self.check([Self.header(Self.x(151))])
            == .init(error: "invalid_blocks", errors: ["must be less than 151 characters [json-pointer:/blocks/0/text/text]"]))
        let mrkdwnHeader: [String: Any] = ["type": "header", "text": ["type": "mrkdwn", "text": "*x*"]]
        #expect(Self.check([mrkdwnHeader])?.error == "invalid_blocks")
    }

    /// The job sends no buttons any more; the fake still knows their limits.
    @Test func aButtonTextHoldsAt75CharactersAndItsURLAt3000() {
        #expect(Self.check([Self.button(text: Self.x(75))]) == nil)
        #expect(Self.check([Self.button(text: Self.x(76))])
            == .init(error: "invalid_blocks", errors: ["must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]"]))
        #expect(Self.check([Self.button(text: "Go", url: "https://x.test/" + Self.x(2_985))]) == nil)
        #expect(Self.check([Self.button(text: "Go", url: "https://x.test/" + Self.x(2_986))])?.errors
            == ["must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]"])
    }

    @Test func chatUpdateTextHoldsAt4000AndMoreIsMsgTooLong() {
        #expect(Self.check([Self.section("a")], text: Self.x(4_000), method: .update) == nil)
        #expect(Self.check([Self.section("a")], text: Self.x(4_001), method: .update) == .init(error: "msg_too_long", errors: []))
        #expect(Self.check([Self.section("a")], text: Self.x(4_001), method: .post) == nil, "a post takes it (Slack no longer lists msg_too_long for posts)")
    }

    @Test func textAcrossBlocksIsRefusedFrom11300AsMsgBlocksTooLong() {
        let almost = [Self.header(Self.x(150))] + Array(repeating: Self.section(Self.x(2_787)), count: 4) + [Self.section("a")]
        #expect(almost.reduce(0) { $0 + SlackMessageRules.textLength(in: $1) } == 11_299)
        #expect(Self.check(almost) == nil)
        let over = almost + [Self.section("b")]
        #expect(Self.check(over) == .init(error: "msg_blocks_too_long", errors: []))
        #expect(Self.check(over, method: .update) == .init(error: "msg_blocks_too_long", errors: []))
    }

    /// Characters are UTF-16 units: 1,500 emoji outside the BMP are 3,000 (Slack's SDK would count 1,500).
    @Test func charactersAreCountedInUTF16Units() {
        #expect(Self.check([Self.section(String(repeating: "😀", count: 1_500))]) == nil)
        #expect(Self.check([Self.section(String(repeating: "😀", count: 1_500) + "x")])?.error == "invalid_blocks")
    }

    @Test func unknownBlocksAndDuplicateIDsAreInvalidBlocks() {
        #expect(Self.check([["type": "carousel"]])?.errors == ["unsupported type: carousel [json-pointer:/blocks/0/type]"])
        var first = Self.section("a"), second = Self.section("b")
        first["block_id"] = "same"
        second["block_id"] = "same"
        #expect(Self.check([first, second])?.errors == ["block_id must be unique within a message [json-pointer:/blocks/1/block_id]"])
    }

    // MARK: Through the server

    static func update(_ slack: FakeSlack, _ body: [String: Any]) throws -> HTTPRequest {
        HTTPRequest(
            url: slack.baseURL + "/chat.update",
            headers: [("Content-Type", "application/json; charset=utf-8"), ("Authorization", "Bearer \(slack.botToken)")],
            body: try JSONSerialization.data(withJSONObject: body), endpoint: "chat.update")
    }

    @Test func theServerAnswersWithSlacksCodesAndKeepsNothingItRefused() async throws {
        let slack = try await FakeSlack.start()
        defer { Task { await slack.stop() } }
        slack.setUsers(SlackFixtures.typicalDirectory())
        func post(_ blocks: [[String: Any]], text: String = "hi") throws -> HTTPRequest {
            let body = try JSONSerialization.data(withJSONObject: ["channel": "U01ADA0001", "text": text, "blocks": blocks])
            return FakeSlackTests.post(slack, String(decoding: body, as: UTF8.self))
        }
        let answers = try await FakeSlackTests.send([
            try post(Array(repeating: Self.section("a"), count: 51)),
            try post(Array(repeating: Self.section(Self.x(2_900)), count: 4)),
            try post([Self.section("fine")]),
        ])
        #expect(answers.map { $0["error"] as? String } == ["invalid_blocks", "msg_blocks_too_long", nil])
        #expect(answers[0]["errors"] as? [String] == ["no more than 50 items allowed [json-pointer:/blocks]"])
        #expect((answers[0]["response_metadata"] as? [String: Any])?["messages"] as? [String]
            == ["[ERROR] no more than 50 items allowed [json-pointer:/blocks]"])
        #expect(slack.messages.count == 1, "refused posts are not kept")

        let ts = try #require(answers[2]["ts"] as? String)
        let edits = try await FakeSlackTests.send([
            try Self.update(slack, ["channel": "DU01ADA0001", "ts": ts, "text": Self.x(4_001), "blocks": [Self.section("a")]]),
            try Self.update(slack, ["channel": "DU01ADA0001", "ts": ts, "text": "hi", "blocks": [Self.header(Self.x(151))]]),
            try Self.update(slack, ["channel": "DU01ADA0001", "ts": ts, "text": Self.x(4_000), "blocks": [Self.section("b")]]),
        ])
        #expect(edits.map { $0["error"] as? String } == ["msg_too_long", "invalid_blocks", nil])
        #expect(slack.updates.count == 1)
    }
}
