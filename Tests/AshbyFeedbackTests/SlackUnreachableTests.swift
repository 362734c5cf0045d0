import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 18 item 3: Slack behind a certificate nobody trusts (a CA bundle gone after an upgrade, a
/// proxy re-signing traffic) is unavailable, not a reason to drop messages: nothing was sent, the run
/// exits 75 saying so, and the next run that reaches Slack sends what waited.
extension ReminderTests {
    @Test func anUntrustedCertificateLeavesTheReminderForTheNextRun() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let due = world.schedule(harness, startsIn: 30, interviewers: [ian])
        try await harness.run(now: now)                                   // stored, Slack directory pulled; not due yet
        let untrusted = try await offloaded { try UntrustedTLSServer() }
        defer { untrusted.stop() }

        let failure = await harness.failedRun(
            now: now.addingTimeInterval(20 * 60), settings: ["SLACK_API_URL": untrusted.baseURL + "/api"])
        #expect(failure?.status == .unavailable)
        #expect(failure?.description.hasPrefix("Slack is unavailable: all 1 Slack call(s) of this run") == true, "\(failure?.description ?? "")")
        #expect(failure?.description.contains("TLS certificate") == true)
        #expect(harness.slack.messages.isEmpty)
        let waiting = try #require(try reminderRow(harness, event: due.event, interviewer: ian))
        #expect(try waiting["status"].decode(String.self) == "failed")
        #expect(try waiting["failure_temporary"].decode(Bool?.self) == true, "retried while the interview has not started")

        let (_, second) = try await harness.run(now: now.addingTimeInterval(21 * 60))   // SLACK_API_URL is the fake again
        #expect(second.reminders.sent == 1)
        #expect(harness.slack.messages.map(\.channel) == [Self.ianSlack])
        let sent = try #require(try reminderRow(harness, event: due.event, interviewer: ian))
        #expect(try sent["status"].decode(String.self) == "sent")
    }
}

extension ReminderEditTests {
    /// Edits too: one that cannot reach Slack stays pending (it was dropped for good before), and a run
    /// whose only Slack call failed so says Slack is unavailable.
    @Test func anEditThatCannotReachSlackWaitsAndTheRunSaysSlackIsUnavailable() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness, startsIn: 10, interviewers: [ian])
        try await harness.run(now: now)
        world.move(to: now.addingTimeInterval(15 * 60))
        let untrusted = try await offloaded { try UntrustedTLSServer() }
        defer { untrusted.stop() }

        let failure = await harness.failedRun(now: now.addingTimeInterval(60), settings: ["SLACK_API_URL": untrusted.baseURL + "/api"])
        #expect(failure?.status == .unavailable)
        #expect(failure?.description.hasPrefix("Slack is unavailable: all 1 Slack call(s)") == true, "\(failure?.description ?? "")")
        #expect(try ledgerRow(harness, user: Self.ianSlack)["edit_state"].decode(String?.self) == "pending")

        let (_, next) = try await harness.run(now: now.addingTimeInterval(120))
        #expect(next.edits.edited == 1)
        #expect(harness.slack.updates.count == 1)
        #expect(harness.slack.messages.count == 1, "edited, never reposted")
    }
}

/// Behind a proxy that refuses the tunnel (`CONNECT` answered 407), a DM never left: libcurl reports a
/// receive error after sending the CONNECT, which once made the post "unknown" and so never sent. The
/// real binary, as cron runs it, with `https_proxy` in its environment.
@Suite(.timeLimit(.minutes(2))) struct SlackProxyTests {
    static let ianSlack = "U01IAN0001"

    @Test func aProxyThatRefusesTheTunnelLeavesTheReminderForTheNextRun() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let interview = AshbyFixtures.interview(title: "System Design")
        harness.ashby.upsertInterview(interview)
        let application = AshbyFixtures.id()
        harness.ashby.setApplication(AshbyFixtures.application(id: application, candidateName: "Casey Candidate", jobTitle: "Backend Engineer"))
        harness.slack.setUsers([SlackFixtures.human(id: Self.ianSlack, email: "ian@example.com")])
        let interviewer = AshbyFixtures.interviewer(email: "ian@example.com")
        let event = AshbyFixtures.event(
            interviewId: interview["id"]!.stringValue!, start: Date().addingTimeInterval(30 * 60), interviewers: [interviewer])
        harness.ashby.upsertSchedule(AshbyFixtures.schedule(applicationId: application, events: [event]))
        // Stored, with the Slack directory; 30 minutes ahead it is not due in the default 20-minute window.
        try await harness.run(now: Date())
        let proxy = try RefusingProxy()
        defer { proxy.stop() }

        let wideWindow = ["REMINDER_WINDOW_END_MINUTES": "40"]
        let result = try await BinaryRun.piped(["sync"], environment: wideWindow.merging([
            "DATABASE_URL": harness.database.url, "ASHBY_API_KEY": SyncHarness.apiKey, "ASHBY_API_URL": harness.ashby.baseURL,
            "SLACK_BOT_TOKEN": SyncHarness.botToken, "SLACK_API_URL": "https://slack.example/api", "https_proxy": proxy.url,
        ]) { $1 })
        #expect(result.status == 75, "\(result.stderr)")
        let plain = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("{") }
        #expect(plain.count == 1 && plain.first?.contains("Slack is unavailable") == true, "\(result.stderr)")
        #expect(plain.first?.contains("could not reach Slack (proxy)") == true, "\(result.stderr)")
        #expect(!proxy.requestLines.isEmpty && proxy.requestLines.allSatisfy { $0.hasPrefix("CONNECT slack.example:443 ") })
        let row = try harness.connect().query(
            "SELECT status, failure_temporary FROM feedback_reminders_sent WHERE event_id = $1", [event["id"]!.stringValue!]).rows[0]
        #expect(try row[0].decode(String.self) == "failed")
        #expect(try row[1].decode(Bool?.self) == true, "never left: retried while the interview has not started")

        let (_, next) = try await harness.run(now: Date(), settings: wideWindow)   // Slack reachable again
        #expect(next.reminders.sent == 1)
        #expect(harness.slack.messages.map(\.channel) == [Self.ianSlack])
    }
}
