import AshbyAPI
import Foundation
import Logging
import TestSupport
import Testing

/// `AshbyClient` against the fake Ashby server: request shape, pages, lookups and every failure class.
@Suite(.timeLimit(.minutes(3))) struct AshbyClientTests {
    private let start = Date(timeIntervalSince1970: 1_729_432_800)

    @Test func sendsAshbysRequestShape() async throws {
        let ashby = try await FakeAshby.start(apiKey: "key-123")
        defer { Task { await ashby.stop() } }
        _ = try await withAshbyClient(ashby) { client in
            try client.listPage(.interviews, cursor: nil, syncToken: nil)
        }
        let request = try #require(ashby.server.requests.last)
        #expect(request.method == "POST")
        #expect(request.path == "/interview.list")
        #expect(request.header("content-type") == "application/json")
        #expect(request.header("accept") == "application/json; version=1")
        #expect(request.header("ashby-version") == AshbyAPIVersion.pinned)
        #expect(request.header("authorization") == "Basic " + Data("key-123:".utf8).base64EncodedString())
        #expect(
            try JSONValue(parsing: request.body)
                == ["limit": 100, "includeArchived": true, "includeNonSharedInterviews": true])
    }

    @Test func listBodiesPerEndpointNeverCarryNulls() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        _ = try await withAshbyClient(ashby) { client in
            for endpoint in AshbyListEndpoint.allCases {
                _ = try client.listPage(endpoint, cursor: nil, syncToken: nil, limit: 50)
            }
        }
        #expect(ashby.requestBodies(path: "feedbackFormDefinition.list") == [["limit": 50, "includeArchived": true]])
        #expect(ashby.requestBodies(path: "interviewSchedule.list") == [["limit": 50]])
        #expect(ashby.requestBodies(path: "application.list") == [["limit": 50]])
    }

    /// `application.list` items as the reference documents them: an archived one with `archivedAt` and an
    /// `archiveReason` object, the hiring team, the current stage; a malformed detail costs that detail only.
    @Test func applicationListItemsDecodeWithTheirStatusTeamAndArchiveReason() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        let candidateID = AshbyFixtures.id(), jobID = AshbyFixtures.id()
        let updated = Date(timeIntervalSince1970: 1_800_000_000)
        let archived = AshbyFixtures.application(
            candidateId: candidateID, candidateName: "Casey", jobId: jobID, jobTitle: "SRE", stageTitle: "Offer",
            hiringTeam: [AshbyFixtures.hiringTeamMember(userId: "u1", email: "Rita@Example.com", role: "Recruiter")],
            status: "Archived", updatedAt: updated)
        var oddStage = AshbyFixtures.application(status: "Hired")
        oddStage["currentInterviewStage"] = "not an object"
        ashby.setApplications([archived, oddStage])
        let page = try await withAshbyClient(ashby) { client in try client.listPage(.applications, cursor: nil, syncToken: nil) }
        let items = try page.decodeItems(AshbyApplication.self)
        #expect(items.count == 2)
        #expect(items[0] == AshbyApplication(
            id: archived["id"]!.stringValue!, candidate: AshbyCandidate(id: candidateID, name: "Casey"),
            job: AshbyJob(id: jobID, title: "SRE"), stageTitle: "Offer",
            hiringTeam: [AshbyHiringTeamMember(userId: "u1", firstName: "Rita", lastName: "Recruiter", email: "Rita@Example.com", role: "Recruiter")],
            status: "Archived", updatedAt: updated, archivedAt: updated, archiveReason: "Not a fit"))
        #expect(items[1].status == "Hired" && items[1].stageTitle == nil && items[1].archiveReason == nil)
    }

    @Test func pagesCarryRawItemsCursorAndFinalToken() async throws {
        let ashby = try await FakeAshby.start(pageSize: 2)
        defer { Task { await ashby.stop() } }
        let schedules = (0..<3).map { _ in AshbyFixtures.schedule() }
        ashby.upsertSchedules(schedules)
        let (first, second) = try await withAshbyClient(ashby) { client in
            let first = try client.listPage(.interviewSchedules, cursor: nil, syncToken: nil)
            let second = try client.listPage(.interviewSchedules, cursor: first.nextCursor, syncToken: nil)
            return (first, second)
        }
        #expect(first.moreDataAvailable && first.nextCursor != nil && first.syncToken == nil)
        #expect(first.rawItems == schedules[0..<2].map(\.jsonData))
        #expect(try JSONValue(parsing: first.rawBody)["results"] == .array(Array(schedules[0..<2])))
        #expect(!second.moreDataAvailable && second.nextCursor == nil && second.syncToken != nil)
        #expect(try second.decodeItems(AshbyInterviewSchedule.self).map(\.id) == [schedules[2]["id"]?.stringValue])
        #expect(ashby.requestBodies(path: "interviewSchedule.list").last?["cursor"] == .string(first.nextCursor!))
    }

    @Test func infoCallsDecodeTheirResults() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        let interviewID = AshbyFixtures.id()
        let candidateID = AshbyFixtures.id()
        let jobID = AshbyFixtures.id()
        ashby.upsertInterview(AshbyFixtures.interview(id: interviewID, title: "System Design", jobId: jobID))
        ashby.setCandidate(AshbyFixtures.candidate(id: candidateID, name: "Casey C."))

        let (interview, candidate) = try await withAshbyClient(ashby) { client in
            (try client.interview(id: interviewID), try client.candidate(id: candidateID))
        }
        #expect(interview.title == "System Design" && interview.jobId == jobID)
        #expect(candidate == AshbyCandidate(id: candidateID, name: "Casey C.", profileURL: "https://app.ashbyhq.com/candidates/\(candidateID)"))
        #expect(ashby.requestBodies(path: "candidate.info") == [["id": .string(candidateID)]])
    }

    @Test func unknownIdIsAnApiErrorWithRequestId() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        let error = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby) { client in try client.candidate(id: AshbyFixtures.id()) }
        }
        guard case .api(let code, _, let requestId)? = error?.kind else {
            Issue.record("expected an API error, got \(String(describing: error))")
            return
        }
        #expect(code == "candidate_not_found")
        #expect(requestId == "req-1")
        #expect(error?.description.hasPrefix("candidate.info: Ashby error candidate_not_found: ") == true)
    }

    @Test func errorEnvelopeOnHTTP200IsAnError() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        let envelope = #"{"success":false,"errors":[{"type":"invalid_input","message":"bad limit"}]}"#
        ashby.server.inject(.status(200, body: Data(envelope.utf8)), path: "/interviewSchedule.list")
        let error = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby) { client in
                try client.listPage(.interviewSchedules, cursor: nil, syncToken: nil)
            }
        }
        #expect(error?.code == "invalid_input")
        #expect(error?.description == "interviewSchedule.list: Ashby error invalid_input: bad limit")
    }

    @Test func wrongKeyAndMissingPermissionAreUnauthorized() async throws {
        let ashby = try await FakeAshby.start(apiKey: "right-key")
        defer { Task { await ashby.stop() } }
        let wrongKey = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby, apiKey: "wrong-key") { client in
                try client.listPage(.interviewSchedules, cursor: nil, syncToken: nil)
            }
        }
        guard case .unauthorized(403, "invalid_credentials")? = wrongKey?.kind else {
            Issue.record("expected 403 invalid_credentials, got \(String(describing: wrongKey))")
            return
        }

        ashby.denyPermission(endpoint: "feedbackFormDefinition.list")
        let denied = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby) { client in
                try client.listPage(.feedbackFormDefinitions, cursor: nil, syncToken: nil)
            }
        }
        #expect(denied?.code == "missing_endpoint_permission")
        #expect(
            denied?.description
                == "feedbackFormDefinition.list: the API key lacks the permission for this endpoint "
                + "(HTTP 403, missing_endpoint_permission)")
        #expect(denied?.isTemporary == false)
    }

    @Test func http401WithPlainTextBodyIsUnauthorized() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        ashby.server.inject(.status(401, body: Data("Unauthorized".utf8)), path: "/interview.info")
        let error = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby) { client in try client.interview(id: AshbyFixtures.id()) }
        }
        guard case .unauthorized(401, nil)? = error?.kind else {
            Issue.record("expected 401, got \(String(describing: error))")
            return
        }
        #expect(error?.description == "interview.info: Ashby rejected the API key (HTTP 401)")
    }

    @Test func malformedJSONPageIsMalformed() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        ashby.server.inject(.malformedJSON, path: "/interviewSchedule.list")
        let error = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby) { client in
                try client.listPage(.interviewSchedules, cursor: nil, syncToken: nil)
            }
        }
        guard case .malformed(let detail)? = error?.kind else {
            Issue.record("expected malformed, got \(String(describing: error))")
            return
        }
        #expect(detail.hasPrefix("invalid JSON"))
    }

    @Test(arguments: [
        (#"{"success":true,"results":[],"moreDataAvailable":true}"#, "moreDataAvailable without nextCursor"),
        (#"{"success":true,"moreDataAvailable":false}"#, "missing field results (array)"),
        (#"{"results":[]}"#, "missing field success"),
    ])
    func envelopeViolationsAreMalformed(body: String, detail: String) async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        ashby.server.inject(.status(200, body: Data(body.utf8)), path: "/interview.list")
        let error = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby) { client in try client.listPage(.interviews, cursor: nil, syncToken: nil) }
        }
        #expect(error?.description == "interview.list: malformed response: \(detail)")
    }

    @Test func otherStatusesAreApiErrorsWhenEnveloped() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        let envelope = #"{"success":false,"errors":["not_found"],"errorInfo":{"code":"not_found","requestId":"r-9"}}"#
        ashby.server.inject(.status(404, body: Data(envelope.utf8)), path: "/candidate.info")
        ashby.server.inject(.status(404, body: Data("<html>nope</html>".utf8)), path: "/candidate.info")
        let (enveloped, html) = try await withAshbyClient(ashby) { client in
            (Self.failure { _ = try client.candidate(id: "x") }, Self.failure { _ = try client.candidate(id: "x") })
        }
        #expect(enveloped?.description == "candidate.info: Ashby error not_found (request r-9)")
        #expect(html?.description == "candidate.info: malformed response: unexpected HTTP status 404")
    }

    /// The `AshbyError` a call throws, or nil when it succeeds.
    private static func failure(_ call: () throws -> Void) -> AshbyError? {
        do {
            try call()
            return nil
        } catch {
            return error as? AshbyError
        }
    }

    @Test func persistent503IsTemporaryTransportError() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        ashby.server.inject(.status(503, body: Data("<html>down</html>".utf8)), path: "/interview.list", times: 3)
        let error = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby, maxAttempts: 3) { client in
                try client.listPage(.interviews, cursor: nil, syncToken: nil)
            }
        }
        guard case .transport(let httpError)? = error?.kind else {
            Issue.record("expected transport, got \(String(describing: error))")
            return
        }
        #expect(httpError.kind == .status(503))
        #expect(error?.isTemporary == true)
        #expect(error?.description == "interview.list: Ashby unavailable: HTTP 503 (3 attempts)")
        #expect(ashby.requestCount(path: "interview.list") == 3)
    }

    @Test func unreachableAshbyIsTemporary() async throws {
        let ashby = try await FakeAshby.start()
        await ashby.stop()
        let error = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby, maxAttempts: 2) { client in
                try client.listPage(.interviewSchedules, cursor: nil, syncToken: nil)
            }
        }
        guard case .transport(let httpError)? = error?.kind else {
            Issue.record("expected transport, got \(String(describing: error))")
            return
        }
        #expect(httpError.kind == .connectFailed(.connect, "Couldn't connect to server"))
        #expect(error?.isTemporary == true)
        #expect(error?.isSyncTokenOrCursorExpiry == false)
    }

    @Test func apiKeyNeverAppearsInErrorsOrLogs() async throws {
        let secret = "ashby-secret-\(AshbyFixtures.id())"
        let ashby = try await FakeAshby.start(apiKey: secret)
        defer { Task { await ashby.stop() } }
        let (logger, logs) = RecordingLogHandler.logger()
        ashby.upsertSchedule(AshbyFixtures.schedule())
        ashby.server.inject(.status(429, headers: ["Retry-After": "0"]), path: "/interviewSchedule.list")
        ashby.server.inject(.status(500), path: "/interviewSchedule.list")
        ashby.server.inject(.malformedJSON, path: "/interview.list")
        // An error message that echoes the key must not carry it further.
        let echo = #"{"success":false,"errorInfo":{"code":"invalid_input","message":"bad key \#(secret)"}}"#
        ashby.server.inject(.status(200, body: Data(echo.utf8)), path: "/interview.info")

        let descriptions = try await withAshbyClient(ashby, logger: logger) { client in
            _ = try client.listPage(.interviewSchedules, cursor: nil, syncToken: nil)
            return [
                Self.failure { _ = try client.listPage(.interviews, cursor: nil, syncToken: nil) },
                Self.failure { _ = try client.interview(id: "j") },
                Self.failure { _ = try client.candidate(id: "missing") },
            ].compactMap { $0.map { "\($0)" } }
        }
        let wrongKey = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby, apiKey: secret + "x", logger: logger) { client in
                try client.listPage(.interviews, cursor: nil, syncToken: nil)
            }
        }
        let everything = descriptions + ["\(wrongKey.map { "\($0)" } ?? "")"] + logs.all.map(\.text)
        #expect(descriptions.count == 3)
        #expect(descriptions[1].contains("[redacted]"))
        #expect(logs.all.contains { $0.metadata["ashby.request_id"] == "req-1" })
        let basic = Data("\(secret):".utf8).base64EncodedString()
        for text in everything {
            #expect(!text.contains(secret))
            #expect(!text.contains(basic))
        }
    }
}
