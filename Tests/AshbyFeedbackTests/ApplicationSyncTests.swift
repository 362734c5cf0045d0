import Foundation
import Postgres
import Testing
import TestSupport
@testable import AshbyFeedback

/// Issue 20 item 1 and issue 19 item 3: applications are synced (`application.list`, incrementally),
/// not looked up. Reminders, edits, nudges and digests read candidate and job names, the status and the
/// hiring team from the database, so a send path makes no Ashby call; a key without `candidatesRead`
/// costs names and nudges, not the run; a scorecard whose application's status is unknown is not
/// chased. Real PostgreSQL, FakeAshby (which counts requests by path) and FakeSlack; time is fixed.
@Suite(.timeLimit(.minutes(4)))
struct ApplicationSyncTests {
    /// Tuesday 2027-01-12 14:00 UTC (and in London).
    static let tuesday = Date(timeIntervalSince1970: 1_799_762_400)
    static let hour: TimeInterval = 3600, day: TimeInterval = 86_400
    static let ianSlack = "U01IAN0001", adaSlack = "U01ADA0001", ritaSlack = "U01RITA001"
    static let lists: Set = ["/interviewSchedule.list", "/applicationFeedback.list", "/application.list"]
    let ian = AshbyFixtures.interviewer(email: "ian@example.com", firstName: "Ian", lastName: "Interviewer")
    let ada = AshbyFixtures.interviewer(email: "ada@example.com", firstName: "Ada", lastName: "Lovelace")
    let noReminders = SyncRequest(kind: .sync, sendReminders: false)

    /// An interview definition, the Slack directory (everyone in London) and a way to add interviews.
    struct World {
        let harness: SyncHarness
        let interviewID: String

        init(_ harness: SyncHarness) {
            self.harness = harness
            let form = AshbyFixtures.form(title: "System Design Scorecard")
            harness.ashby.upsertForm(form)
            let interview = AshbyFixtures.interview(title: "System Design", feedbackFormDefinitionId: form["id"]!.stringValue!)
            harness.ashby.upsertInterview(interview)
            interviewID = interview["id"]!.stringValue!
            harness.slack.setUsers([
                SlackFixtures.human(id: ApplicationSyncTests.ianSlack, email: "ian@example.com", tz: "Europe/London"),
                SlackFixtures.human(id: ApplicationSyncTests.adaSlack, email: "ada@example.com", tz: "Europe/London"),
                SlackFixtures.human(id: ApplicationSyncTests.ritaSlack, email: "rita@example.com", tz: "Europe/London"),
            ])
        }

        /// An application in Ashby (nil `status`: Ashby has none the key can see) with one hour-long
        /// interview starting at `start`; returns the ids.
        @discardableResult
        func interview(
            startingAt start: Date, interviewers: [JSONValue], candidate: String = "Casey Candidate",
            job: String = "Backend Engineer", status: String? = "Active", scheduleStatus: String = "Scheduled"
        ) -> (event: String, application: String, candidate: String) {
            let application = AshbyFixtures.id(), candidateID = AshbyFixtures.id()
            if let status {
                harness.ashby.setApplication(AshbyFixtures.application(
                    id: application, candidateId: candidateID, candidateName: candidate, jobTitle: job,
                    hiringTeam: [AshbyFixtures.hiringTeamMember(email: "rita@example.com", role: "Recruiter")], status: status))
            }
            let event = AshbyFixtures.event(interviewId: interviewID, start: start, interviewers: interviewers)
            harness.ashby.upsertSchedule(AshbyFixtures.schedule(status: scheduleStatus, applicationId: application, events: [event]))
            return (event["id"]!.stringValue!, application, candidateID)
        }
    }

