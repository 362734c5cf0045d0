import Foundation
import Logging
import Testing
import TestSupport
@testable import AshbyAPI

/// A lone UTF-16 surrogate escape (an emoji cut in half upstream) is valid JSON grammar, but
/// `JSONDecoder` and PostgreSQL's jsonb reject it (issue 9, item 14): it becomes U+FFFD.
@Suite(.timeLimit(.minutes(1))) struct LoneSurrogateTests {
    @Test(arguments: [
        (#""Room 4 \ud83d""#, #""Room 4 \ufffd""#),                       // lone high at the end
        (#""\udc00 desk""#, #""\ufffd desk""#),                           // lone low
        (#""\uDE00\uD83D""#, #""\ufffd\ufffd""#),                         // reversed pair, upper case
        (#""\ud83d\ud83d\ude00""#, #""\ufffd\ud83d\ude00""#),             // high, then a valid pair
        (#""\ud83dx""#, #""\ufffdx""#),                                   // high before a plain character
        (#""\ud83d\u0041""#, #""\ufffd\u0041""#),                         // high before a non-surrogate escape
        (#""\ud83d\n""#, #""\ufffd\n""#),                                 // high before another escape
    ])
    func loneSurrogatesBecomeReplacementCharacters(_ input: String, _ expected: String) {
        #expect(String(decoding: LoneSurrogates.replaced(in: Data(input.utf8)), as: UTF8.self) == expected)
    }

    @Test(arguments: [
        #"{"a":"Party \ud83c\udf89","b":"\uD83D\uDE00"}"#,   // valid pairs stay as they are
        #"{"a":"\\ud83d is text"}"#,                          // an escaped backslash, then plain text
        #"{"a":"\\\\ud800"}"#,
        #"{"a":"\u00e9\u0000 plain","n":1}"#,
        #"{"truncated":"\ud8"#,
    ])
    func everythingElseIsLeftByteForByte(_ input: String) {
        #expect(LoneSurrogates.replaced(in: Data(input.utf8)) == Data(input.utf8))
    }

    @Test func anEscapedBackslashBeforeARealLoneSurrogateIsHandled() {
        let input = #"{"a":"\\\ud83d"}"#   // `\\` then a lone high surrogate escape
        #expect(String(decoding: LoneSurrogates.replaced(in: Data(input.utf8)), as: UTF8.self) == #"{"a":"\\\ufffd"}"#)
    }

    /// Through the client: the page decodes, and its raw items (stored as jsonb) carry U+FFFD escapes.
    @Test func aSchedulePageWithLoneSurrogatesDecodes() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        let events = ["Room 4 HIGH", "LOW desk", "Party PAIR"].map {
            AshbyFixtures.event(interviewId: AshbyFixtures.id(), start: Date(timeIntervalSince1970: 1_729_432_800), location: $0)
        }
        let schedule = AshbyFixtures.schedule(events: events).jsonString
            .replacingOccurrences(of: "HIGH", with: #"\ud83d"#).replacingOccurrences(of: "LOW", with: #"\udc00"#)
            .replacingOccurrences(of: "PAIR", with: #"\ud83c\udf89"#)
        let body = #"{"success":true,"results":["# + schedule + #"],"moreDataAvailable":false,"syncToken":"t1"}"#
        ashby.server.inject(.status(200, headers: ["Content-Type": "application/json"], body: Data(body.utf8)), path: "/interviewSchedule.list")

        let page = try await withAshbyClient(ashby) { client in
            try client.listPage(.interviewSchedules, cursor: nil, syncToken: nil)
        }
        let decoded = try page.decodeItems(AshbyInterviewSchedule.self)
        #expect(decoded.first?.interviewEvents.map(\.location) == ["Room 4 \u{FFFD}", "\u{FFFD} desk", "Party 🎉"])
        let raw = String(decoding: try #require(page.rawItems.first), as: UTF8.self)
        #expect(raw.contains(#""Room 4 \ufffd""#) && raw.contains(#""\ufffd desk""#) && raw.contains(#""Party \ud83c\udf89""#))
        #expect(page.syncToken == "t1")
    }
}
