import AshbyAPI
import CurlHTTP
import Foundation
import Logging
import TestSupport
import Testing

/// The fake Ashby itself, spoken to with raw requests: the behaviours other suites (sync engine, sandbox,
/// benchmark) rely on and that `AshbyClient` never provokes.
@Suite(.timeLimit(.minutes(3))) struct FakeAshbyTests {
    private struct Exchange: Sendable {
        var status: Int
        var body: JSONValue?
        var text: String
    }

    /// Posts `body` (raw text) to `endpoint` with the given Authorization header (nil = none).
    private func post(
        _ ashby: FakeAshby, _ endpoint: String, body: String = "{}", authorization: String?? = .none,
        contentType: String = "application/json"
    ) async throws -> Exchange {
        let authorization = authorization ?? HTTPRequest.basicAuthorization(user: ashby.apiKey, password: "")
        return try await offloaded {
            let http = HTTPClient(
                configuration: HTTPClientConfiguration(retry: RetryPolicy(maxAttempts: 1)),
                logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
            var headers = [("Content-Type", contentType)]
            if let authorization { headers.append(("Authorization", authorization)) }
            let response = try http.send(
                HTTPRequest(
                    url: "\(ashby.baseURL)/\(endpoint)", headers: headers, body: Data(body.utf8), endpoint: endpoint))
            return Exchange(
                status: response.status, body: try? JSONValue(parsing: response.body),
                text: String(decoding: response.body, as: UTF8.self))
        }
    }

    private func ids(_ exchange: Exchange) -> [String] {
        exchange.body?["results"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }

    @Test func includeFlagsFilterArchivedAndJobSpecificRecords() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        let shared = AshbyFixtures.interview()
        let archived = AshbyFixtures.interview(isArchived: true)
        let jobSpecific = AshbyFixtures.interview(jobId: AshbyFixtures.id())
        for interview in [shared, archived, jobSpecific] { ashby.upsertInterview(interview) }
        let activeForm = AshbyFixtures.form()
        let archivedForm = AshbyFixtures.form(isArchived: true)
        ashby.upsertForm(activeForm)
        ashby.upsertForm(archivedForm)
        let id = { (value: JSONValue) in value["id"]!.stringValue! }

        #expect(ids(try await post(ashby, "interview.list")) == [id(shared)])
        #expect(
            ids(try await post(ashby, "interview.list", body: #"{"includeArchived":true}"#)) == [
                id(shared), id(archived),
            ])
        #expect(
            ids(
                try await post(
                    ashby, "interview.list", body: #"{"includeArchived":true,"includeNonSharedInterviews":true}"#))
                == [id(shared), id(archived), id(jobSpecific)])
        #expect(ids(try await post(ashby, "feedbackFormDefinition.list")) == [id(activeForm)])
        #expect(
            ids(try await post(ashby, "feedbackFormDefinition.list", body: #"{"includeArchived":true}"#))
                == [id(activeForm), id(archivedForm)])
        // interview.info finds any interview, archived or not.
        #expect(
            try await post(ashby, "interview.info", body: #"{"id":"\#(id(archived))"}"#).body?["results"] == archived)
    }

    @Test func authenticationFailures() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        let missing = try await post(ashby, "interviewSchedule.list", authorization: .some(nil))
        #expect(missing.status == 401 && missing.body == nil)
        let wrong = try await post(
            ashby, "interviewSchedule.list", authorization: HTTPRequest.basicAuthorization(user: "nope", password: ""))
        #expect(wrong.status == 403)
        #expect(wrong.body?["errorInfo"]?["code"] == "invalid_credentials")
        #expect(wrong.body?["success"] == false)
    }

    @Test func malformedRequestsGetInvalidInputEnvelopes() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        for (body, contentType) in [
            (#"{"limit":100,"cursor":null}"#, "application/json"), ("", "application/json"), ("{}", "text/plain"),
            (#"{"limit":500}"#, "application/json"), ("[]", "application/json"),
        ] {
            let exchange = try await post(ashby, "interviewSchedule.list", body: body, contentType: contentType)
            #expect(exchange.status == 200)
            #expect(exchange.body?["success"] == false)
            #expect(exchange.body?["errors"] == ["invalid_input"])
            #expect(exchange.body?["errorInfo"]?["code"] == "invalid_input")
        }
        let unknown = try await post(ashby, "user.list")
        #expect(unknown.status == 404 && unknown.body?["errorInfo"]?["code"] == "not_found")
        let noID = try await post(ashby, "job.info", body: #"{"jobId":"x"}"#)
        #expect(noID.body?["errorInfo"]?["code"] == "invalid_input")
    }

    @Test func unknownTokensAndCursorsAreRejected() async throws {
        let ashby = try await FakeAshby.start(pageSize: 1)
        defer { Task { await ashby.stop() } }
        ashby.upsertInterview(AshbyFixtures.interview())
        ashby.upsertInterview(AshbyFixtures.interview())
        let token = try await post(ashby, "interviewSchedule.list").body?["syncToken"]?.stringValue
        let cursor = try #require(try await post(ashby, "interview.list").body?["nextCursor"]?.stringValue)

        let otherEndpoint = try await post(ashby, "interview.list", body: #"{"syncToken":"\#(token!)"}"#)
        #expect(otherEndpoint.body?["errorInfo"]?["code"] == "sync_token_invalid")
        let madeUp = try await post(ashby, "interviewSchedule.list", body: #"{"syncToken":"made-up"}"#)
        #expect(madeUp.body?["errorInfo"]?["code"] == "sync_token_invalid")
        let wrongCursor = try await post(ashby, "interviewSchedule.list", body: #"{"cursor":"\#(cursor)"}"#)
        #expect(wrongCursor.body?["errorInfo"]?["code"] == "invalid_next_cursor")
        // A cursor can be presented again (a client retrying a page after a timeout).
        let again = try await post(ashby, "interview.list", body: #"{"cursor":"\#(cursor)"}"#)
        let retried = try await post(ashby, "interview.list", body: #"{"cursor":"\#(cursor)"}"#)
        #expect(again.body?["results"] != nil && again.body?["results"] == retried.body?["results"])
    }

    /// Ashby documents the token on a pass's first request and the cursor alone after it, never both:
    /// the fake refuses the two together, so a client that sends them fails loudly.
    @Test func aSyncTokenAndACursorTogetherAreRefused() async throws {
        let ashby = try await FakeAshby.start(pageSize: 10)
        defer { Task { await ashby.stop() } }
        ashby.upsertSchedules([AshbyFixtures.schedule(), AshbyFixtures.schedule()])
        let token = try #require(try await post(ashby, "interviewSchedule.list").body?["syncToken"]?.stringValue)
        ashby.pageSize = 1
        let cursor = try #require(try await post(ashby, "interviewSchedule.list").body?["nextCursor"]?.stringValue)
        let both = try await post(ashby, "interviewSchedule.list", body: #"{"syncToken":"\#(token)","cursor":"\#(cursor)"}"#)
        #expect(both.body?["success"] == false)
        #expect(both.body?["errorInfo"]?["code"] == "invalid_input")
        let alone = try await post(ashby, "interviewSchedule.list", body: #"{"cursor":"\#(cursor)"}"#)
        #expect(alone.body?["success"] == true)
    }

    @Test func writesDuringAPassShowUpInTheNextIncrementalPass() async throws {
        let ashby = try await FakeAshby.start(pageSize: 1)
        defer { Task { await ashby.stop() } }
        let first = AshbyFixtures.schedule()
        let second = AshbyFixtures.schedule()
        ashby.upsertSchedules([first, second])
        let page1 = try await post(ashby, "interviewSchedule.list")
        let cursor = try #require(page1.body?["nextCursor"]?.stringValue)

        let late = AshbyFixtures.schedule()
        ashby.upsertSchedule(late)
        ashby.modifySchedule(id: first["id"]!.stringValue!) { $0["status"] = "Complete" }

        let page2 = try await post(ashby, "interviewSchedule.list", body: #"{"cursor":"\#(cursor)"}"#)
        #expect(ids(page2) == [second["id"]!.stringValue!])
        #expect(page2.body?["moreDataAvailable"] == false)
        let token = try #require(page2.body?["syncToken"]?.stringValue)

        ashby.pageSize = 10
        let incremental = try await post(
            ashby, "interviewSchedule.list", body: #"{"syncToken":"\#(token)","limit":100}"#)
        #expect(Set(ids(incremental)) == [first["id"]!.stringValue!, late["id"]!.stringValue!])
        #expect(incremental.body?["results"]?[0]?["status"] == "Complete")
    }

    @Test func removeEventFromScheduleKeepsTheOthers() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        let interviewID = AshbyFixtures.id()
        let kept = AshbyFixtures.event(interviewId: interviewID, start: Date())
        let dropped = AshbyFixtures.event(interviewId: interviewID, start: Date())
        let schedule = AshbyFixtures.schedule(events: [kept, dropped])
        let scheduleID = schedule["id"]!.stringValue!
        ashby.upsertSchedule(schedule)
        #expect(ashby.removeEventFromSchedule(scheduleId: scheduleID, eventId: dropped["id"]!.stringValue!))
        let events = try #require(ashby.schedule(id: scheduleID)?["interviewEvents"]?.arrayValue)
        #expect(events.map { $0["id"] } == [kept["id"]])
        #expect(events.first?["interviewScheduleId"] == .string(scheduleID))
        #expect(!ashby.removeEventFromSchedule(scheduleId: AshbyFixtures.id(), eventId: "x"))
    }

    @Test func servesALargeTenantQuickly() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        let start = Date(timeIntervalSince1970: 1_729_432_800)
        let interviewer = AshbyFixtures.interviewer()
        let schedules = (0..<5_000).map { index in
            AshbyFixtures.schedule(events: [
                AshbyFixtures.event(
                    interviewId: "int-1", start: start.addingTimeInterval(Double(index) * 60),
                    interviewers: [interviewer])
            ])
        }
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            ashby.upsertSchedules(schedules)
            let pass = try await withAshbyClient(ashby) { client in
                try AshbyPaginator(client: client, logger: Logger(label: "t")).run(.interviewSchedules, syncToken: nil)
                { _ in }
            }
            #expect(pass.items == 5_000 && pass.pages == 50)
        }
        // Generous bound: a quadratic fake would take minutes; this is about catching that, not timing.
        #expect(elapsed < .seconds(60))
    }
}
