import Foundation
import SlackAPI
import Testing
import TestSupport
@testable import AshbyFeedback

@Suite struct ReminderMessageTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    static let full = InterviewReminder(
        candidateName: "Jane Doe", jobTitle: "Senior Engineer", interviewTitle: "System design",
        startTime: start, endTime: start.addingTimeInterval(45 * 60), location: "Room 4",
        meetingLink: "https://zoom.us/j/123?pwd=a&b=c", instructions: "Ask about\n\n  caching.",
        feedbackLink: "https://app.ashbyhq.com/feedback/abc")

    @Test func messageShowsEveryPartOfTheInterview() throws {
        let message = ReminderMessage.make(Self.full, channel: "U01ADA0001")
        let blocks = try Blocks(message)
        #expect(message.channel == "U01ADA0001")
        #expect(blocks.types == ["header", "section", "section", "section", "section"])
        let text = blocks.mrkdwn.joined(separator: "\n")
        #expect(text.contains("*System design* with *Jane Doe*"))
        #expect(text.contains("*Job:* Senior Engineer"))
        #expect(text.contains("<!date^1700000000^{date_short_pretty} at {time}|2023-11-14 22:13 UTC> (45 min)"))
        #expect(text.contains("*Where:* Room 4"))
        #expect(text.contains("<https://zoom.us/j/123?pwd=a&amp;b=c|Join meeting>"))
        #expect(text.contains("*Instructions:*\nAsk about caching."))
        #expect(blocks.mrkdwn.last == "*Feedback:* <https://app.ashbyhq.com/feedback/abc|Open the feedback form>")
        #expect(
            message.text
                == "Interview reminder: System design with Jane Doe (Senior Engineer) at 2023-11-14 22:13 UTC")
    }

    @Test func mrkdwnSectionsAreVerbatimSoNothingIsAutoMentioned() throws {
        let blocks = try Blocks(ReminderMessage.make(Self.full, channel: "U1"))
        let sections = blocks.raw.filter { $0["type"] as? String == "section" }
        #expect(!sections.isEmpty)
        for section in sections {
            #expect((section["text"] as? [String: Any])?["verbatim"] as? Bool == true)
        }
    }

    @Test func ashbyTextIsEscapedEverywhere() throws {
        var reminder = Self.full
        reminder.candidateName = "<!channel> & <b>Bob</b>"
        reminder.jobTitle = "<@U123>"
        reminder.interview.interviewTitle = "<https://evil.test|Join call>"
        reminder.interview.location = "<!here>"
        reminder.interview.instructions = "<!everyone> <#C123>"
        let message = ReminderMessage.make(reminder, channel: "U1")
        let text = try Blocks(message).mrkdwn.joined(separator: "\n")
        #expect(text.contains("&lt;!channel&gt; &amp; &lt;b&gt;Bob&lt;/b&gt;"))
        #expect(text.contains("&lt;@U123&gt;"))
        #expect(text.contains("&lt;https://evil.test|Join call&gt;"))
        #expect(text.contains("&lt;!here&gt;"))
        #expect(text.contains("&lt;!everyone&gt; &lt;#C123&gt;"))
        for forbidden in ["<!channel>", "<@U123>", "<https://evil", "<!here>", "<!everyone>", "<#C123>", "<b>"] {
            #expect(!text.contains(forbidden))
            #expect(!message.text.contains(forbidden))
        }
        #expect(message.text.contains("&lt;!channel&gt; &amp; &lt;b&gt;Bob&lt;/b&gt;"))
    }

    @Test func longInstructionsAreCollapsedAndShortened() throws {
        var reminder = Self.full
        reminder.interview.instructions = String(repeating: "word\n\t ", count: 400)
        let blocks = try Blocks(ReminderMessage.make(reminder, channel: "U1"))
        let instructions = try #require(blocks.mrkdwn.first { $0.hasPrefix("*Instructions:*") })
        let body = instructions.dropFirst("*Instructions:*\n".count)
        #expect(body.count <= 500)
        #expect(body.hasSuffix("…"))
        #expect(!body.contains("\n") && !body.contains("  ") && !body.contains("\t"))
    }

    @Test func hostileLengthsStayWithinSlackLimits() throws {
        let huge = String(repeating: "&<>", count: 5_000)
        let reminder = InterviewReminder(
            candidateName: huge, jobTitle: huge, interviewTitle: huge, startTime: Self.start,
            endTime: Self.start.addingTimeInterval(3600), location: huge,
            meetingLink: "https://x.test/" + String(repeating: "|", count: 4_000), instructions: huge,
            feedbackLink: "https://x.test/" + String(repeating: "a", count: 3_000))
        let message = ReminderMessage.make(reminder, channel: "U1")
        let blocks = try Blocks(message)
        #expect(blocks.raw.count <= 50)
        for text in blocks.mrkdwn {
            #expect(text.utf16.count <= 3_000)
            #expect(!text.contains("&<") && !text.contains("<>"))
        }
        for header in blocks.raw where header["type"] as? String == "header" {
            #expect(((header["text"] as? [String: Any])?["text"] as? String)?.utf16.count ?? 0 <= 150)
        }
        #expect(message.text.utf16.count <= 4_000)
        #expect(SlackMessageRules.check(.update, text: message.text, blocks: blocks.raw) == nil)
        #expect(blocks.mrkdwn.last == "*Feedback:* " + MessageText.feedbackLinkTooLong, "a link too long to show says where the form is")
        let details = try #require(blocks.mrkdwn.first { $0.contains("*Meeting link:* ") })
        let meeting = try #require(details.components(separatedBy: "*Meeting link:* ").last)
        #expect(meeting.hasPrefix("https://x.test/|||") && meeting.hasSuffix("…"))   // too long to link: shortened text
    }

    @Test(arguments: ["javascript:alert(1)", "not a url", "ftp://x.test/f", ""])
    func noFeedbackLinkWithoutAWebURL(link: String) throws {
        var reminder = Self.full
        reminder.interview.feedbackLink = link
        let blocks = try Blocks(ReminderMessage.make(reminder, channel: "U1"))
        #expect(!blocks.mrkdwn.joined().contains("Feedback:"))
        #expect(blocks.types == ["header", "section", "section", "section"])
    }

    @Test func theFeedbackLinkIsMrkdwnWithWhatBreaksItEncoded() throws {
        var reminder = Self.full
        reminder.interview.feedbackLink = "https://x.test/f_1*2~3?a=b&c=d|e>f"
        let blocks = try Blocks(ReminderMessage.make(reminder, channel: "U1"))
        #expect(blocks.mrkdwn.last == "*Feedback:* <https://x.test/f_1*2~3?a=b&amp;c=d%7Ce%3Ef|Open the feedback form>")
        #expect(blocks.raw.allSatisfy { $0["type"] as? String != "actions" }, "no button: nothing for Slack to send to a Request URL")
    }

    @Test func whenEverythingIsAtItsLongestTheInstructionsMakeWayAndTheFeedbackLinkStays() throws {
        let long = String(repeating: "&", count: 3_000)
        var reminder = InterviewReminder(
            candidateName: long, jobTitle: long, interviewTitle: long, startTime: Self.start,
            endTime: Self.start.addingTimeInterval(3600), location: long,
            meetingLink: "https://zoom.us/" + String(repeating: "a", count: 1_100), instructions: long,
            feedbackLink: "https://app.ashbyhq.com/" + String(repeating: "b", count: 1_900),
            candidateProfileURL: "https://app.ashbyhq.com/" + String(repeating: "c", count: 1_100),
            otherInterviewers: Array(repeating: long, count: 12), scorecardQuestions: Array(repeating: long, count: 12),
            previousStartTime: Self.start.addingTimeInterval(-3600))
        func instructionsLength() throws -> Int {
            let blocks = try Blocks(ReminderMessage.make(reminder, channel: "U1"))
            #expect(blocks.mrkdwn.last?.hasPrefix("*Feedback:* <https://app.ashbyhq.com/bbb") == true)
            #expect(blocks.raw.reduce(0) { $0 + SlackMessageRules.textLength(in: $1) } <= SlackLimits.blocksTextCharacters)
            return blocks.mrkdwn.first { $0.hasPrefix("*Instructions:*") }?.utf16.count ?? 0
        }
        let crowded = try instructionsLength()
        reminder.otherInterviewers = []
        reminder.scorecardQuestions = []
        let roomy = try instructionsLength()
        #expect(roomy > 2_000, "alone, the instructions get their whole budget")
        #expect(crowded < roomy, "beside a full panel and scorecard they are cut to what is left")
    }

    @Test func nonWebMeetingLinkIsShownAsEscapedText() throws {
        var reminder = Self.full
        reminder.interview.meetingLink = "Dial <+1 555> & ask"
        let text = try Blocks(ReminderMessage.make(reminder, channel: "U1")).mrkdwn.joined()
        #expect(text.contains("*Meeting link:* Dial &lt;+1 555&gt; &amp; ask"))
    }

    @Test func minimalReminderOmitsMissingParts() throws {
        let reminder = InterviewReminder(startTime: Self.start, endTime: Self.start, location: "  ")
        let message = ReminderMessage.make(reminder, channel: "U1")
        let blocks = try Blocks(message)
        #expect(blocks.types == ["header", "section", "section"])
        let text = blocks.mrkdwn.joined(separator: "\n")
        #expect(text.contains("*Interview*"))
        #expect(!text.contains(" with "))
        #expect(!text.contains("min)"))
        #expect(!text.contains("*Where:*") && !text.contains("*Job:*") && !text.contains("*Meeting link:*"))
        #expect(message.text == "Interview reminder: Interview at 2023-11-14 22:13 UTC")
    }

    // MARK: Panel, scorecard, profile, and the states edits show

    @Test func panelScorecardAndProfileAreShownEscapedAndBounded() throws {
        var reminder = Self.full
        reminder.otherInterviewers = (1...12).map { "Person <\($0)>" }
        reminder.scorecardQuestions = (1...11).map { "Q\($0) & " + String(repeating: "x", count: 400) }
        reminder.candidateProfileURL = "https://app.ashbyhq.com/candidates/c-1"
        let message = ReminderMessage.make(reminder, channel: "U1")
        let blocks = try Blocks(message)
        let text = blocks.mrkdwn.joined(separator: "\n")
        #expect(text.contains("*Also on the panel:* Person &lt;1&gt;, "))
        #expect(text.contains("and 4 more"))
        #expect(!text.contains("Person &lt;9&gt;"))
        #expect(text.contains("• Q1 &amp; xxx"))
        #expect(text.contains("• and 3 more"))
        #expect(text.contains("(<https://app.ashbyhq.com/candidates/c-1|Ashby profile>)"))
        #expect(blocks.mrkdwn.allSatisfy { $0.utf16.count <= 3_000 })
        #expect(blocks.types == ["header", "section", "section", "section", "section", "section"])
    }

    @Test func aNonWebProfileLinkIsLeftOut() throws {
        var reminder = Self.full
        reminder.candidateProfileURL = "javascript:alert(1)"
        let text = try Blocks(ReminderMessage.make(reminder, channel: "U1")).mrkdwn.joined()
        #expect(!text.contains("Ashby profile") && !text.contains("javascript"))
    }

    @Test func cancelledAndRemovedHaveNoFeedbackLinkNoMeetingLinkAndSaySo() throws {
        for (standing, notice, suffix) in [
            (InterviewReminder.Standing.cancelled, "This interview was cancelled", ": no feedback needed"),
            (.interviewerRemoved, "You are no longer on this interview", ": you are no longer on this interview"),
        ] {
            var reminder = Self.full
            reminder.standing = standing
            reminder.otherInterviewers = ["Ada Lovelace"]
            let message = ReminderMessage.make(reminder, channel: "D1")
            let blocks = try Blocks(message)
            #expect(blocks.types == ["header", "section", "section", "section"])
            let text = blocks.mrkdwn.joined(separator: "\n")
            #expect(!text.contains("Open the feedback form"))
            #expect(text.contains(notice))
            #expect(!text.contains("zoom.us") && !text.contains("Instructions") && !text.contains("Ada"))
            #expect(text.contains("*When:*"))
            #expect(message.text.hasSuffix(suffix))
        }
    }

    @Test func aMovedStartSaysWhatItWas() throws {
        var reminder = Self.full
        reminder.previousStartTime = Self.start.addingTimeInterval(-86_400)
        let text = try Blocks(ReminderMessage.make(reminder, channel: "D1")).mrkdwn.joined(separator: "\n")
        #expect(text.contains("*Rescheduled:* was <!date^\(Int(Self.start.timeIntervalSince1970) - 86_400)^"))
        reminder.previousStartTime = Self.start
        #expect(!(try Blocks(ReminderMessage.make(reminder, channel: "D1")).mrkdwn.joined().contains("Rescheduled")))
    }

    @Test func theFingerprintFollowsTheContentNotTheChannel() {
        let posted = ReminderMessage.make(Self.full, channel: "U1")
        #expect(MessageFingerprint.of(posted) == MessageFingerprint.of(ReminderMessage.make(Self.full, channel: "DU1")))
        var moved = Self.full
        moved.interview.location = "Room 5"
        #expect(MessageFingerprint.of(posted) != MessageFingerprint.of(ReminderMessage.make(moved, channel: "U1")))
        #expect(MessageFingerprint.of(posted).count == 16)
    }

    @Test func scorecardQuestionsComeFromTheFormDefinition() {
        let definition = #"{"sections":[{"title":"Assessment","fields":[{"isRequired":true,"field":{"title":"Overall Recommendation"}},{"field":{"title":" Notes "}}]},{"title":"","fields":[{"field":{"title":"Culture"}}]},{"title":"Intro only"},{"fields":[]}]}"#
        #expect(ScorecardQuestions.lines(fromDefinition: definition) == ["Assessment: Overall Recommendation · Notes", "Culture", "Intro only"])
        #expect(ScorecardQuestions.lines(fromDefinition: nil) == [])
        #expect(ScorecardQuestions.lines(fromDefinition: "not json") == [])
        #expect(ScorecardQuestions.lines(fromDefinition: #"{"sections":"oops"}"#) == [])
    }
}

/// The decoded `blocksJSON` of a message, with shortcuts for what the tests look at.
struct Blocks {
    let raw: [[String: Any]]

    init(_ message: SlackMessage) throws {
        raw = try #require(JSONSerialization.jsonObject(with: message.blocksJSON) as? [[String: Any]])
    }

    var types: [String] { raw.map { $0["type"] as? String ?? "?" } }

    /// The text of every mrkdwn text object in section blocks.
    var mrkdwn: [String] {
        raw.compactMap { block in
            guard let text = block["text"] as? [String: Any], text["type"] as? String == "mrkdwn" else { return nil }
            return text["text"] as? String
        }
    }
}
