import CurlHTTP
import Foundation
import Logging
import SlackAPI
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 19 item 8: every message the job builds — reminders and their edits, nudges of 1, 10 and 60
/// scorecards and their edits, digests of many candidates and lines — stays inside what Slack accepts
/// (`SlackMessageRules`, FakeSlack's reading of the reference) whatever Ashby sends: very long names,
/// titles and links, emoji and combining characters, mrkdwn's own characters, mentions, NUL.
@Suite(.timeLimit(.minutes(2)))
struct MessageLimitsTests {
    static let start = Date(timeIntervalSince1970: 1_799_762_400)

    /// Text Ashby could send, each hostile in its own way.
    static let hostile: [String] = [
        String(repeating: "&<>", count: 1_200),
        String(repeating: "👩‍👩‍👧‍👦", count: 400),
        String(repeating: "e\u{301}\u{302}\u{303}\u{304}", count: 700),
        String(repeating: "*_~`", count: 900),
        "*Jane_Doe* ~struck~ `code` <!channel> <@U123> \u{0}NUL",
        String(repeating: "a", count: 3_500),
    ]

    /// Links Ashby could send: ordinary, long, with what breaks mrkdwn, not a web URL.
    static let links: [String?] = [
        "https://app.ashbyhq.com/interview-briefings/9f600bdc-ee8c-4a53-9878-85f23da42c16/feedback",
        "https://app.ashbyhq.com/" + String(repeating: "x", count: 3_200),
        "https://x.test/a|b>c<d&e*f_g~h`i " + String(repeating: "|", count: 700),
        "javascript:alert(1)",
        nil,
    ]

    /// Each hostile text with a link, and each link with an ordinary name: every kind of both, without
    /// their every combination (a debug build renders hostile text slowly).
    static let pairs: [(text: String, link: String?)] =
        hostile.enumerated().map { ($0.element, links[$0.offset % links.count]) } + links.map { ("Casey Candidate", $0) }

    static func refusal(_ message: SlackMessage, _ method: SlackMessageRules.Method) throws -> SlackMessageRules.Refusal? {
        let blocks = try #require(try JSONSerialization.jsonObject(with: message.blocksJSON) as? [Any])
        return SlackMessageRules.check(method, text: message.text, blocks: blocks)
    }

    /// Slack accepts `message` as a post and as an edit.
    static func expectAccepted(_ message: SlackMessage, _ what: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let post = try refusal(message, .post)
        let update = try refusal(message, .update)
        #expect(post == nil, "\(what()): \(post.map(String.init(describing:)) ?? "")", sourceLocation: sourceLocation)
        #expect(update == nil, "\(what()): \(update.map(String.init(describing:)) ?? "")", sourceLocation: sourceLocation)
    }

    // MARK: Reminders

    static func reminder(_ text: String, link: String?, standing: InterviewReminder.Standing) -> InterviewReminder {
        InterviewReminder(
            candidateName: text, jobTitle: text, interviewTitle: text, startTime: start, endTime: start.addingTimeInterval(3600),
            location: text, meetingLink: link ?? text, instructions: text, feedbackLink: link, candidateProfileURL: link,
            otherInterviewers: Array(repeating: text, count: 9), scorecardQuestions: Array(repeating: text, count: 9),
            standing: standing, previousStartTime: start.addingTimeInterval(-86_400))
    }

    @Test func everyReminderAndEveryEditOfItIsAccepted() throws {
        let standings: [InterviewReminder.Standing] = [.upcoming, .cancelled, .interviewerRemoved, .feedbackSubmitted]
        for (index, (text, link)) in Self.pairs.enumerated() {
            for standing in standings {
                let message = ReminderMessage.make(Self.reminder(text, link: link, standing: standing), channel: "U1")
                try Self.expectAccepted(message, "reminder, case \(index), \(standing)")
            }
        }
    }

    // MARK: Nudges

    static func scorecards(_ count: Int, text: String, link: String?) -> [OutstandingScorecard] {
        (0..<count).map { index in
            OutstandingScorecard(
                eventID: "e\(index)", interviewerID: "i", candidateName: text, jobTitle: text, interviewTitle: text,
                endedAt: start.addingTimeInterval(Double(index) * 60), feedbackLink: link)
        }
    }

