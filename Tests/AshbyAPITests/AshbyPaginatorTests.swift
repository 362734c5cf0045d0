import AshbyAPI
import Foundation
import Logging
import TestSupport
import Testing

/// Full and incremental passes against the fake's real sync-token semantics, and recovery from every
/// pagination error Ashby documents.
@Suite(.timeLimit(.minutes(3))) struct AshbyPaginatorTests {
    /// A fake with `count` schedules and pages of 2.
    private func fakeWithSchedules(_ count: Int) async throws -> (FakeAshby, [String]) {
        let ashby = try await FakeAshby.start(pageSize: 2)
        let schedules = (0..<count).map { _ in AshbyFixtures.schedule() }
        ashby.upsertSchedules(schedules)
        return (ashby, schedules.map { $0["id"]!.stringValue! })
    }

    private func paginate(
        _ ashby: FakeAshby, syncToken: String?, continuingAt cursor: String? = nil,
        logger: Logger = Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }, maxRestarts: Int = 3, fetchAhead: Bool = false,
        afterPage: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws -> CollectedPass {
        try await withAshbyClient(ashby, logger: logger) { client in
            try AshbyPaginator(
                client: client, logger: logger, fetchAheadClient: fetchAhead ? client.sibling() : nil, maxRestarts: maxRestarts
            ).collect(.interviewSchedules, syncToken: syncToken, continuingAt: cursor, afterPage: afterPage)
        }
    }

    private func sentTokens(_ ashby: FakeAshby) -> [String?] {
        ashby.requestBodies(path: "interviewSchedule.list").map { $0["syncToken"]?.stringValue }
    }

    private func sentCursors(_ ashby: FakeAshby) -> [Bool] {
        ashby.requestBodies(path: "interviewSchedule.list").map { $0["cursor"] != nil }
    }

    @Test func fullPassCollectsEveryItemAcrossPages() async throws {
        let (ashby, ids) = try await fakeWithSchedules(5)
        defer { Task { await ashby.stop() } }
        let pass = try await paginate(ashby, syncToken: nil)
        #expect(try pass.itemIDs() == ids)
        #expect(pass.result.pages == 3 && pass.result.items == 5)
        #expect(pass.result.wasFullPass && pass.result.restarts.isEmpty)
        #expect(pass.result.syncToken != nil)
        #expect(pass.result.syncToken == pass.pages.last?.syncToken)
        #expect(pass.pages.dropLast().allSatisfy { $0.syncToken == nil })
        #expect(sentCursors(ashby) == [false, true, true])
        #expect(sentTokens(ashby) == [nil, nil, nil])
    }

    @Test func incrementalPassReturnsOnlyChangesSinceTheToken() async throws {
        let (ashby, ids) = try await fakeWithSchedules(5)
        defer { Task { await ashby.stop() } }
        let first = try await paginate(ashby, syncToken: nil)
        let token = try #require(first.result.syncToken)

        ashby.modifySchedule(id: ids[3]) { $0["status"] = "Cancelled" }
        let added = AshbyFixtures.schedule()
        ashby.upsertSchedule(added)
        ashby.modifySchedule(id: ids[1]) { $0["status"] = "Complete" }

        let second = try await paginate(ashby, syncToken: token)
        #expect(try second.itemIDs() == [ids[1], ids[3], added["id"]!.stringValue!])
        #expect(!second.result.wasFullPass && second.result.restarts.isEmpty)
        #expect(second.result.pages == 2)
        let newToken = try #require(second.result.syncToken)
        #expect(newToken != token)
        #expect(sentTokens(ashby).suffix(2) == [token, nil], "the token goes with the first page only")

        let third = try await paginate(ashby, syncToken: newToken)
        #expect(third.result.items == 0 && third.result.pages == 1 && !third.result.wasFullPass)
        #expect(third.result.syncToken != nil)
    }

    @Test(arguments: ["sync_token_expired", "sync_token_invalid", "incremental_sync_too_large"])
    func tokenErrorsFallBackToAFullPass(code: String) async throws {
        let (ashby, ids) = try await fakeWithSchedules(5)
        defer { Task { await ashby.stop() } }
        let (logger, logs) = RecordingLogHandler.logger()
        let token = try #require(try await paginate(ashby, syncToken: nil).result.syncToken)
        ashby.modifySchedule(id: ids[0]) { $0["status"] = "Complete" }
        ashby.expireSyncTokens(code: code)

        let recovered = try await paginate(ashby, syncToken: token, logger: logger)
        #expect(recovered.result.restarts == [code])
        #expect(recovered.result.wasFullPass)
        #expect(try recovered.itemIDs() == ids)
        #expect(sentTokens(ashby).suffix(4) == [token, nil, nil, nil])
        let warning = try #require(logs.all.first { $0.level == .warning })
        #expect(warning.metadata["ashby.error_code"] == code)
        #expect(warning.metadata["ashby.restart_mode"] == "full")

        // The token from the full pass works again.
        let newToken = try #require(recovered.result.syncToken)
        let next = try await paginate(ashby, syncToken: newToken)
        #expect(next.result.restarts.isEmpty && next.result.items == 0)
    }

    @Test func tooManyIncrementalPagesFallsBackToAFullPass() async throws {
        let (ashby, ids) = try await fakeWithSchedules(6)
        defer { Task { await ashby.stop() } }
        ashby.maxIncrementalPages = 1
        let token = try #require(try await paginate(ashby, syncToken: nil).result.syncToken)
        for id in ids.prefix(3) { ashby.modifySchedule(id: id) { $0["status"] = "Complete" } }

        let pass = try await paginate(ashby, syncToken: token)
        #expect(pass.result.restarts == ["incremental_sync_too_large"])
        #expect(pass.result.wasFullPass && pass.result.items == 6)
    }

    /// Issue 19 item 6: Ashby's guide and its public connectors send the token with the first request
    /// of an incremental pass and the cursor alone after it (the fake refuses the two together).
    @Test(arguments: [false, true])
    func anIncrementalPassSendsItsTokenWithItsFirstPageOnly(fetchAhead: Bool) async throws {
        let (ashby, ids) = try await fakeWithSchedules(6)
        defer { Task { await ashby.stop() } }
        let token = try #require(try await paginate(ashby, syncToken: nil).result.syncToken)
        for id in ids { ashby.modifySchedule(id: id) { $0["status"] = "Complete" } }
        let before = ashby.requestCount(path: "interviewSchedule.list")

        let pass = try await paginate(ashby, syncToken: token, fetchAhead: fetchAhead)
        #expect(pass.result.pages == 3 && pass.result.items == 6 && !pass.result.wasFullPass)
        #expect(pass.result.restarts.isEmpty)
        #expect(Array(sentTokens(ashby).dropFirst(before)) == [token, nil, nil])
        #expect(Array(sentCursors(ashby).dropFirst(before)) == [false, true, true])
        #expect(pass.pages.allSatisfy { $0.passSyncToken == token }, "each page knows the token its pass started from")
    }

    /// The token went with page 1 only: its expiry afterwards does not disturb the pass.
    @Test func tokenExpiringMidPassDoesNotDisturbThePass() async throws {
        let (ashby, ids) = try await fakeWithSchedules(5)
        defer { Task { await ashby.stop() } }
        let token = try #require(try await paginate(ashby, syncToken: nil).result.syncToken)
        for id in ids.prefix(3) { ashby.modifySchedule(id: id) { $0["status"] = "Complete" } }

        let pass = try await paginate(ashby, syncToken: token) { page in
            if page == 1 { ashby.expireSyncTokens(code: "sync_token_expired") }
        }
        #expect(pass.result.restarts.isEmpty)
        #expect(!pass.result.wasFullPass)
        #expect(try pass.itemIDs() == Array(ids.prefix(3)))
        #expect(pass.result.syncToken != nil)
    }

    /// A pass an earlier run began continues at its saved cursor, without its token, in its own mode.
    @Test(arguments: [false, true])
    func aPassContinuesFromASavedCursor(fetchAhead: Bool) async throws {
        let (ashby, ids) = try await fakeWithSchedules(6)
        defer { Task { await ashby.stop() } }
        let token = try #require(try await paginate(ashby, syncToken: nil).result.syncToken)
        for id in ids { ashby.modifySchedule(id: id) { $0["status"] = "Complete" } }
        let firstPage = try await withAshbyClient(ashby) { client in
            try client.listPage(.interviewSchedules, cursor: nil, syncToken: token).nextCursor
        }
        let cursor = try #require(firstPage)
        let before = ashby.requestCount(path: "interviewSchedule.list")

        let pass = try await paginate(ashby, syncToken: token, continuingAt: cursor, fetchAhead: fetchAhead)
        #expect(try pass.itemIDs() == Array(ids.dropFirst(2)))
        #expect(pass.result.pages == 2 && !pass.result.wasFullPass && pass.result.syncToken != nil)
        let bodies = ashby.requestBodies(path: "interviewSchedule.list").dropFirst(before)
        #expect(bodies.first?["cursor"]?.stringValue == cursor)
        #expect(bodies.allSatisfy { $0["syncToken"] == nil })
        #expect(pass.pages.allSatisfy { $0.passSyncToken == token })
    }

    /// A saved cursor Ashby no longer accepts: the pass starts over from its token (or full).
    @Test(arguments: ["next_cursor_expired", "invalid_next_cursor"])
    func aRefusedSavedCursorRestartsThePassFromItsToken(code: String) async throws {
        let (ashby, ids) = try await fakeWithSchedules(6)
        defer { Task { await ashby.stop() } }
        let token = try #require(try await paginate(ashby, syncToken: nil).result.syncToken)
        for id in ids.prefix(4) { ashby.modifySchedule(id: id) { $0["status"] = "Complete" } }
        let firstPage = try await withAshbyClient(ashby) { client in
            try client.listPage(.interviewSchedules, cursor: nil, syncToken: token).nextCursor
        }
        let cursor = try #require(firstPage)
        ashby.expireCursors(code: code)
        let before = ashby.requestCount(path: "interviewSchedule.list")

        let pass = try await paginate(ashby, syncToken: token, continuingAt: cursor)
        #expect(pass.result.restarts == [code] && !pass.result.wasFullPass)
        #expect(try pass.itemIDs() == Array(ids.prefix(4)))
        #expect(Array(sentTokens(ashby).dropFirst(before)) == [nil, token, nil])
        #expect(Array(sentCursors(ashby).dropFirst(before)) == [true, false, true])

        let full = try await paginate(ashby, syncToken: nil, continuingAt: cursor)
        #expect(full.result.restarts == [code] && full.result.wasFullPass && full.result.items == 6)
    }

    @Test(arguments: ["next_cursor_expired", "invalid_next_cursor"])
    func cursorErrorsRestartFromPageOneInTheSameMode(code: String) async throws {
        let (ashby, ids) = try await fakeWithSchedules(5)
        defer { Task { await ashby.stop() } }
        let full = try await paginate(ashby, syncToken: nil) { page in
            if page == 1 { ashby.expireCursors(code: code) }
        }
        #expect(full.result.restarts == [code])
        #expect(full.result.wasFullPass)
        #expect(try full.itemIDs() == Array(ids.prefix(2)) + ids)
        #expect(sentCursors(ashby) == [false, true, false, true, true])

        let token = try #require(full.result.syncToken)
        for id in ids.prefix(4) { ashby.modifySchedule(id: id) { $0["status"] = "Complete" } }
        let before = ashby.requestCount(path: "interviewSchedule.list")
        let incremental = try await paginate(ashby, syncToken: token) { page in
            if page == 1 { ashby.expireCursors(code: code) }
        }
        #expect(incremental.result.restarts == [code])
        #expect(!incremental.result.wasFullPass)
        #expect(try incremental.itemIDs() == Array(ids.prefix(2)) + Array(ids.prefix(4)))
        #expect(sentTokens(ashby).dropFirst(before) == [token, nil, token, nil])
    }

    @Test func restartsAreBounded() async throws {
        let (ashby, _) = try await fakeWithSchedules(1)
        defer { Task { await ashby.stop() } }
        let expired = #"{"success":false,"errors":["sync_token_expired"],"errorInfo":{"code":"sync_token_expired"}}"#
        ashby.server.inject(.status(200, body: Data(expired.utf8)), path: "/interviewSchedule.list", times: 3)
        let survived = try await paginate(ashby, syncToken: nil, maxRestarts: 3)
        #expect(survived.result.restarts == Array(repeating: "sync_token_expired", count: 3))
        #expect(survived.result.items == 1)

        ashby.server.inject(.status(200, body: Data(expired.utf8)), path: "/interviewSchedule.list", times: 4)
        let before = ashby.requestCount(path: "interviewSchedule.list")
        let error = await #expect(throws: AshbyError.self) {
            try await paginate(ashby, syncToken: nil, maxRestarts: 3)
        }
        #expect(error?.code == "sync_token_expired")
        #expect(ashby.requestCount(path: "interviewSchedule.list") - before == 4)
    }

    @Test func rateLimitWithRetryAfterIsWaitedOut() async throws {
        let (ashby, ids) = try await fakeWithSchedules(3)
        defer { Task { await ashby.stop() } }
        ashby.server.inject(.status(429, headers: ["Retry-After": "1"]), path: "/interviewSchedule.list")
        let started = ContinuousClock.now
        let (pass, requests) = try await withAshbyClient(ashby) { client in
            let pass = try AshbyPaginator(client: client, logger: Logger(label: "t"))
                .collect(.interviewSchedules, syncToken: nil)
            return (pass, client.requestCount)
        }
        #expect(started.duration(to: .now) >= .milliseconds(950))
        #expect(try pass.itemIDs() == ids)
        #expect(pass.result.restarts.isEmpty)
        #expect(requests == 3)
        #expect(ashby.requestCount(path: "interviewSchedule.list") == 3)
    }

    @Test func serverErrorIsRetriedMidPass() async throws {
        let (ashby, ids) = try await fakeWithSchedules(3)
        defer { Task { await ashby.stop() } }
        let pass = try await paginate(ashby, syncToken: nil) { page in
            if page == 1 { ashby.server.inject(.status(500), path: "/interviewSchedule.list") }
        }
        #expect(try pass.itemIDs() == ids)
        #expect(pass.result.restarts.isEmpty && pass.result.pages == 2)
        #expect(sentCursors(ashby) == [false, true, true])
    }

    @Test func malformedPageFailsTheRunWithoutRestart() async throws {
        let (ashby, _) = try await fakeWithSchedules(3)
        defer { Task { await ashby.stop() } }
        let error = await #expect(throws: AshbyError.self) {
            try await paginate(ashby, syncToken: nil) { page in
                if page == 1 { ashby.server.inject(.malformedJSON, path: "/interviewSchedule.list") }
            }
        }
        guard case .malformed? = error?.kind else {
            Issue.record("expected malformed, got \(String(describing: error))")
            return
        }
        #expect(ashby.requestCount(path: "interviewSchedule.list") == 2)
    }

    @Test func cursorThatDoesNotAdvanceIsMalformed() async throws {
        let (ashby, _) = try await fakeWithSchedules(0)
        defer { Task { await ashby.stop() } }
        let stuck = #"{"success":true,"results":[],"moreDataAvailable":true,"nextCursor":"c1"}"#
        ashby.server.inject(.status(200, body: Data(stuck.utf8)), path: "/interviewSchedule.list", times: 2)
        let error = await #expect(throws: AshbyError.self) { try await paginate(ashby, syncToken: nil) }
        #expect(
            error?.description == "interviewSchedule.list: malformed response: nextCursor did not advance (2 pages)")
    }

    @Test func onPageErrorsEndTheRunUntouched() async throws {
        struct CommitFailed: Error {}
        let (ashby, _) = try await fakeWithSchedules(5)
        defer { Task { await ashby.stop() } }
        await #expect(throws: CommitFailed.self) {
            try await withAshbyClient(ashby) { client in
                var pages = 0
                _ = try AshbyPaginator(client: client, logger: Logger(label: "t")).run(
                    .interviewSchedules, syncToken: nil
                ) {
                    _ in
                    pages += 1
                    if pages == 2 { throw CommitFailed() }
                }
            }
        }
        #expect(ashby.requestCount(path: "interviewSchedule.list") == 2)
    }
}
