import Foundation
import SlackAPI
import Testing

@Suite struct SlackMarkdownTests {
    @Test(arguments: [
        ("<!channel> & <b>Bob</b>", "&lt;!channel&gt; &amp; &lt;b&gt;Bob&lt;/b&gt;"),
        ("<@U123>", "&lt;@U123&gt;"),
        ("<https://x|y>", "&lt;https://x|y&gt;"),
        ("&amp;", "&amp;amp;"),
        ("Zoë @here :tada: #general", "Zoë @here :tada: #general"),
    ])
    func escapeReplacesControlCharacters(input: String, expected: String) {
        #expect(SlackMarkdown.escape(input) == expected)
    }

    @Test(arguments: [
        ("*Jane_Doe*", "∗JaneˍDoe∗"),
        ("~struck~ `code` ```block```", "∼struck∼ ˋcodeˋ ˋˋˋblockˋˋˋ"),
        ("O'Brien-Smith (née Müller)", "O'Brien-Smith (née Müller)"),
    ])
    func formattingCharactersBecomeLookalikesOfTheSameLength(input: String, expected: String) {
        let escaped = SlackMarkdown.escape(input)
        #expect(escaped == expected)
        #expect(escaped.utf16.count == input.utf16.count)
        for marker in ["*", "_", "~", "`"] { #expect(!escaped.contains(marker)) }
    }

    /// The job wraps names in its own markers: a name cannot close them early or open new ones.
    @Test func aNameInsideBoldOrStrikeLeavesTheMarkersAroundItAlone() {
        let bold = "*" + SlackMarkdown.escape("*Jane_Doe*") + "*"
        #expect(bold.filter { $0 == "*" }.count == 2 && bold.hasPrefix("*∗") && bold.hasSuffix("∗*"))
        let struck = "~" + SlackMarkdown.escape("A ~B~ C") + "~ — submitted"
        #expect(struck.filter { $0 == "~" }.count == 2)
        #expect(SlackMarkdown.escape("*x*", maxLength: 3) == "∗x∗")
        #expect(SlackMarkdown.escape("*xyz*", maxLength: 3) == "∗x…")
    }

    @Test func escapeWithLimitNeverSplitsAnEntity() {
        #expect(SlackMarkdown.escape("a&b&c", maxLength: 7) == "a&amp;…")
        #expect(SlackMarkdown.escape("a&b&c", maxLength: 6) == "a…")
        #expect(SlackMarkdown.escape("a&b&c", maxLength: 8) == "a&amp;b…")
    }

    @Test func escapeWithLimitKeepsTextThatFits() {
        #expect(SlackMarkdown.escape("<a>", maxLength: 9) == "&lt;a&gt;")
        #expect(SlackMarkdown.escape("anything", maxLength: 0) == "")
    }

    @Test func escapeWithLimitCutsBetweenCharacters() {
        let family = "👨‍👩‍👧"   // one Character, 8 UTF-16 units
        let escaped = SlackMarkdown.escape(String(repeating: family, count: 10), maxLength: 20)
        #expect(escaped == family + family + "…")
    }

    @Test func truncateAddsAnEllipsisOnlyWhenShortened() {
        #expect(SlackMarkdown.truncate("short", maxCharacters: 5) == "short")
        #expect(SlackMarkdown.truncate("one two three", maxCharacters: 5) == "one…")
        #expect(SlackMarkdown.truncate("one two three", maxCharacters: 5).count <= 5)
    }

    @Test func collapsingWhitespaceJoinsLinesAndRuns() {
        #expect(SlackMarkdown.collapsingWhitespace("  a\n\n b\t\tc \r\n") == "a b c")
    }

    @Test func dateTokenHasUnixTimeFormatAndUTCFallback() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.9)
        #expect(
            SlackMarkdown.dateToken(date)
                == "<!date^1700000000^{date_short_pretty} at {time}|2023-11-14 22:13 UTC>")
        #expect(SlackMarkdown.dateToken(date, format: "{time}") == "<!date^1700000000^{time}|2023-11-14 22:13 UTC>")
    }

    @Test func linkWrapsWebURLs() {
        #expect(SlackMarkdown.link("https://zoom.us/j/1?pwd=a&b=c", label: "Join")
            == "<https://zoom.us/j/1?pwd=a&amp;b=c|Join>")
    }

    @Test func aLinkKeepsItsURLAsSentAndEscapesItsLabel() throws {
        #expect(SlackMarkdown.link("https://x.test/a_b*c~d?e=f&g=h", label: "*Go_now*")
            == "<https://x.test/a_b*c~d?e=f&amp;g=h|∗Goˍnow∗>")
    }

    @Test func shortenedNeverCutsAnEntityOrALink() {
        let link = "<https://x.test/abc|Open>"
        #expect(SlackMarkdown.shortened("ab " + link + " cd", maxLength: 100) == "ab " + link + " cd")
        #expect(SlackMarkdown.shortened("ab " + link + " cd", maxLength: 10) == "ab…")
        #expect(SlackMarkdown.shortened("ab " + link + " cd", maxLength: 3 + link.count + 1) == "ab " + link + "…")
        #expect(SlackMarkdown.shortened("x&amp;y", maxLength: 4) == "x…")
        #expect(SlackMarkdown.shortened("x&amp;y", maxLength: 7) == "x&amp;y")
        #expect(SlackMarkdown.shortened("x&amp;yz", maxLength: 7) == "x&amp;…")
        #expect(SlackMarkdown.shortened("anything", maxLength: 0) == "")
    }

    @Test func linkPercentEncodesCharactersThatBreakMrkdwn() throws {
        let link = try #require(SlackMarkdown.link(" https://x.test/a b|c>d<e\"ü ", label: "Go"))
        #expect(link == "<https://x.test/a%20b%7Cc%3Ed%3Ce%22%C3%BC|Go>")
    }

    @Test(arguments: ["javascript:alert(1)", "mailto:a@b.c", "Room 4", "", "https://", "//x.test/a", "ftp://x.test"])
    func linkRejectsAnythingButHTTP(url: String) {
        #expect(SlackMarkdown.link(url, label: "Go") == nil)
        #expect(SlackMarkdown.webURL(url) == nil)
    }
}