    @Test(arguments: [1, 10, 60])
    func everyNudgeAndEveryEditOfItIsAccepted(count: Int) throws {
        for (index, (text, link)) in Self.pairs.enumerated() {
            let all = Self.scorecards(count, text: text, link: link)
            let listed = NudgeMessage.listable(all)
            #expect(listed >= 1)
            var lines = Array(all.prefix(listed))
            let post = NudgeMessage.make(lines, unlisted: count - listed, channel: "U1")
            try Self.expectAccepted(post, "nudge of \(count), case \(index)")
            for step in [3, 1] {
                for line in stride(from: 0, to: lines.count, by: step) { lines[line].submitted = true }
                let edit = NudgeMessage.make(lines, unlisted: count - listed, channel: "DU1")
                try Self.expectAccepted(edit, "edit of a nudge of \(count), case \(index), every \(step) submitted")
                #expect(try Blocks(edit).raw.count == (try Blocks(post).raw.count), "the edit lists the lines the post listed")
            }
        }
    }

    @Test func aNudgeSaysTheTrueCountAndListsAsManyAsFit() throws {
        let all = Self.scorecards(60, text: "Casey Candidate", link: Self.links[0])
        let listed = NudgeMessage.listable(all)
        #expect(listed > 10 && listed < 60, "ordinary lines: more than the old 10, fewer than 60")
        let message = NudgeMessage.make(Array(all.prefix(listed)), unlisted: 60 - listed, channel: "U1")
        let blocks = try Blocks(message)
        #expect(blocks.headers == ["60 scorecards are waiting for you"])
        #expect(blocks.mrkdwn.first == "The \(listed) oldest are below; the other \(60 - listed) come in later nudges.")
        #expect(blocks.mrkdwn.filter { $0.contains("|Open the feedback form>") }.count == listed)
        #expect(message.text.hasPrefix("60 scorecards are waiting for you: "))
        let named = message.text.components(separatedBy: "; ").count - 1
        #expect(message.text.hasSuffix("; and \(60 - named) more"), "the notification names the first few and counts the rest")

        let long = Self.scorecards(60, text: String(repeating: "n", count: 300), link: Self.links[0])
        let fewer = NudgeMessage.listable(long)
        #expect(fewer >= 1 && fewer < listed, "longer lines: fewer fit")
        let edited = NudgeMessage.make(Array(long.prefix(fewer)).map { var line = $0; line.submitted = true; return line }, unlisted: 3, channel: "D1")
        #expect(try Blocks(edited).headers == ["3 scorecards are waiting for you"], "the listed ones are in; three unlisted still wait")
    }

    @Test func theNotificationTextOfANudgeStaysShortWhateverTheNames() throws {
        let lines = Self.scorecards(10, text: String(repeating: "&", count: 400), link: Self.links[0])
        var message = NudgeMessage.make(lines, channel: "U1")
        #expect(message.text.utf16.count <= 1_100)
        #expect(message.text.hasSuffix(" more"))
        message = NudgeMessage.make(lines.map { var line = $0; line.submitted = true; return line }, channel: "D1")
        #expect(message.text.utf16.count <= 1_100, "the edit of a nudge with long names: well inside chat.update's 4,000")
    }

    // MARK: Digests

    static func digestItems(groups: Int, linesEach: Int, text: String, link: String?) -> [DigestItem] {
        (0..<groups).flatMap { group in
            (0..<linesEach).map { line in
                DigestItem(
                    eventID: "e\(group)-\(line)", interviewerID: "i\(line)", applicationID: "a\(group)", candidateName: text,
                    jobTitle: text, stageTitle: text, interviewTitle: text, interviewerName: text,
                    endTime: start.addingTimeInterval(Double(group * 100 + line) * 60), feedbackLink: link, overdueMinutes: 3_000)
            }
        }
    }

    @Test(arguments: [(1, 1), (1, 60), (30, 3), (100, 1)])
    func everyDigestAndEveryEditOfItIsAccepted(groups: Int, linesEach: Int) throws {
        for (index, (text, link)) in Self.pairs.enumerated() {
            let items = Self.digestItems(groups: groups, linesEach: linesEach, text: text, link: link)
            let post = DigestMessage.make(items: items, cleared: [:], overdueHours: 24, channel: "U1")
            try Self.expectAccepted(post, "digest \(groups)×\(linesEach), case \(index)")
            for clearance in [DigestClearance.submitted, .cancelled] {
                let cleared = Dictionary(uniqueKeysWithValues: items.enumerated().filter { $0.offset % 2 == 0 }.map { ($0.element.key, clearance) })
                let edit = DigestMessage.make(items: items, cleared: cleared, overdueHours: 24, channel: "D1")
                try Self.expectAccepted(edit, "edit of digest \(groups)×\(linesEach), case \(index), \(clearance)")
                #expect(try Blocks(edit).bullets == (try Blocks(post).bullets), "the edit lists the lines the post listed")
            }
        }
    }