    static func nudges(_ harness: SyncHarness, to user: String) -> [FakeSlack.Message] {
        NudgeTests.nudges(harness, to: user)
    }

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    /// The log lines (JSON) of one event.
    static func lines(_ harness: SyncHarness, event: String) -> [String] {
        harness.logs.split(separator: "\n").map(String.init).filter { $0.contains(#""event":"\#(event)""#) }
    }

    // MARK: A send path makes no Ashby call

    /// A run whose lists bring nothing new still sends the due reminder (with the candidate, job and
    /// profile link), the nudge and the digest (with names), and Ashby sees the three lists pulled every
    /// run and nothing else: no `.info` call, before, between or after the posts.
    @Test func aRunWithNothingNewSendsRemindersNudgesAndADigestWithNamesAndOnlyPullsTheLists() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let upcoming = world.interview(startingAt: Self.tuesday.addingTimeInterval(600), interviewers: [ian], candidate: "Ulla Upcoming")
        world.interview(
            startingAt: Self.tuesday.addingTimeInterval(-31 * Self.hour), interviewers: [ian], candidate: "Otto Overdue",
            job: "Data Analyst", scheduleStatus: "WaitingOnFeedback")

        // The data, a minute before: no Slack at all.
        try await harness.run(noReminders, now: Self.tuesday.addingTimeInterval(-60))
        #expect(harness.slack.messages.isEmpty)
        #expect(try harness.count("applications") == 2)
        #expect(try harness.count("candidate_profiles", where: "profile_url IS NOT NULL") == 1, "the upcoming candidate's link, during the pull")
        #expect(harness.ashby.requestCount(path: "candidate.info") == 1)

        let before = harness.ashby.server.requests.count
        let (outcome, summary) = try await harness.run(now: Self.tuesday)
        #expect(outcome == .succeeded)
        let paths = harness.ashby.server.requests.dropFirst(before).map(\.path)
        #expect(paths.sorted() == Self.lists.sorted(), "the lists pulled every run, once each, and nothing else")
        #expect(summary.ashbyRequests == 3)

        let reminder = try #require(harness.slack.messages(to: Self.ianSlack).first { ($0.text ?? "").hasPrefix("Interview reminder") })
        #expect(reminder.text?.contains("with Ulla Upcoming (Backend Engineer)") == true)
        #expect(Self.text(reminder.body).contains("https://app.ashbyhq.com/candidates/\(upcoming.candidate)|Ashby profile"))
        let nudge = try #require(Self.nudges(harness, to: Self.ianSlack).first)
        #expect(Self.text(nudge.body).contains("Otto Overdue"))
        #expect(Self.text(nudge.body).contains("Data Analyst"))
        let digest = try #require(harness.slack.messages(to: Self.ritaSlack).first)
        #expect(digest.text?.hasPrefix("Overdue interview feedback") == true)
        #expect(Self.text(digest.body).contains("Otto Overdue"))
        #expect(summary.reminders.sent == 1 && summary.nudges.sent == 1 && summary.digests.sent == 1)
    }

    /// A reminder sent while its application was not synced shows no names; once the applications
    /// pass knows them, the DM is edited to show them (names a DM showed are kept, names it lacked are
    /// filled in), still without an Ashby call.
    @Test func aReminderSentWithoutNamesGainsThemByAnEditOnceTheApplicationIsSynced() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let entry = world.interview(startingAt: Self.tuesday.addingTimeInterval(600), interviewers: [ian], status: nil)
        try await harness.run(now: Self.tuesday)
        let first = try #require(harness.slack.messages(to: Self.ianSlack).first)
        #expect(first.text?.hasPrefix("Interview reminder: System Design at ") == true)
        #expect(first.text?.contains(" with ") == false, "no candidate name")

        harness.ashby.setApplication(AshbyFixtures.application(
            id: entry.application, candidateId: entry.candidate, candidateName: "Late Larry", jobTitle: "Backend Engineer"))
        let before = harness.ashby.server.requests.count
        try await harness.run(now: Self.tuesday.addingTimeInterval(120))
        let edit = try #require(harness.slack.updates(to: Self.ianSlack).last)
        #expect(edit.text?.contains("with Late Larry (Backend Engineer)") == true)
        #expect(Set(harness.ashby.server.requests.dropFirst(before).map(\.path)).isSubset(of: Self.lists.union(["/candidate.info"])))
        #expect(harness.slack.messages(to: Self.ianSlack).count == 1, "an edit, no second DM")
    }

    // MARK: The permission missing

    /// A key without `candidatesRead`: the run exits 0 with one warning for `application.list`, DMs go
    /// out without names, nobody is nudged (one line says why, per run), and `status` names the permission.
    @Test func withoutCandidatesReadDMsGoOutWithoutNamesAndNobodyIsNudged() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        for endpoint in ["application.list", "applicationFeedback.list", "candidate.info"] {
            harness.ashby.denyPermission(endpoint: endpoint)
        }
        let world = World(harness)
        world.interview(startingAt: Self.tuesday.addingTimeInterval(600), interviewers: [ian], candidate: "Hidden Hannah")
        world.interview(startingAt: Self.tuesday.addingTimeInterval(-3 * Self.hour), interviewers: [ian, ada], candidate: "Hidden Henry")
        world.interview(startingAt: Self.tuesday.addingTimeInterval(-4 * Self.hour), interviewers: [ada], candidate: "Hidden Hugo")

