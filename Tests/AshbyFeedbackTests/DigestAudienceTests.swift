import Foundation
import Testing
@testable import AshbyFeedback

/// Who gets a digest and when, as pure functions: only inside the recipient's working hours on a
/// working day (issue 18 item 4), and never to the scheduler in place of a recruiter whose hiring
/// team could not be looked up (item 7).
@Suite struct DigestAudienceTests {
    /// Tuesday 2027-01-19 10:00 UTC, 05:00 in New York.
    let tuesday = Date(timeIntervalSince1970: 1_800_352_800)
    let hour: TimeInterval = 3600, day: TimeInterval = 86_400
    let newYork = TimeZone(identifier: "America/New_York")!
    let audience = DigestAudience(settings: .standard)

    func due(_ offset: TimeInterval, in zone: TimeZone? = nil, audience: DigestAudience? = nil) -> String? {
        (audience ?? self.audience).dueDay(at: tuesday.addingTimeInterval(offset), in: zone ?? newYork, workingHours: .standard)
    }

    @Test func aDigestDueAt0930IsNotSentAt2200LocalButTheNextWorkingMorning() {
        #expect(due(4.5 * hour) == "2027-01-19", "09:30 in New York")
        #expect(due(13 * hour - 60) == "2027-01-19", "17:59: still working hours")
        #expect(due(13 * hour) == nil, "18:00: the working day is over")
        #expect(due(17 * hour) == nil, "22:00 in New York")
        #expect(due(day + 4 * hour) == nil, "Wednesday 09:00: before DIGEST_TIME")
        #expect(due(day + 4.5 * hour) == "2027-01-20", "Wednesday 09:30: the next working morning, that day's digest")
        #expect(due(3 * day + 17 * hour) == nil, "Friday 22:00")
        #expect(due(4 * day + 5 * hour) == nil, "Saturday 10:00: no working day")
        #expect(due(6 * day + 4.5 * hour) == "2027-01-25", "Monday 09:30")
    }

    @Test func aDigestTimeBeforeWorkingHoursMeansTheirStart() {
        var settings = DigestSettings.standard
        settings.timeMinute = 8 * 60
        let early = DigestAudience(settings: settings)
        #expect(due(3.5 * hour, audience: early) == nil, "08:30: DIGEST_TIME passed, working hours not begun")
        #expect(due(4 * hour, audience: early) == "2027-01-19", "09:00: the start of working hours")
    }

    @Test func theChannelFollowsTheSameRuleInUTC() {
        var settings = DigestSettings.standard
        settings.channel = "C0DIGEST01"
        let channel = DigestAudience(settings: settings)
        #expect(due(0, in: WorkingHours.utc, audience: channel) == "2027-01-19", "10:00 UTC")
        #expect(due(10 * hour, in: WorkingHours.utc, audience: channel) == nil, "20:00 UTC")
        #expect(due(day - 0.5 * hour, in: WorkingHours.utc, audience: channel) == "2027-01-20", "Wednesday 09:30 UTC")
    }

    @Test func itemsWhoseHiringTeamIsUnknownWaitInsteadOfGoingToTheScheduler() {
        func overdue(_ event: String, application: String?, team: [HiringTeamMember]?) -> DigestStore.Overdue {
            DigestStore.Overdue(
                item: DigestItem(eventID: event, interviewerID: "i", applicationID: application, endTime: tuesday, overdueMinutes: 60),
                scheduledByEmail: "sam@example.com", hiringTeam: team)
        }
        let items = [
            overdue("unknown-team", application: "a-not-synced", team: nil),
            overdue("no-recruiter", application: "a-managers", team: [.init(userID: "u1", email: "hm@example.com", name: nil, role: "Hiring Manager")]),
            overdue("recruiter", application: "a-rita", team: [.init(userID: "u2", email: "rita@example.com", name: nil, role: "Recruiter")]),
            overdue("no-application", application: nil, team: nil),
        ]
        let members = [
            "sam@example.com": DigestStore.Member(slackUserID: "USAM", timeZone: SlackTimeZone(name: nil, offset: nil)),
            "rita@example.com": DigestStore.Member(slackUserID: "URITA", timeZone: SlackTimeZone(name: nil, offset: nil)),
        ]
        #expect(audience.candidateEmails(items) == ["rita@example.com", "sam@example.com"])
        let recipients = audience.recipients(items, members: members)
        let byID = Dictionary(uniqueKeysWithValues: recipients.map { ($0.slackID, $0.items.map(\.eventID)) })
        #expect(byID["USAM"] == ["no-recruiter", "no-application"], "the scheduler only where the known team has no recruiter")
        #expect(byID["URITA"] == ["recruiter"])
        #expect(!recipients.contains { $0.items.contains { $0.eventID == "unknown-team" } }, "an application not synced waits")
        #expect(audience.waitingForTeam(items) == ["a-not-synced"])
    }
}
