import CurlHTTP
import Foundation
import Logging
import SlackAPI
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(1)))
struct SlackClientTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)
    /// A reminder-shaped message built from the wire types (what it says lives in AshbyFeedback/Messages).
    static let message = SlackMessage(
        channel: "U01ADA0001", text: "Interview reminder: System design with Jane Doe at 2023-11-14 22:13 UTC",
        blocksJSON: try! JSONEncoder().encode([
            Block.header("Interview reminder"), .section("*System design* with *Jane Doe*"),
            .section("*When:* " + SlackMarkdown.dateToken(start) + " (60 min)"),
            .section("*Feedback:* " + SlackMarkdown.link("https://ashby.test/f/1", label: "Open the feedback form")!),
        ]))

    /// A fake workspace with the typical first-page mix (Ada is `U01ADA0001`).
    static func workspace() async throws -> FakeSlack {
        let slack = try await FakeSlack.start()
        slack.setUsers(SlackFixtures.typicalDirectory())
        return slack
    }

    // MARK: users.list

    @Test func usersListPagesThroughEveryMember() async throws {
        let slack = try await FakeSlack.start()
        slack.setUsers(SlackFixtures.typicalDirectory() + SlackFixtures.people(count: 7))
        let harness = SlackHarness(slack)
        let (pages, calls) = try await harness.run { client in
            var pages: [SlackUsersPage] = []
            var cursor: String?
            repeat {
                let page = try client.usersPage(cursor: cursor, limit: 5)
                pages.append(page)
                cursor = page.nextCursor
            } while cursor != nil
            return (pages, client.requestCount)
        }
        #expect(pages.map(\.members.count) == [5, 5, 2])
        #expect(pages.last?.nextCursor == nil)
        #expect(calls == 3)
        let members = pages.flatMap(\.members)
        #expect(Set(members.map(\.id)).count == 12)
        let byID = Dictionary(uniqueKeysWithValues: members.map { ($0.id, $0) })
        #expect(byID["U01ADA0001"]?.email == "ada@example.com")
        #expect(byID["U01ADA0001"]?.realName == "Ada Lovelace")
        #expect(byID["USLACKBOT"]?.isSlackbot == true)
        #expect(byID["USLACKBOT"]?.isBot == false)
        #expect(byID["U01BOT0001"]?.isBot == true)
        #expect(byID["U01GONE001"]?.deleted == true)
        #expect(byID["U01GUEST01"]?.isRestricted == true)

        let requests = slack.server.requests
        #expect(requests.allSatisfy { $0.method == "GET" && $0.path == FakeSlack.usersListPath })
        #expect(requests.allSatisfy { $0.header("authorization") == "Bearer xoxb-test-token" })
        #expect(requests.map { $0.query["limit"] } == ["5", "5", "5"])
        #expect(requests[0].query["cursor"] == nil)
        #expect(requests[1].query["cursor"] == pages[0].nextCursor)
        await slack.stop()
    }

    @Test(arguments: [
        #"{"ok":true,"members":[],"response_metadata":{"next_cursor":""}}"#,
        #"{"ok":true,"members":[],"response_metadata":{"next_cursor":null}}"#,
        #"{"ok":true,"members":[],"response_metadata":{}}"#,
        #"{"ok":true,"members":[]}"#,
    ])
    func emptyNullOrMissingCursorEndsPaging(body: String) async throws {
        let slack = try await Self.workspace()
        slack.server.inject(.status(200, body: Data(body.utf8)), path: FakeSlack.usersListPath)
        let page = try await SlackHarness(slack).run { try $0.usersPage(cursor: nil) }
        #expect(page.nextCursor == nil)
        #expect(page.members.isEmpty)
        await slack.stop()
    }

    @Test func usersListRetriesOutagesAndDroppedConnections() async throws {
        let slack = try await Self.workspace()
        slack.server.inject(SlackFixtures.outage(), path: FakeSlack.usersListPath)
        slack.server.inject(.closeMidBody, path: FakeSlack.usersListPath)
        let page = try await SlackHarness(slack).run { try $0.usersPage(cursor: nil) }
        #expect(page.members.count == 5)
        #expect(slack.server.requests.count == 3)
        await slack.stop()
    }

    @Test func usersListOutageThatOutlastsRetriesReportsTheStatus() async throws {
        let slack = try await Self.workspace()
        slack.server.inject(SlackFixtures.outage(), path: FakeSlack.usersListPath, times: 3)
        let error = try #require(try await SlackHarness(slack).usersError())
        #expect(error.code == "http_503")
        #expect(error.cause == .httpStatus)
        #expect(error.httpStatus == 503)
        #expect(!error.mayHaveBeenDelivered)
        #expect(slack.server.requests.count == 3)
        await slack.stop()
    }

    @Test func usersListMalformedBodyIsAMalformedAnswer() async throws {
        let slack = try await Self.workspace()
        slack.server.inject(.malformedJSON, path: FakeSlack.usersListPath)
        let error = try #require(try await SlackHarness(slack).usersError())
        #expect(error.code == "malformed_response")
        #expect(error.cause == .malformedAnswer)
        #expect(!error.mayHaveBeenDelivered)
        await slack.stop()
    }

    @Test func usersListMissingScopeCarriesTheScopes() async throws {
        let slack = try await Self.workspace()
        slack.server.inject(
            SlackFixtures.apiError("missing_scope", extra: ["needed": "users:read", "provided": "chat:write"]),
            path: FakeSlack.usersListPath)
        let error = try #require(try await SlackHarness(slack).usersError())
        #expect(error.cause == .slackError)
        #expect(error.needed == "users:read")
        #expect(error.provided == "chat:write")
        #expect(error.description == "users.list: missing_scope (needs users:read, token has chat:write)")
        await slack.stop()
    }

    @Test func nonSlackErrorPageIsReportedAsAStatusWithoutSlacksAnswer() async throws {
        let slack = try await Self.workspace()
        slack.server.inject(.status(404, headers: ["Content-Type": "text/html"], body: Data("<h1>Not Found</h1>".utf8)),
                            path: FakeSlack.usersListPath)
        let error = try #require(try await SlackHarness(slack).usersError())
        #expect(error.code == "http_404")
        #expect(error.cause == .httpStatus)
        #expect(error.httpStatus == 404)
        #expect(error.description == "users.list: http_404 (HTTP 404 without a Slack API response (18 bytes))")
        await slack.stop()
    }

    // MARK: chat.postMessage

    @Test func postMessageReturnsTheDMChannelAndTheTimestampAsAString() async throws {
        let slack = try await Self.workspace()
        let posted = try await SlackHarness(slack).run { try $0.postMessage(Self.message) }
        #expect(posted.channel == "DU01ADA0001")
        #expect(posted.ts == "1700000001.000100")   // trailing zeros intact

        let sent = slack.messages(to: "U01ADA0001")
        try #require(sent.count == 1)
        #expect(sent[0].ts == posted.ts)
        #expect(sent[0].text == Self.message.text)
        let sentBlocks = try #require(sent[0].blocks())
        let builtBlocks = try #require(try JSONSerialization.jsonObject(with: Self.message.blocksJSON) as? [[String: Any]])
        #expect(sentBlocks.map { $0["type"] as? String } == builtBlocks.map { $0["type"] as? String })
        #expect(NSArray(array: sentBlocks).isEqual(to: builtBlocks))
        await slack.stop()
    }

    @Test func postMessageSendsJSONWithCharsetAndNoPreviews() async throws {
        let slack = try await Self.workspace()
        let harness = SlackHarness(slack)
        _ = try await harness.run { try $0.postMessage(Self.message) }
        let sent = try #require(slack.messages.first)
        #expect(sent.contentType == "application/json; charset=utf-8")
        let body = try #require(sent.json())
        #expect(body["unfurl_links"] as? Bool == false)
        #expect(body["unfurl_media"] as? Bool == false)
        #expect(body["parse"] as? String == "none")
        #expect(body["channel"] as? String == "U01ADA0001")
        #expect(body["token"] == nil)
        let request = try #require(slack.server.requests.first)
        #expect(request.method == "POST")
        #expect(request.header("authorization") == "Bearer xoxb-test-token")
        #expect(!harness.logs.all.contains { $0.metadata["slack.warnings"] != nil })   // no missing_charset warning
        await slack.stop()
    }

    @Test func numericTimestampIsAMalformedAnswerThatMayHaveBeenPosted() async throws {
        let slack = try await Self.workspace()
        slack.server.inject(
            .status(200, body: Data(#"{"ok":true,"channel":"D1","ts":1700000000.000200}"#.utf8)),
            path: FakeSlack.postMessagePath)
        let error = try #require(try await SlackHarness(slack).postError(Self.message))
        #expect(error.code == "malformed_response")
        #expect(error.cause == .malformedAnswer)
        #expect(error.mayHaveBeenDelivered)
        await slack.stop()
    }

    @Test func channelNotFoundIsSlacksDefiniteAnswer() async throws {
        let slack = try await Self.workspace()
        slack.failPosts(to: "U01ADA0001", error: "channel_not_found")
        let error = try #require(try await SlackHarness(slack).postError(Self.message))
        #expect(error.code == "channel_not_found")
        #expect(error.method == "chat.postMessage")
        #expect(error.cause == .slackError)
        #expect(error.httpStatus == 200)
        #expect(!error.mayHaveBeenDelivered)
        #expect(slack.messages.isEmpty)
        await slack.stop()
    }

    @Test func rateLimitIsRetriedAfterRetryAfterThenSucceeds() async throws {
        let slack = try await Self.workspace()
        slack.server.inject(SlackFixtures.rateLimited(retryAfter: 7), path: FakeSlack.postMessagePath)
        let harness = SlackHarness(slack)
        let (posted, calls) = try await harness.run { client in
            (try client.postMessage(Self.message), client.requestCount)
        }
        #expect(harness.clock.sleeps == [.seconds(7)])
        #expect(posted.channel == "DU01ADA0001")
        #expect(calls == 1)
        #expect(slack.server.requests.count == 2)
        #expect(slack.messages.count == 1)
        await slack.stop()
    }

    @Test func rateLimitThatOutlastsRetriesKeepsSlacksCode() async throws {
        let slack = try await Self.workspace()
        slack.server.inject(SlackFixtures.rateLimited(retryAfter: 0), path: FakeSlack.postMessagePath, times: 3)
        let error = try #require(try await SlackHarness(slack).postError(Self.message))
        #expect(error.code == "ratelimited")
        #expect(error.cause == .slackError)
        #expect(error.httpStatus == 429)
        #expect(!error.mayHaveBeenDelivered)
        #expect(slack.messages.isEmpty)
        await slack.stop()
    }

    /// The facts only: that `fatal_error` / `internal_error` on a post means "outcome unknown" is
    /// `SlackCallOutcome`'s decision (SlackCallOutcomeTests).
    @Test(arguments: ["internal_error", "fatal_error", "service_unavailable", "ratelimited"])
    func serverSideSlackErrorsAreReportedWithSlacksCodeAndNotRetried(code: String) async throws {
        let slack = try await Self.workspace()
        slack.server.inject(SlackFixtures.apiError(code), path: FakeSlack.postMessagePath)
        let error = try #require(try await SlackHarness(slack).postError(Self.message))
        #expect(error.code == code)
        #expect(error.cause == .slackError)
        #expect(error.httpStatus == 200)
        #expect(slack.server.requests.count == 1)
        await slack.stop()
    }

    @Test func wrongTokenIsInvalidAuth() async throws {
        let slack = try await Self.workspace()
        let harness = SlackHarness(slack, botToken: "xoxb-wrong-token")
        let postError = try #require(try await harness.postError(Self.message))
        let usersError = try #require(try await harness.usersError())
        for error in [postError, usersError] {
            #expect(error.code == "invalid_auth")
            #expect(error.cause == .slackError)
        }
        await slack.stop()
    }

    @Test func missingScopeOnPostCarriesNeededAndProvided() async throws {
        let slack = try await Self.workspace()
        slack.server.inject(
            SlackFixtures.apiError("missing_scope", extra: ["needed": "chat:write", "provided": "users:read"]),
            path: FakeSlack.postMessagePath)
        let error = try #require(try await SlackHarness(slack).postError(Self.message))
        #expect(error.cause == .slackError)
        #expect(error.needed == "chat:write")
        #expect(error.provided == "users:read")
        #expect(error.description == "chat.postMessage: missing_scope (needs chat:write, token has users:read)")
        await slack.stop()
    }

    @Test func timeoutAfterSendingMayHaveBeenDeliveredAndIsNotRetried() async throws {
        let slack = try await Self.workspace()
        slack.server.inject(.delay(.seconds(4)), path: FakeSlack.postMessagePath)
        let error = try #require(try await SlackHarness(slack).postError(Self.message))
        #expect(error.code == "timeout")
        #expect(error.cause == .transport(isTemporary: true))
        #expect(error.mayHaveBeenDelivered)
        #expect(error.description.contains("outcome unknown"))
        #expect(error.description.contains("after 1 attempt"))
        // The server logs a request once it has read it, which under load may come after the client gave up.
        #expect(slack.server.requests.count <= 1)
        await slack.stop()
    }

    @Test(arguments: [Fault.status(503, headers: ["Content-Type": "text/html"], body: Data("<html>".utf8)), .closeMidBody, .malformedJSON])
    func postFailuresAfterSendingMayHaveBeenDeliveredAndAreNotRetried(fault: Fault) async throws {
        let slack = try await Self.workspace()
        slack.server.inject(fault, path: FakeSlack.postMessagePath)
        let error = try #require(try await SlackHarness(slack).postError(Self.message))
        #expect(error.mayHaveBeenDelivered)
        #expect(slack.server.requests.count == 1)
        await slack.stop()
    }

    @Test(arguments: [(503, "service_unavailable"), (501, "fatal_error")])
    func serverErrorStatusesKeepSlacksCodeAndMayHaveBeenDelivered(status: Int, code: String) async throws {
        let slack = try await Self.workspace()
        let body = Data(#"{"ok":false,"error":"\#(code)"}"#.utf8)
        slack.server.inject(.status(status, body: body), path: FakeSlack.postMessagePath)
        let error = try #require(try await SlackHarness(slack).postError(Self.message))
        #expect(error.code == code)
        #expect(error.cause == .slackError)
        #expect(error.httpStatus == status)
        #expect(error.mayHaveBeenDelivered)
        #expect(slack.server.requests.count == 1)
        await slack.stop()
    }

    @Test func unretriedServerErrorOnUsersListIsAStatusNeverDelivered() async throws {
        let slack = try await Self.workspace()
        slack.server.inject(.status(501, body: Data("<html>".utf8)), path: FakeSlack.usersListPath)
        let error = try #require(try await SlackHarness(slack).usersError())
        #expect(error.code == "http_501")
        #expect(error.cause == .httpStatus)
        #expect(!error.mayHaveBeenDelivered)
        await slack.stop()
    }

    @Test func connectFailureIsTemporaryAndNeverDelivered() async throws {
        let server = try await LoopbackServer.start { _ in FakeResponse(status: 200) }
        let deadURL = server.baseURL + "/api"
        await server.stop()
        let error = try #require(try await SlackHarness(baseURL: deadURL, botToken: "xoxb-x").postError(Self.message))
        #expect(error.code == "connect_failed")
        #expect(error.cause == .transport(isTemporary: true))
        #expect(!error.mayHaveBeenDelivered)
    }

    /// SLACK_API_URL behind a certificate nobody trusts: the post never left, a later run may send it.
    @Test func anUntrustedCertificateIsATemporaryConnectFailureNeverDelivered() async throws {
        let server = try await offloaded { try UntrustedTLSServer() }
        defer { server.stop() }
        let error = try #require(try await SlackHarness(baseURL: server.baseURL + "/api", botToken: "xoxb-x").postError(Self.message))
        #expect(error.code == "connect_failed")
        #expect(error.cause == .transport(isTemporary: true))
        #expect(!error.mayHaveBeenDelivered)
        #expect(error.description.contains("could not reach Slack (TLS certificate)"), "\(error)")
    }

    /// `calls` keeps each call's method and how it ended, for the job to judge the run by.
    @Test func everyCallIsRecordedWithHowItEnded() async throws {
        let slack = try await Self.workspace()
        slack.server.inject(SlackFixtures.apiError("channel_not_found"), path: FakeSlack.postMessagePath)
        let calls = try await SlackHarness(slack).run { client -> [SlackCall] in
            _ = try? client.usersPage(cursor: nil)
            _ = try? client.postMessage(Self.message)
            return client.calls
        }
        #expect(calls.map(\.method) == ["users.list", "chat.postMessage"])
        #expect(calls[0].failure == nil)
        #expect(calls[1].failure?.code == "channel_not_found")
        await slack.stop()
    }

    @Test func invalidBlocksDetailsAreInTheDescription() async throws {
        let slack = try await Self.workspace()
        slack.server.inject(SlackFixtures.invalidBlocks(), path: FakeSlack.postMessagePath)
        let error = try #require(try await SlackHarness(slack).postError(Self.message))
        #expect(error.code == "invalid_blocks")
        #expect(error.cause == .slackError)
        #expect(error.description.contains("must be less than 3001 characters [json-pointer:/blocks/0/text/text]"))
        #expect(!error.description.contains("\n"))
        await slack.stop()
    }

    @Test func unknownErrorCodeIsReportedAndLogged() async throws {
        let slack = try await Self.workspace()
        slack.server.inject(SlackFixtures.apiError("brand_new_error"), path: FakeSlack.postMessagePath)
        let harness = SlackHarness(slack)
        let error = try #require(try await harness.postError(Self.message))
        #expect(error.code == "brand_new_error")
        #expect(error.cause == .slackError)
        #expect(harness.logs.all.contains { $0.message == "slack_call_failed" && $0.metadata["slack.error"] == "brand_new_error" })
        await slack.stop()
    }

    @Test func warningsAreLoggedAtDebug() async throws {
        let slack = try await Self.workspace()
        slack.server.inject(
            .status(200, body: Data(#"{"ok":true,"channel":"D1","ts":"1.000100","warning":"missing_charset","response_metadata":{"warnings":["missing_charset"]}}"#.utf8)),
            path: FakeSlack.postMessagePath)
        let harness = SlackHarness(slack)
        let posted = try await harness.run { try $0.postMessage(Self.message) }
        #expect(posted.ts == "1.000100")
        let entry = try #require(harness.logs.all.first { $0.metadata["slack.warnings"] != nil })
        #expect(entry.level == .debug)
        #expect(entry.metadata["slack.warnings"] == "missing_charset")
        await slack.stop()
    }

    @Test func blocksThatAreNotAJSONArrayAreRejectedBeforeSending() async throws {
        let slack = try await Self.workspace()
        let bad = SlackMessage(channel: "U01ADA0001", text: "hi", blocksJSON: Data(#"{"type":"section"}"#.utf8))
        let error = try #require(try await SlackHarness(slack).postError(bad))
        #expect(error.code == "invalid_blocks_format")
        #expect(error.cause == .notSent)
        #expect(slack.server.requests.isEmpty)
        await slack.stop()
    }

    /// A token read from a file with its newline: refused before sending, naming the header, not the token.
    @Test func tokenWithANewlineIsRefusedBeforeSending() async throws {
        let slack = try await Self.workspace()
        let error = try #require(try await SlackHarness(slack, botToken: "xoxb-test-token\n").postError(Self.message))
        #expect(error.code == "invalid_header_value")
        #expect(error.cause == .notSent)
        #expect(!error.mayHaveBeenDelivered)
        #expect(error.description.contains("Authorization"))
        #expect(!error.description.contains("xoxb"))
        #expect(slack.server.requests.isEmpty)
        await slack.stop()
    }

    @Test func botTokenNeverAppearsInErrorsOrLogs() async throws {
        let token = "xoxb-secret-1234"
        // A hostile server that echoes the Authorization header into every field it can.
        let server = try await LoopbackServer.start { request in
            let echoed = request.header("authorization") ?? ""
            return .json([
                "ok": false, "error": "invalid_auth \(echoed)", "needed": echoed, "provided": echoed,
                "warning": echoed, "errors": [echoed], "response_metadata": ["messages": [echoed]],
            ])
        }
        let harness = SlackHarness(baseURL: server.baseURL, botToken: token)
        let postError = try #require(try await harness.postError(Self.message))
        let usersError = try #require(try await harness.usersError())
        server.inject(.delay(.seconds(4)), path: "/chat.postMessage")
        let timeoutError = try #require(try await harness.postError(Self.message))
        server.inject(.status(503, body: Data("token=\(token)".utf8)), path: "/users.list", times: 3)
        let outageError = try #require(try await harness.usersError())

        for error in [postError, usersError, timeoutError, outageError] {
            #expect(!error.description.contains(token))
            #expect(!error.description.contains("secret-1234"))
            #expect(!(error.needed ?? "").contains(token))
        }
        #expect(postError.description.contains("[redacted]"))
        #expect(!harness.logs.all.isEmpty)
        #expect(!harness.allLogText.contains("secret-1234"))
        await server.stop()
    }
}
