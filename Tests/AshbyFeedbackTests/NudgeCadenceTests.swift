import Foundation
import Testing
@testable import AshbyFeedback

/// The nudge cadence and message as pure functions: 1 h after the end, then once per later working
/// day in the recipient's zone, inside working hours, bounded in number and age; the grouped message
/// escapes what Ashby sends.
@Suite struct NudgeCadenceTests {
    /// Tuesday 2027-01-12 14:00 UTC.
    let tuesday = Date(timeIntervalSince1970: 1_799_762_400)
    let settings = NudgeSettings()
    let london = TimeZone(identifier: "Europe/London")!

    func due(endedAgo hours: Double, nudges: Int = 0, last: Date? = nil, at now: Date? = nil, zone: TimeZone? = nil) -> Bool {
        let now = now ?? tuesday
        return settings.isDue(
            endedAt: now.addingTimeInterval(-hours * 3600), nudgesSoFar: nudges, lastNudgeAt: last,
            zone: zone ?? london, workingHours: .standard, now: now)
    }

    @Test func theFirstAfterAnHourThenOncePerLaterWorkingDay() {
        #expect(!due(endedAgo: 0.5), "30 minutes after the end")
        #expect(due(endedAgo: 1))
        #expect(!due(endedAgo: 3, nudges: 1, last: tuesday.addingTimeInterval(-2 * 3600)), "same local day")
        #expect(due(endedAgo: 20, nudges: 1, last: tuesday.addingTimeInterval(-19 * 3600)), "yesterday's nudge: today's is due")
        #expect(!due(endedAgo: 50, nudges: 3, last: tuesday.addingTimeInterval(-86_400)), "FEEDBACK_NUDGE_MAX reached")
        #expect(!due(endedAgo: 97), "older than FEEDBACK_NUDGE_MAX_AGE_HOURS")
        #expect(!due(endedAgo: -1), "not over yet")
    }

    @Test func onlyInsideTheRecipientsWorkingHours() {
        let saturday = tuesday.addingTimeInterval(4 * 86_400)
        #expect(!due(endedAgo: 2, at: saturday), "Saturday")
        #expect(!due(endedAgo: 2, zone: TimeZone(identifier: "Asia/Tokyo")!), "23:00 in Tokyo")
        #expect(!due(endedAgo: 2, zone: TimeZone(identifier: "America/Los_Angeles")!), "06:00 in Los Angeles")
        #expect(due(endedAgo: 2, zone: WorkingHours.utc), "UTC, 14:00")
    }

    @Test func aScorecardCountedButNotListedWaitsForTheNextWorkingDay() {
        let countedThisMorning = tuesday.addingTimeInterval(-4 * 3600)
        #expect(!due(endedAgo: 5, nudges: 0, last: countedThisMorning), "told how many are waiting today: not again today")
        #expect(due(endedAgo: 29, nudges: 0, last: countedThisMorning.addingTimeInterval(-86_400)), "counted yesterday: listed today")
    }

    @Test func theGroupedMessageEscapesAshbyTextAndLinksEachLine() throws {
        let lines = (1...12).map { index in
            OutstandingScorecard(
                eventID: "e\(index)", interviewerID: "i", candidateName: "Zoë <!channel> & Co", jobTitle: "Designer",
                interviewTitle: "Portfolio *Review*", endedAt: tuesday, feedbackLink: "https://app.ashbyhq.com/f/\(index)")
        }
        let message = NudgeMessage.make(lines, channel: "U1")
        let blocks = try #require(try JSONSerialization.jsonObject(with: message.blocksJSON) as? [[String: Any]])
        let text = String(decoding: message.blocksJSON, as: UTF8.self)
        #expect(!text.contains("<!channel>"), "no mention from a candidate's name")
        #expect(text.contains("&lt;!channel&gt; &amp; Co"))
        #expect(text.contains("*Portfolio ∗Review∗*"), "Ashby's asterisks cannot close the bold around the title")
        #expect(blocks.allSatisfy { $0["type"] as? String != "actions" }, "no button")
        for index in 1...12 {
            #expect(text.contains("<https://app.ashbyhq.com/f/\(index)|Open the feedback form>"))
        }
        #expect(message.text.hasPrefix("12 scorecards are waiting for you"))
    }
}
