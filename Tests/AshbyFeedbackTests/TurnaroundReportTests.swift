import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 12: `report` — feedback turnaround from the stored tables. Submissions are written with SQL
/// (issue 11's pull fills them in a real run).
@Suite(.timeLimit(.minutes(4)))
struct TurnaroundReportTests {
    /// Three interviews by three interviewers that ended two days before `now`, with scorecards
    /// submitted 2 h, 10 h and 30 h after their end, and a fourth interview still without one.
    func seed(_ harness: SyncHarness, now: Date) async throws {
        let interview = AshbyFixtures.interview(title: "System Design")
        harness.ashby.upsertInterview(interview)
        let end = now.addingTimeInterval(-48 * 3600)
        var pairs: [(event: String, interviewer: String, delay: Double?)] = []
        var events: [JSONValue] = []
        for (index, delay) in [2.0, 10.0, 30.0, nil].enumerated() {
            let person = AshbyFixtures.interviewer(email: "p\(index)@example.com", firstName: "Person", lastName: "No\(index), Jr.")
            let event = AshbyFixtures.event(interviewId: interview["id"]!.stringValue!, start: end.addingTimeInterval(-3600), end: end, interviewers: [person])
            events.append(event)
            pairs.append((event["id"]!.stringValue!, person["id"]!.stringValue!, delay))
        }
        harness.ashby.upsertSchedule(AshbyFixtures.schedule(status: "WaitingOnFeedback", events: events))
        try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: now)
        let connection = try harness.connect()
        for pair in pairs {
            guard let delay = pair.delay else { continue }
            try connection.execute(
                "INSERT INTO feedback_submissions (feedback_id, event_id, interviewer_id, submitted_at) VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3)",
                [pair.event, pair.interviewer, end.addingTimeInterval(delay * 3600)])
        }
    }

    @Test func medianAndOnTimeFromThreeScorecards() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let now = Date(timeIntervalSince1970: 1_800_352_800)
        try await seed(harness, now: now)
        let report = try TurnaroundReport.read(try harness.connect(), days: 30, overdueHours: 24, now: now)
        #expect(report.overall.interviewsNeedingFeedback == 4)
        #expect(report.overall.submitted == 3 && report.overall.onTime == 2 && report.overall.outstanding == 1)
        #expect(report.overall.medianHoursToFeedback == 10)
        #expect(report.overall.p90HoursToFeedback == 26)
        #expect(report.interviewers.count == 4)
        #expect(report.interviewers.first { $0.interviewerEmail == "p2@example.com" }?.onTime == 0)
        #expect(try TurnaroundReport.read(try harness.connect(), days: 1, overdueHours: 24, now: now).overall.interviewsNeedingFeedback == 0)
        let json = try TurnaroundFormat.json(report)
        #expect(json.contains("\"median_hours_to_feedback\" : 10") && json.contains("\"on_time\" : 2"))
    }

    @Test func commandPrintsJSONAndCSVThatParse() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        try await seed(harness, now: Date())
        let environment = ["DATABASE_URL": harness.database.url]
        let json = try await BinaryRun.piped(["report", "--json"], environment: environment)
        #expect(json.status == 0, "\(json.stderr)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let overall = try #require(parsed["overall"] as? [String: Any])
        #expect(overall["median_hours_to_feedback"] as? Double == 10)
        #expect(overall["on_time"] as? Int == 2 && overall["submitted"] as? Int == 3)

        let csv = try await BinaryRun.piped(["report", "--csv"], environment: environment)
        #expect(csv.status == 0, "\(csv.stderr)")
        let table = try CSVTable(csv.stdout)
        #expect(table.rows.count == 6)
        let overallRow = try #require(table.rows.first { $0["scope"] == "overall" })
        #expect(overallRow["median_hours_to_feedback"] == "10.0" && overallRow["on_time"] == "2")
        let names = table.rows.filter { $0["scope"] == "interviewer" }.compactMap { $0["interviewer_name"] }.sorted()
        #expect(names.first == "Person No0, Jr.", "a quoted name with a comma is one field")

        let text = try await BinaryRun.piped(["report"], environment: environment)
        #expect(text.status == 0 && text.stdout.contains("overall") && text.stdout.contains("median h"))
    }
}
