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
        var headers: [String: String] = [:]
    }

    /// Posts `body` (raw text) to `endpoint` with the given Authorization header (nil = none) and
    /// `Ashby-Version` (nil = none).
    private func post(
        _ ashby: FakeAshby, _ endpoint: String, body: String = "{}", authorization: String?? = .none,
        contentType: String = "application/json", version: String? = FakeAshby.defaultVersion
    ) async throws -> Exchange {
        let authorization = authorization ?? HTTPRequest.basicAuthorization(user: ashby.apiKey, password: "")
        return try await offloaded {
            let http = HTTPClient(
                configuration: HTTPClientConfiguration(retry: RetryPolicy(maxAttempts: 1)),
                logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
            var headers = [("Content-Type", contentType)]
            if let version { headers.append(("Ashby-Version", version)) }
            if let authorization { headers.append(("Authorization", authorization)) }
            let request = HTTPRequest(
                url: "\(ashby.baseURL)/\(endpoint)", headers: headers, body: Data(body.utf8), endpoint: endpoint)
            // A 429 or 5xx ends the single attempt as an error that keeps the answer.
            let response: HTTPResponse
            do {
                response = try http.send(request)
            } catch let error as HTTPError {
                guard let answer = error.response else { throw error }
                response = answer
            }
            return Exchange(
                status: response.status, body: try? JSONValue(parsing: response.body),
                text: String(decoding: response.body, as: UTF8.self), headers: response.headers)
        }
    }

    private func ids(_ exchange: Exchange) -> [String] {
        exchange.body?["results"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }

    /// `application.list` pages every application set with `setApplication`, filters by `status` and
    /// `jobId` as Ashby documents, and an incremental pass (its token) returns only what changed since.
    @Test func applicationListFiltersByStatusAndJobAndIsIncremental() async throws {
        let ashby = try await FakeAshby.start(pageSize: 2)
        defer { Task { await ashby.stop() } }
        let job = AshbyFixtures.id()
        let active = AshbyFixtures.application(jobId: job)
        let hired = AshbyFixtures.application(status: "Hired")
        let archived = AshbyFixtures.application(jobId: job, status: "Archived")
        ashby.setApplications([active, hired, archived])
        let id = { (value: JSONValue) in value["id"]!.stringValue! }

        let first = try await post(ashby, "application.list")
        #expect(ids(first) == [id(active), id(hired)])
        let cursor = try #require(first.body?["nextCursor"]?.stringValue)
        let last = try await post(ashby, "application.list", body: #"{"cursor":"\#(cursor)"}"#)
        #expect(ids(last) == [id(archived)])
        #expect(archived["archiveReason"]?["text"] == "Not a fit", "an object, as the reference shows it")
        let token = try #require(last.body?["syncToken"]?.stringValue)

        #expect(ids(try await post(ashby, "application.list", body: #"{"status":"Archived"}"#)) == [id(archived)])
        #expect(ids(try await post(ashby, "application.list", body: #"{"jobId":"\#(job)"}"#)) == [id(active), id(archived)])

        var nowArchived = active
        nowArchived["status"] = "Archived"
        ashby.setApplication(nowArchived)
        #expect(ids(try await post(ashby, "application.list", body: #"{"syncToken":"\#(token)"}"#)) == [id(active)])
        #expect(ashby.application(id: id(active))?["status"] == "Archived")
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
        let noID = try await post(ashby, "candidate.info", body: #"{"candidateId":"x"}"#)
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

    // MARK: Issue 19: the fake follows the reference

    @Test func everyAnswerCarriesTheVersionHeaders() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        ashby.denyPermission(endpoint: "candidate.info")
        let answers = [
            try await post(ashby, "interview.list"), try await post(ashby, "interview.list", body: #"{"limit":0}"#),
            try await post(ashby, "candidate.info", body: #"{"id":"x"}"#),
        ]
        for answer in answers {
            #expect(answer.headers["ashby-version"] == FakeAshby.defaultVersion)
            #expect(answer.headers["ashby-version-status"] == "active")
            #expect(answer.headers["x-ashby-request-id"] != nil)
        }
        ashby.setVersionStatus("deprecated")
        #expect(try await post(ashby, "interview.list").headers["ashby-version-status"] == "deprecated")
        let other = try await post(ashby, "interview.list", version: "2027-03-01")
        #expect(other.headers["ashby-version"] == "2027-03-01" && other.headers["ashby-version-status"] == "active")
    }

    @Test func theRequestContractIsEnforcedAndEveryRefusalKept() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        #expect(try await post(ashby, "interviewSchedule.list", body: #"{"applicationId":"a","limit":5}"#).body?["success"] == true)
        #expect(try await post(ashby, "application.info", body: #"{"applicationId":"a","expand":["openings"]}"#).body?["errorInfo"]?["code"] == "application_not_found")
        #expect(ashby.refusals.isEmpty)

        let noVersion = try await post(ashby, "interview.list", version: nil)
        #expect(noVersion.body?["errorInfo"]?["code"] == "invalid_input")
        let undocumented = try await post(ashby, "interview.list", body: #"{"createdAfter":1,"limit":5}"#)
        #expect(undocumented.body?["errorInfo"]?["code"] == "invalid_input")
        let infoKey = try await post(ashby, "candidate.info", body: #"{"candidateId":"c"}"#)
        #expect(infoKey.body?["errorInfo"]?["code"] == "invalid_input")
        try #require(ashby.refusals.map(\.endpoint) == ["interview.list", "interview.list", "candidate.info"])
        #expect(ashby.refusals[1].message == "interview.list does not document createdAfter")
        #expect(ashby.refusals[2].message == "candidate.info does not document candidateId")
    }

    @Test func theTableHoldsTheReferenceParameters() {
        let keys = AshbyDocumentedParameters.keys
        #expect(keys["interviewSchedule.list"] == ["createdAfter", "cursor", "syncToken", "limit", "applicationId", "interviewStageId"])
        #expect(keys["application.list"] == ["createdAfter", "cursor", "syncToken", "limit", "status", "jobId", "expand"])
        #expect(AshbyDocumentedParameters.undocumented(["limit", "includeArchived", "syncToken"], endpoint: "interviewSchedule.list") == ["includeArchived"])
        #expect(AshbyDocumentedParameters.undocumented(["id"], endpoint: "user.list") == ["id"])
    }

    @Test func aRateLimitedEndpointAnswersTheDocumented429() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        let clock = ManualClock()
        ashby.rateLimit(endpoint: "interview.list", requests: 1, per: .seconds(60), clock: clock)
        #expect(try await post(ashby, "interview.list").status == 200)
        let limited = try await post(ashby, "interview.list")
        #expect(limited.status == 429)
        #expect(limited.headers["retry-after"] == nil, "Ashby documents none")
        #expect(limited.body?["success"] == false)
        #expect(limited.body?["errors"] == ["Rate limit exceeded"])
        #expect(limited.body?["errorInfo"]?["code"] == "rate_limit_exceeded")
        #expect(try await post(ashby, "feedbackFormDefinition.list").status == 200, "per endpoint")
        clock.advance(by: .seconds(59))
        #expect(try await post(ashby, "interview.list").status == 429)
        clock.advance(by: .seconds(1))
        #expect(try await post(ashby, "interview.list").status == 200, "the window moved on")
        #expect(ashby.rateLimitedCount(endpoint: "interview.list") == 2)

        ashby.rateLimit(endpoint: "interview.list", requests: 0, retryAfter: .seconds(7))
        #expect(try await post(ashby, "interview.list").headers["retry-after"] == "7")
        ashby.rateLimit(endpoint: "interview.list", requests: nil)
        #expect(try await post(ashby, "interview.list").status == 200)
    }

    @Test(arguments: PermissionDenial.allCases)
    func aDeniedPermissionAnswersInEachShape(shape: PermissionDenial) async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        ashby.denyPermission(endpoint: "interview.list", shape: shape, status: 200)
        let answer = try await post(ashby, "interview.list")
        #expect(answer.status == 200)
        #expect(answer.text.contains("missing_endpoint_permission"))
        switch shape {
        case .errorInfo: #expect(answer.body?["errorInfo"]?["code"] == "missing_endpoint_permission")
        case .errorsString: #expect(answer.body == ["success": false, "errors": ["missing_endpoint_permission"]])
        case .errorsCode: #expect(answer.body?["errors"]?[0]?["code"] == "missing_endpoint_permission")
        case .errorsMessage: #expect(answer.body == ["success": false, "errors": [["message": "missing_endpoint_permission"]]])
        case .plainText: #expect(answer.body == nil && answer.text == "missing_endpoint_permission")
        }
        ashby.denyPermission(endpoint: "interview.list", shape: shape)
        #expect(try await post(ashby, "interview.list").status == 403)
    }

    /// The fixtures serve the shapes the reference and recorded fixtures show: optional fields absent.
    @Test func fixturesLeaveOptionalFieldsOut() {
        let event = AshbyFixtures.event(interviewId: "i", start: Date(), location: nil, meetingLink: nil)
        #expect(event["location"] == nil && event["meetingLink"] == nil)
        #expect(AshbyFixtures.interviewer(email: nil)["email"] == nil)
        let shared = AshbyFixtures.interview(instructionsPlain: nil, instructionsHtml: nil)
        #expect(shared["jobId"] == nil && shared["instructionsPlain"] == nil && shared["instructionsHtml"] == nil)
        let active = AshbyFixtures.application()
        #expect(active["archiveReason"] == nil && active["archivedAt"] == nil)
        let archived = AshbyFixtures.application(status: "Archived")
        #expect(archived["archiveReason"]?["text"] == "Not a fit")
        #expect(archived["archiveReason"]?["reasonType"] == "RejectedByOrg")
        #expect(archived["archivedAt"]?.stringValue != nil)
    }
}