        let (outcome, summary) = try await harness.run(now: Self.tuesday)
        #expect(outcome == .succeeded, "exit 0")
        #expect(summary.reminders.sent == 1)
        let reminder = try #require(harness.slack.messages(to: Self.ianSlack).first)
        #expect(!Self.text(reminder.body).contains("Hidden"), "no names")
        #expect(Self.nudges(harness, to: Self.ianSlack).isEmpty && Self.nudges(harness, to: Self.adaSlack).isEmpty, "no nudge without a status")
        #expect(summary.nudges.sent == 0)

        let warnings = Self.lines(harness, event: "resource_unavailable").filter { $0.contains("application.list") }
        #expect(warnings.count == 1, "one warning per run")
        #expect(warnings.first?.contains("candidatesRead") == true)
        let skipped = Self.lines(harness, event: "nudge_skipped")
        #expect(skipped.count == 1, "one line per run, not one per application or scorecard")
        #expect(skipped.first?.contains("application status unknown") == true)
        #expect(skipped.first?.contains(#""applications":2"#) == true)
        #expect(Self.lines(harness, event: "candidate_profiles_stopped").isEmpty, "no candidate is known: none is asked about")
        #expect(harness.ashby.requestCount(path: "candidate.info") == 0)

        let report = try StatusReport.read(try harness.connect(), runLimit: 5, maxAgeMinutes: 60, now: Self.tuesday)
        let applications = try #require(report.resources.first { $0.resource == Resource.applications })
        #expect(applications.unavailableReason?.contains("application.list needs the candidatesRead permission") == true)
        #expect(report.healthy)

