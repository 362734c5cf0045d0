import AshbyAPI
import Foundation
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 19 items 4 and 9: the product meets Ashby as the reference documents it. A missing permission
/// degrades the same way in every shape and status it comes in, and every request a sync or a backfill
/// makes is one Ashby documents (FakeAshby refuses any other: `AshbyDocumentedParameters`).
@Suite(.timeLimit(.minutes(5))) struct AshbyContractTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let ian = AshbyFixtures.interviewer(email: "ian@example.com")
    static let ianSlack = "U01IAN0001"

    /// One warning, exit 0, `status` names the permission — whatever the shape, with HTTP 403 or 200.
    @Test(arguments: PermissionDenial.allCases, [403, 200])
    func aMissingPermissionDegradesTheSameWayInEveryForm(shape: PermissionDenial, status: Int) async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        harness.ashby.denyPermission(endpoint: "applicationFeedback.list", shape: shape, status: status)
        harness.ashby.upsertSchedule(AshbyFixtures.schedule())

        let (outcome, _) = try await harness.run(SyncRequest(kind: .sync, sendReminders: false), now: now)
        #expect(outcome == .succeeded, "exit 0")
        let warnings = harness.logs.split(separator: "\n").filter { $0.contains("resource_unavailable") }
        #expect(warnings.count == 1, "one warning")
        #expect(warnings.first?.contains("candidatesRead") == true)
        #expect(try harness.count("interview_schedules") == 1, "the other resources synced")
        let report = try StatusReport.read(try harness.connect(), runLimit: 5, maxAgeMinutes: 60, now: now)
        let resource = try #require(report.resources.first { $0.resource == Resource.submissions })
        #expect(resource.unavailableReason?.contains("candidatesRead") == true)
        #expect(report.healthy)
    }

    /// A sync, a later sync that looks an interview up, and a backfill since a date, over a tenant that
    /// makes the product call every endpoint it uses (the five lists, `interview.info` and, for a
    /// candidate's profile link, `candidate.info`): FakeAshby refused nothing, and every request
    /// carried Basic auth, a JSON body and the pinned `Ashby-Version`.
    @Test func everyRequestOfASyncAndABackfillIsOneAshbyDocuments() async throws {
        let harness = try await SyncHarness.start(pageSize: 1)
        defer { Task { await harness.stop() } }
        let ashby = harness.ashby
        harness.slack.setUsers([SlackFixtures.human(id: Self.ianSlack, email: "ian@example.com")])
        let form = AshbyFixtures.form()
        ashby.upsertForm(form)
        ashby.upsertForm(AshbyFixtures.form(isArchived: true))
        let shared = AshbyFixtures.interview(title: "System Design", feedbackFormDefinitionId: form["id"]!.stringValue!)
        let jobID = AshbyFixtures.id()
        let jobSpecific = AshbyFixtures.interview(title: "Onsite", jobId: jobID, instructionsPlain: nil, instructionsHtml: nil)
        ashby.upsertInterview(shared)
        ashby.upsertInterview(jobSpecific)
        // A known application (application.list, then candidate.info for the link) and one Ashby does not list.
        let application = AshbyFixtures.application(candidateName: "Casey Candidate", jobId: jobID, jobTitle: "Staff Engineer")
        ashby.setApplication(application)
        let interviewer = AshbyFixtures.interviewer(email: "ian@example.com")
        let silent = AshbyFixtures.interviewer(email: nil, firstName: "No", lastName: "Email")
        ashby.upsertSchedule(AshbyFixtures.schedule(applicationId: application["id"]!.stringValue!, events: [
            AshbyFixtures.event(
                interviewId: shared["id"]!.stringValue!, start: now.addingTimeInterval(600), interviewers: [interviewer, silent],
                location: nil, meetingLink: nil),
        ]))
        ashby.upsertSchedule(AshbyFixtures.schedule(events: [
            AshbyFixtures.event(interviewId: jobSpecific["id"]!.stringValue!, start: now.addingTimeInterval(700), interviewers: [interviewer]),
        ]))
        ashby.upsertFeedback(AshbyFixtures.feedback(eventId: nil, submittedBy: interviewer))

        try await harness.run(now: now)
        // An interview the list has not shown yet (interviews are not due again): interview.info.
        let late = AshbyFixtures.interview(title: "Debrief")
        ashby.upsertInterview(late)
        ashby.upsertSchedule(AshbyFixtures.schedule(events: [
            AshbyFixtures.event(interviewId: late["id"]!.stringValue!, start: now.addingTimeInterval(3 * 86_400), interviewers: [interviewer]),
        ]))
        try await harness.run(now: now.addingTimeInterval(60))
        try await harness.run(SyncRequest(kind: .backfill, since: now.addingTimeInterval(-86_400), sendReminders: false), now: now.addingTimeInterval(120))

        #expect(ashby.refusals.isEmpty, "\(ashby.refusals)")
        let endpoints = Set(ashby.server.requests.map { String($0.path.dropFirst()) })
        #expect(endpoints == [
            "feedbackFormDefinition.list", "interview.list", "interviewSchedule.list", "applicationFeedback.list",
            "application.list", "interview.info", "candidate.info",
        ])
        let basic = "Basic " + Data("\(SyncHarness.apiKey):".utf8).base64EncodedString()
        for request in ashby.server.requests {
            #expect(request.method == "POST")
            #expect(request.header("authorization") == basic)
            #expect(request.header("content-type") == "application/json")
            #expect(request.header("ashby-version") == AshbyAPIVersion.pinned)
            guard case .object(let body) = try JSONValue(parsing: request.body) else {
                Issue.record("\(request.path): the body is no JSON object")
                continue
            }
            #expect(AshbyDocumentedParameters.undocumented(body.keys, endpoint: String(request.path.dropFirst())).isEmpty)
        }
        #expect(ashby.requestBodies(path: "interviewSchedule.list").contains { $0["createdAfter"] != nil }, "the backfill's --since")
        #expect(harness.slack.messages(to: Self.ianSlack).count == 2, "both reminders went out")
    }
}
