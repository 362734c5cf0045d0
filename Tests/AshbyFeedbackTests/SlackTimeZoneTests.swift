import Foundation
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 18 item 5: a member's zone is their `tz` when this build knows it, else Slack's `tz_offset`,
/// else `DEFAULT_TIME_ZONE` — one rule for nudges and digests; the fallback is logged when the
/// member's row is written, not every run; and a daylight-saving change rewrites no Slack row.
/// Real PostgreSQL, FakeAshby and FakeSlack; the run's clock is fixed.
@Suite(.timeLimit(.minutes(3)))
struct SlackTimeZoneTests {
    static let losAngeles = TimeZone(identifier: "America/Los_Angeles")!
    static let hour: TimeInterval = 3600

    @Test func theZoneIsTheKnownNameThenTheOffsetThenTheDefault() {
        let named = SlackTimeZone(name: "Europe/Berlin", offset: -18_000).resolved(default: Self.losAngeles)
        #expect(named.zone.identifier == "Europe/Berlin" && named.source == .name, "a known name wins over a stale offset")
        let mars = SlackTimeZone(name: "Mars/Olympus", offset: -18_000)
        #expect(mars.isFallback)
        let offset = mars.resolved(default: Self.losAngeles)
        #expect(offset.source == .offset && offset.zone.secondsFromGMT() == -18_000)
        let none = SlackTimeZone(name: nil, offset: nil).resolved(default: Self.losAngeles)
        #expect(none.source == .defaultZone && none.zone == Self.losAngeles)
        let badOffset = SlackTimeZone(name: "Mars/Olympus", offset: 90 * 3600).resolved(default: Self.losAngeles)
        #expect(badOffset.source == .defaultZone, "an offset no zone can have")
        #expect(!SlackTimeZone(name: "America/New_York", offset: nil).isFallback)
    }

    func occurrences(of event: String, in logs: String) -> Int {
        logs.components(separatedBy: "\"\(event)\"").count - 1
    }

    /// Ian's `tz` is a name this build does not know, with Slack's offset UTC-5; Ada has neither, and
    /// `DEFAULT_TIME_ZONE` is Los Angeles. Each is nudged in their own working hours, never by UTC.
    @Test func aMemberInAZoneThisBuildDoesNotKnowIsNudgedInTheirOwnHours() async throws {
        let harness = try await SyncHarness.start(settings: [
            "DEFAULT_TIME_ZONE": "America/Los_Angeles", "SLACK_USERS_REFRESH_MINUTES": "0",
        ])
        defer { Task { await harness.stop() } }
        let world = NudgeTests.World(harness)
        harness.slack.setUsers([
            FakeSlack.User(id: NudgeTests.ianSlack, name: "ian", email: "ian@example.com", realName: "Ian", tz: "Mars/Olympus", tzOffset: -18_000),
            FakeSlack.User(id: NudgeTests.adaSlack, name: "ada", email: "ada@example.com", realName: "Ada"),
        ])
        let tuesday = NudgeTests.tuesday  // 14:00 UTC
        world.interview(endingAt: tuesday.addingTimeInterval(-6 * Self.hour), interviewers: [
            AshbyFixtures.interviewer(email: "ian@example.com", firstName: "Ian", lastName: "Interviewer"),
            AshbyFixtures.interviewer(email: "ada@example.com", firstName: "Ada", lastName: "Lovelace"),
        ])
        try await harness.run(now: tuesday.addingTimeInterval(-4 * Self.hour))  // 10:00 UTC: 05:00 for Ian, 02:00 for Ada
        #expect(NudgeTests.nudges(harness, to: NudgeTests.ianSlack).isEmpty, "05:00 at Slack's offset, though 10:00 UTC")
        #expect(NudgeTests.nudges(harness, to: NudgeTests.adaSlack).isEmpty, "02:00 in DEFAULT_TIME_ZONE")
        try await harness.run(now: tuesday.addingTimeInterval(Self.hour))  // 15:00 UTC: 10:00 for Ian, 07:00 for Ada
        #expect(NudgeTests.nudges(harness, to: NudgeTests.ianSlack).count == 1, "10:00 at Slack's offset")
        #expect(NudgeTests.nudges(harness, to: NudgeTests.adaSlack).isEmpty, "07:00 in DEFAULT_TIME_ZONE")
        try await harness.run(now: tuesday.addingTimeInterval(4 * Self.hour))  // 18:00 UTC: 10:00 for Ada
        #expect(NudgeTests.nudges(harness, to: NudgeTests.adaSlack).count == 1, "10:00 in DEFAULT_TIME_ZONE")

        // Three directory pulls, one line each: when the member's row was first written.
        #expect(occurrences(of: "slack_time_zone_unknown", in: harness.logs) == 1)
        #expect(occurrences(of: "slack_time_zone_missing", in: harness.logs) == 1)
        #expect(harness.logs.contains("Mars/Olympus"))
    }

    /// At a daylight-saving change Slack's `tz_offset` moves for everyone while `tz` stays: no row is
    /// rewritten, except a member whose zone is read from that offset.
    @Test func aDaylightSavingChangeInTheDirectoryRewritesNoRow() async throws {
        let harness = try await SyncHarness.start(settings: ["SLACK_USERS_REFRESH_MINUTES": "0"])
        defer { Task { await harness.stop() } }
        func directory(offset: Int) -> [FakeSlack.User] {
            [
                FakeSlack.User(id: "U0RITA0001", name: "rita", email: "rita@example.com", realName: "Rita", tz: "America/New_York", tzOffset: offset),
                FakeSlack.User(id: "U0SAM00001", name: "sam", email: "sam@example.com", realName: "Sam", tz: "America/Chicago", tzOffset: offset - 3600),
                FakeSlack.User(id: "U0OLLY0001", name: "olly", email: "olly@example.com", realName: "Olly", tz: "Mars/Olympus", tzOffset: offset),
            ]
        }
        let saturday = Date(timeIntervalSince1970: 1_804_298_400)  // Saturday 2027-03-06, before US daylight saving time
        harness.slack.setUsers(directory(offset: -18_000))
        let (_, first) = try await harness.run(now: saturday)
        #expect(first.resources[Resource.slackUsers]?.inserted == 3)
        let before = try harness.rowVersions()

        harness.slack.setUsers(directory(offset: -14_400))  // the second Sunday of March
        let (_, second) = try await harness.run(now: saturday.addingTimeInterval(9 * 24 * Self.hour))
        let after = try harness.rowVersions()
        #expect(after["slack_users:U0RITA0001"] == before["slack_users:U0RITA0001"], "a DST shift is no update")
        #expect(after["slack_users:U0SAM00001"] == before["slack_users:U0SAM00001"])
        #expect(after["slack_users:U0OLLY0001"] != before["slack_users:U0OLLY0001"], "Olly's zone is his offset")
        #expect(second.resources[Resource.slackUsers]?.updated == 1)
        #expect(second.resources[Resource.slackUsers]?.unchanged == 2)
        let olly = try harness.connect().query("SELECT tz_offset FROM slack_users WHERE slack_user_id = 'U0OLLY0001'").rows[0]
        #expect(try olly[0].decode(Int?.self) == -14_400)
    }
}