        // Granted: the next run pulls the applications and the nudges go out, with names.
        for endpoint in ["application.list", "applicationFeedback.list", "candidate.info"] {
            harness.ashby.grantPermission(endpoint: endpoint)
        }
        try await harness.run(now: Self.tuesday.addingTimeInterval(300))
        #expect(Self.nudges(harness, to: Self.ianSlack).count == 1)
        let adaNudge = try #require(Self.nudges(harness, to: Self.adaSlack).first)
        #expect(Self.text(adaNudge.body).contains("Hidden Hugo"))
        let cleared = try StatusReport.read(try harness.connect(), runLimit: 5, maxAgeMinutes: 60, now: Self.tuesday)
        #expect(cleared.resources.first { $0.resource == Resource.applications }?.unavailableReason == nil)
    }

    // MARK: Status rules for nudges

    /// Issue 19 item 3: a scorecard whose application has no row (not synced: the status is unknown)
    /// is not nudged, and that is logged once per run per application, whatever the number of its
    /// scorecards; once the application is synced, and not archived, the nudge goes out.
    @Test func aScorecardWhoseApplicationStatusIsUnknownIsNotNudged() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let entry = world.interview(startingAt: Self.tuesday.addingTimeInterval(-3 * Self.hour), interviewers: [ian, ada], status: nil)
        try await harness.run(now: Self.tuesday)
        #expect(Self.nudges(harness, to: Self.ianSlack).isEmpty && Self.nudges(harness, to: Self.adaSlack).isEmpty)
        let skipped = Self.lines(harness, event: "nudge_skipped")
        #expect(skipped.count == 1, "once for the application, not per scorecard")
        #expect(skipped.first?.contains(entry.application) == true)
        #expect(skipped.first?.contains("application status unknown") == true)

        harness.ashby.setApplication(AshbyFixtures.application(id: entry.application, candidateId: entry.candidate, candidateName: "Known Kim"))
        try await harness.run(now: Self.tuesday.addingTimeInterval(Self.hour))
        #expect(Self.nudges(harness, to: Self.ianSlack).count == 1)
        #expect(Self.nudges(harness, to: Self.adaSlack).count == 1)
        #expect(Self.text(Self.nudges(harness, to: Self.ianSlack)[0].body).contains("Known Kim"))
    }

    /// An application archived in Ashby reaches the table by the next incremental pass (its token sent,
    /// only the change returned) and stops the nudges; a hired candidate's scorecards are still chased.
    @Test func anIncrementalPassPicksUpAnArchivedApplicationAndItsNudgesStop() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let archived = world.interview(startingAt: Self.tuesday.addingTimeInterval(-3 * Self.hour), interviewers: [ian], candidate: "Rejected Rob")
        world.interview(startingAt: Self.tuesday.addingTimeInterval(-3 * Self.hour), interviewers: [ada], candidate: "Hired Hana", status: "Hired")
        try await harness.run(now: Self.tuesday)
        #expect(Self.nudges(harness, to: Self.ianSlack).count == 1, "active: nudged")
        #expect(Self.nudges(harness, to: Self.adaSlack).count == 1, "hired: nudged, the scorecard belongs in the record")

        let archivedAt = Self.tuesday.addingTimeInterval(Self.hour)
        harness.ashby.setApplication(AshbyFixtures.application(
            id: archived.application, candidateId: archived.candidate, candidateName: "Rejected Rob", status: "Archived", updatedAt: archivedAt))
        let wednesdayMorning = Self.tuesday.addingTimeInterval(Self.day - 4.5 * Self.hour)  // 09:30
        let (_, summary) = try await harness.run(now: wednesdayMorning)
        #expect(harness.ashby.requestBodies(path: "application.list").last?["syncToken"] != nil, "incremental")
        #expect(summary.resources[Resource.applications]?.fetched == 1, "only the changed application")
        #expect(summary.resources[Resource.applications]?.updated == 1)
        let row = try #require(try harness.connect().query(
            "SELECT status, archived_at, archive_reason, ashby_updated_at FROM applications WHERE application_id = $1",
            [archived.application]).rows.first)
        #expect(try row["status"].decode(String.self) == "Archived")
        #expect(try row["archived_at"].decode(Date?.self) == archivedAt)
        #expect(try row["archive_reason"].decode(String?.self) == "Not a fit")
        #expect(try row["ashby_updated_at"].decode(Date?.self) == archivedAt)

        #expect(Self.nudges(harness, to: Self.ianSlack).count == 1, "archived: no second nudge")
        #expect(Self.nudges(harness, to: Self.adaSlack).count == 2, "hired: the next working day's nudge")
        let skipped = Self.lines(harness, event: "nudge_skipped")
        #expect(skipped.count == 1 && skipped[0].contains(archived.application) && skipped[0].contains("archived"))
    }

    // MARK: The pass

    /// Every page of `application.list` is stored and audited in its own transaction; a run with no change
    /// writes no row; the table holds what messages need (names, status, stage, hiring team).
    @Test func applicationsAreStoredAuditedAndNotRewrittenWhenUnchanged() async throws {
        let harness = try await SyncHarness.start(pageSize: 2)
        defer { Task { await harness.stop() } }
        let applications = (0..<5).map { index in
            AshbyFixtures.application(
                candidateName: "Candidate \(index)", jobTitle: "Job \(index)", stageTitle: "Onsite",
                hiringTeam: [AshbyFixtures.hiringTeamMember(userId: "7f0c8e1e-0000-4000-8000-00000000000\(index)", email: "Rita@Example.com", role: "Recruiter")],
                status: AshbyFixtures.applicationStatuses[index % 4])
        }
        harness.ashby.setApplications(applications)
        let (_, first) = try await harness.run(noReminders, now: Self.tuesday)
        #expect(first.resources[Resource.applications]?.inserted == 5)
        #expect(try harness.count("ashby_webhook_payloads", where: "action = 'application.list'") == 3, "one audit row per page")
        let row = try #require(try harness.connect().query(
            "SELECT candidate_name, job_title, status, stage_title, hiring_team::text FROM applications WHERE application_id = $1",
            [applications[1]["id"]!.stringValue!]).rows.first)
        #expect(try row["candidate_name"].decode(String?.self) == "Candidate 1")
        #expect(try row["job_title"].decode(String?.self) == "Job 1")
        #expect(try row["status"].decode(String?.self) == "Archived")
        #expect(try row["stage_title"].decode(String?.self) == "Onsite")
        let team = try JSONDecoder().decode([HiringTeamMember].self, from: Data(try row["hiring_team"].decode(String.self).utf8))
        #expect(team == [HiringTeamMember(userID: "7f0c8e1e-0000-4000-8000-000000000001", email: "rita@example.com", name: "Rita Recruiter", role: "Recruiter")])

        let versions = try harness.connect().query("SELECT application_id::text, xmin::text FROM applications ORDER BY 1").rows
            .map { "\(try $0[0].decode(String.self))@\(try $0[1].decode(String.self))" }
        harness.ashby.expireSyncTokens()  // a full pass over unchanged applications
        let (_, second) = try await harness.run(noReminders, now: Self.tuesday.addingTimeInterval(300))
        #expect(second.resources[Resource.applications]?.fetched == 5)
        #expect(second.resources[Resource.applications]?.unchanged == 5)
        let after = try harness.connect().query("SELECT application_id::text, xmin::text FROM applications ORDER BY 1").rows
            .map { "\(try $0[0].decode(String.self))@\(try $0[1].decode(String.self))" }
        #expect(after == versions, "no row rewritten")
    }

    @Test(arguments: ["sync_token_expired", "sync_token_invalid", "incremental_sync_too_large"])
    func everyExpiryCodeFallsBackToAFullPass(code: String) async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        harness.ashby.setApplication(AshbyFixtures.application())
        try await harness.run(noReminders, now: Self.tuesday)
        let firstToken = try harness.syncToken(Resource.applications)
        #expect(firstToken != nil)
        harness.ashby.expireSyncTokens(code: code)
        harness.ashby.setApplication(AshbyFixtures.application())
        let (outcome, summary) = try await harness.run(noReminders, now: Self.tuesday.addingTimeInterval(300))
        #expect(outcome == .succeeded)
        #expect(summary.resources[Resource.applications]?.fetched == 2, "a full pass after \(code)")
        #expect(try harness.syncToken(Resource.applications) != firstToken)
        #expect(try harness.count("applications") == 2)
    }

    /// An application with an id that is not a UUID is set aside; the rest of its page is written.
    @Test func aBadApplicationIsSetAsideAndTheRestOfItsPageIsWritten() async throws {
        let harness = try await SyncHarness.start(pageSize: 3)
        defer { Task { await harness.stop() } }
        var bad = AshbyFixtures.application()
        bad["candidate"] = ["id": "not-a-uuid", "name": "Bad Bea"]
        harness.ashby.setApplications([AshbyFixtures.application(), bad, AshbyFixtures.application()])
        let (outcome, summary) = try await harness.run(noReminders, now: Self.tuesday)
        #expect(outcome == .succeeded)
        #expect(summary.quarantined == 1)
        #expect(try harness.count("applications") == 2)
        #expect(try harness.count("quarantined_records", where: "resource = 'applications'") == 1)
    }

    // MARK: Profile links, off the send path

    /// Profile links are fetched during the pull for candidates with an interview within the horizon,
    /// soonest first and at most `perRun` a run; a candidate Ashby cannot find is stored as having
    /// none and not asked again; a failure stops the step for the run without failing it.
    @Test func profileLinksAreFetchedDuringThePullBoundedSoonestFirstAndOnce() async throws {
        let harness = try await SyncHarness.start(pageSize: 100)
        defer { Task { await harness.stop() } }
        let world = World(harness)
        let perRun = CandidateProfilePull.perRun
        let entries = (0..<(perRun + 3)).map { index in
            world.interview(startingAt: Self.tuesday.addingTimeInterval(Double(perRun + 3 - index) * Self.hour), interviewers: [ian])
        }
        world.interview(startingAt: Self.tuesday.addingTimeInterval(CandidateProfilePull.horizon + Self.hour), interviewers: [ian])
        world.interview(startingAt: Self.tuesday.addingTimeInterval(-Self.hour), interviewers: [ian])
        let soonestFirst = entries.reversed().map(\.candidate)
        // The first candidate.info answers "not found".
        let notFound = #"{"success":false,"errors":["candidate_not_found"],"errorInfo":{"code":"candidate_not_found","message":"No candidate"}}"#
        harness.ashby.server.inject(.status(200, body: Data(notFound.utf8)), path: "/candidate.info")

        let (outcome, _) = try await harness.run(noReminders, now: Self.tuesday)
        #expect(outcome == .succeeded)
        #expect(harness.ashby.requestCount(path: "candidate.info") == perRun)
        let stored = Set(try harness.connect().query("SELECT candidate_id::text FROM candidate_profiles").rows.map { try $0[0].decode(String.self) })
        #expect(stored == Set(soonestFirst.prefix(perRun)), "the soonest interviews first")
        #expect(try harness.count("candidate_profiles", where: "profile_url IS NULL") == 1, "not found: stored as none")

        // Ashby fails: the step stops for the run, the run goes on, nothing is lost.
        harness.ashby.server.inject(.status(503), path: "/candidate.info", times: 5)  // every attempt of one call
        let (stopped, _) = try await harness.run(noReminders, now: Self.tuesday.addingTimeInterval(300))
        #expect(stopped == .succeeded)
        #expect(Self.lines(harness, event: "candidate_profiles_stopped").count == 1)
        #expect(try harness.count("candidate_profiles") == perRun)

        try await harness.run(noReminders, now: Self.tuesday.addingTimeInterval(600))
        #expect(try harness.count("candidate_profiles") == perRun + 3, "the rest; none beyond the horizon or past")
        let asked = harness.ashby.requestCount(path: "candidate.info")
        try await harness.run(noReminders, now: Self.tuesday.addingTimeInterval(900))
        #expect(harness.ashby.requestCount(path: "candidate.info") == asked, "never asked again")
    }
}
