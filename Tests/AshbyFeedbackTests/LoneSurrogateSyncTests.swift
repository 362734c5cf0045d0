import Foundation
import Testing
import TestSupport
@testable import AshbyFeedback

/// A schedule page holding lone UTF-16 surrogate escapes is written, not failed on every run
/// (issue 9, item 14): lone halves become U+FFFD in the columns and the audit jsonb; a valid pair stays.
@Suite(.timeLimit(.minutes(2))) struct LoneSurrogateSyncTests {
    @Test func aSchedulePageWithLoneSurrogatesIsStored() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let interview = AshbyFixtures.interview()
        harness.ashby.upsertInterview(interview)
        let events = ["Room 4 HIGH", "LOW desk", "Party PAIR"].enumerated().map { index, location in
            AshbyFixtures.event(interviewId: interview["id"]!.stringValue!, start: Date().addingTimeInterval(Double(index + 1) * 86_400), location: location)
        }
        let schedule = AshbyFixtures.schedule(events: events).jsonString
            .replacingOccurrences(of: "HIGH", with: #"\ud83d"#).replacingOccurrences(of: "LOW", with: #"\uDC00"#)
            .replacingOccurrences(of: "PAIR", with: #"\ud83c\udf89"#)
        let body = #"{"success":true,"results":["# + schedule + #"],"moreDataAvailable":false,"syncToken":"t1"}"#
        harness.ashby.server.inject(.status(200, headers: ["Content-Type": "application/json"], body: Data(body.utf8)), path: "/interviewSchedule.list")

        let (outcome, _) = try await harness.run(SyncRequest(kind: .sync, sendReminders: false))
        #expect(outcome == .succeeded)
        for location in ["Room 4 \u{FFFD}", "\u{FFFD} desk", "Party 🎉"] {
            #expect(try harness.count("interview_events", where: "location = '\(location)'") == 1, "\(location)")
            #expect(try harness.count("ashby_webhook_payloads", where: "payload::text LIKE '%\(location)%'") == 1, "\(location)")
        }
        #expect(try harness.syncToken("interview_schedules") == "t1")
    }
}