    @Test func aFullDigestOfOrdinaryLinesStopsWithAndNMore() throws {
        let items = Self.digestItems(groups: 20, linesEach: 3, text: "Casey Candidate", link: Self.links[0])
        let blocks = try Blocks(DigestMessage.make(items: items, cleared: [:], overdueHours: 24, channel: "U1"))
        let shown = blocks.bullets
        #expect(shown > 20 && shown < 60, "the old caps allowed 60 such lines: about 11,500 characters, past what Slack refused")
        #expect(blocks.mrkdwn.last == "… and \(60 - shown) more")
        #expect(blocks.raw.reduce(0) { $0 + SlackMessageRules.textLength(in: $1) } <= SlackLimits.blocksTextCharacters)
    }

    // MARK: The last resort

    /// Builders keep inside the limits themselves; should one not, the message is trimmed to fit
    /// rather than refused.
    @Test func aMessageOverTheLimitsIsTrimmedNotRefused() throws {
        let blocks = [Block.header("Over")] + Array(repeating: Block.section(String(repeating: "x", count: 400)), count: 60)
        let message = MessageText.message(channel: "U1", text: String(repeating: "a&b ", count: 2_000), blocks: blocks)
        let sent = try Blocks(message)
        #expect(sent.raw.count < blocks.count && sent.raw.count <= SlackLimits.blocksPerMessage)
        #expect(message.text.utf16.count <= SlackLimits.textCharacters && message.text.hasSuffix("…"))
        try Self.expectAccepted(message, "a trimmed message")
    }

    // MARK: Through the fake server

    @Test func hostileMessagesAndTheirEditsGoThroughFakeSlack() async throws {
        let slack = try await FakeSlack.start()
        defer { Task { await slack.stop() } }
        slack.setUsers([SlackFixtures.human(id: "U01ADA0001", email: "ada@example.com")])
        let text = Self.hostile[0] + Self.hostile[1]
        let nudgeLines = Self.scorecards(60, text: text, link: Self.links[1])
        let listed = NudgeMessage.listable(nudgeLines)
        let digestItems = Self.digestItems(groups: 30, linesEach: 3, text: text, link: Self.links[2])
        let posts = [
            ReminderMessage.make(Self.reminder(text, link: Self.links[1], standing: .upcoming), channel: "U01ADA0001"),
            NudgeMessage.make(Array(nudgeLines.prefix(listed)), unlisted: 60 - listed, channel: "U01ADA0001"),
            DigestMessage.make(items: digestItems, cleared: [:], overdueHours: 24, channel: "U01ADA0001"),
        ]
        let edits = [
            ReminderMessage.make(Self.reminder(text, link: Self.links[1], standing: .cancelled), channel: "DU01ADA0001"),
            NudgeMessage.make(Array(nudgeLines.prefix(listed)).map { var line = $0; line.submitted = true; return line }, unlisted: 1, channel: "DU01ADA0001"),
            DigestMessage.make(items: digestItems, cleared: Dictionary(uniqueKeysWithValues: digestItems.map { ($0.key, .submitted) }), overdueHours: 24, channel: "DU01ADA0001"),
        ]
        let (baseURL, token) = (slack.baseURL, slack.botToken)
        try await offloaded {
            let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
            let client = SlackClient(baseURL: baseURL, botToken: token, http: HTTPClient(logger: logger), logger: logger)
            for (post, edit) in zip(posts, edits) {
                let posted = try client.postMessage(post)
                _ = try client.updateMessage(channel: posted.channel, ts: posted.ts, message: edit)
            }
        }
        #expect(slack.messages(to: "U01ADA0001").count == 3)
        #expect(slack.updates(to: "U01ADA0001").count == 3)
    }
}

extension Blocks {
    /// The text of every header.
    var headers: [String] {
        raw.compactMap { block in
            guard block["type"] as? String == "header" else { return nil }
            return (block["text"] as? [String: Any])?["text"] as? String
        }
    }

    /// How many bulleted lines the sections hold.
    var bullets: Int {
        mrkdwn.reduce(0) { $0 + $1.components(separatedBy: "\n• ").count - 1 }
    }
}
