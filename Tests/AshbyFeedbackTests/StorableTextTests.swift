import Foundation
import Testing
@testable import AshbyFeedback

@Suite struct StorableTextTests {
    @Test func nulCharactersAreReplaced() {
        #expect(StorableText.text("a\u{0}b") == "a\u{FFFD}b")
        #expect(StorableText.text("plain") == "plain")
        #expect(StorableText.text(nil) == nil)
    }

    @Test func onlyRealNULEscapesAreReplacedInJSON() {
        let json = Data(#"{"a":"x\u0000y","b":"\\u0000 is text","c":"\\\u0000"}"#.utf8)
        #expect(StorableText.jsonb(json) == #"{"a":"x\ufffdy","b":"\\u0000 is text","c":"\\\ufffd"}"#)
        let clean = Data(#"{"a":"\u00e9"}"#.utf8)
        #expect(StorableText.jsonb(clean) == #"{"a":"\u00e9"}"#)
    }
}
