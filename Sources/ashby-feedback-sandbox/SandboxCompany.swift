import Foundation
import TestSupport

/// The small company the sandbox plays: three jobs, eight applications, six interview schedules booked
/// around `now`, and a Slack workspace with the awkward cases a real one has.
///
/// Every id is fixed except the interview events', which are new each time the sandbox starts: a second
/// demo run looks like the same company re-booking its interviews, so the next sync replaces the old
/// events (nothing stale lingers to come due later) and the new ones get their reminders.
///
/// The cases the demo shows: interviews inside the default reminder window (now+4 to now+20 minutes),
/// later and in the past; a cancelled schedule inside the window; an interviewer whose Slack email
/// differs in case, one whose Slack account is deactivated and one without Slack; a bot and Slackbot
/// in the directory; and a candidate whose name contains Slack mrkdwn (`Zoë <!channel> & Co`).
/// After the interviews: two that ended an hour ago without Ada's scorecard (one grouped nudge) and a
/// panel where Katherine submitted and Grace did not (only Grace is nudged). Days ago: interviews whose
/// scorecards are overdue (more than 24 h) on applications whose hiring team names Rita Recruiter, so
/// she gets the daily digest, and scorecards handed in 3 h, 20 h and 30 h after their interviews, so
/// `ashby-feedback report` has turnaround to show. Every Slack member is placed in a time zone where
/// `now` falls inside the default working hours (`NudgeZone`), after the default `DIGEST_TIME`.
struct SandboxCompany {
    struct Job {
        var id: String
        var title: String
    }

    struct Interview {
        var id: String
        var title: String
        /// nil for an interview shared by all jobs.
        var job: Job?
        var minutes: Int
        var instructions: String
        var formID: String
        var isArchived = false
    }

    /// How an interviewer appears in Slack, which decides whether they can get a reminder.
    enum SlackAccount {
        /// `email` as Slack has it, possibly in another case than Ashby's.
        case active(id: String, email: String)
        case deactivated(id: String)
        case noAccount
    }

    struct Interviewer {
        var id: String
        var firstName: String
        var lastName: String
        var email: String
        var slack: SlackAccount

        var name: String { "\(firstName) \(lastName)" }
    }

    struct Application {
        var id: String
        var candidateID: String
        var candidateName: String
        var job: Job
        /// Rita Recruiter is on its hiring team (as `Recruiter`): she gets the digest of its overdue feedback.
        var hasRecruiter = false
    }

    struct Event {
        var id: String
        var interview: Interview
        /// Minutes from `now` (rounded down to the minute) to the start.
        var offsetMinutes: Int
        var interviewers: [Interviewer]
        var location: String
        var meetingLink: String?
        var hasSubmittedFeedback = false
        /// Interviewers whose scorecard is in (`applicationFeedback.list`).
        var submittedBy: [Interviewer] = []
        /// When those scorecards came in, in hours after the interview ended (nil: at `now`).
        var submittedHoursAfterEnd: Double?
    }

    struct Schedule {
        var id: String
        var status: String
        var application: Application
        var events: [Event]

        /// Its events take place (the product's `ScheduleRules`): not `Cancelled`, not `OnHold`.
        var takesPlace: Bool { status != "Cancelled" && status != "OnHold" }
    }

    /// The default reminder window (SPEC §2), used to say which DMs the next sync should send.
    static let defaultWindowMinutes = 4...20

    let now: Date
    /// `now` rounded down to the minute: interviews start on whole minutes.
    let base: Date
    let jobs: [Job]
    let interviews: [Interview]
    let applications: [Application]
    let schedules: [Schedule]
    let slackUsers: [FakeSlack.User]
    /// The time zone of every Slack member, chosen so that the nudges are inside working hours now.
    let zone: NudgeZone

    init(now: Date) {
        zone = NudgeZone(now: now)
        self.now = now
        base = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 60).rounded(.down) * 60)

        let backend = Job(id: Self.fixedID(.job, 1), title: "Backend Engineer")
        let designer = Job(id: Self.fixedID(.job, 2), title: "Product Designer")
        let analyst = Job(id: Self.fixedID(.job, 3), title: "Data Analyst")
        jobs = [backend, designer, analyst]

        func interview(_ number: Int, _ title: String, job: Job?, minutes: Int, _ instructions: String) -> Interview {
            Interview(
                id: Self.fixedID(.interview, number), title: title, job: job, minutes: minutes,
                instructions: instructions, formID: Self.fixedID(.form, number))
        }
        let technical = interview(
            1, "Technical Interview", job: nil, minutes: 60,
            "Pair on a small refactoring exercise in the candidate's language. Leave 10 minutes for their questions."
        )
        let design = interview(
            2, "System Design", job: backend, minutes: 60,
            "Design a rate-limited webhook receiver. Probe failure modes: retries, idempotency, back-pressure.")
        let portfolio = interview(
            3, "Portfolio Review", job: designer, minutes: 45,
            "The candidate presents two projects (20 min each). Ask about trade-offs & what they would change.")
        let sql = interview(
            4, "SQL Exercise", job: analyst, minutes: 45,
            "Shared notebook with the *orders* dataset: https://notebooks.acme.example/sql-exercise")
        let managerChat = interview(
            5, "Hiring Manager Chat", job: nil, minutes: 30,
            "Motivation, team fit and expectations. Salary questions go to the recruiter.")
        var phoneScreen = interview(
            6, "Phone Screen (retired)", job: nil, minutes: 20, "Replaced by the Technical Interview in 2024.")
        phoneScreen.isArchived = true
        interviews = [technical, design, portfolio, sql, managerChat, phoneScreen]

        func person(_ number: Int, _ first: String, _ last: String, slack: SlackAccount?) -> Interviewer {
            let email = "\(first).\(last)@acme.example".lowercased()
            let account = slack ?? .active(id: String(format: "U0SANDB%03d", number), email: email)
            return Interviewer(
                id: Self.fixedID(.user, number), firstName: first, lastName: last, email: email, slack: account)
        }
        let ada = person(1, "Ada", "Lovelace", slack: nil)
        let grace = person(2, "Grace", "Hopper", slack: .active(id: "U0SANDB002", email: "Grace.Hopper@ACME.example"))
        let alan = person(3, "Alan", "Turing", slack: nil)
        let katherine = person(4, "Katherine", "Johnson", slack: nil)
        let edsger = person(5, "Edsger", "Dijkstra", slack: nil)
        let margaret = person(6, "Margaret", "Hamilton", slack: .deactivated(id: "U0SANDB006"))
        let barbara = person(7, "Barbara", "Liskov", slack: .noAccount)
        let interviewers = [ada, grace, alan, katherine, edsger, margaret, barbara]

        let candidates: [(name: String, job: Job)] = [
            ("Priya Raman", backend), ("Zoë <!channel> & Co", designer), ("Marcus Chen", analyst),
            ("Sofia Álvarez", backend), ("Tomás Silva", designer), ("Hannah Okafor", analyst),
            ("Jonas Becker", backend), ("Amara Nwosu", designer),
            ("Lena Fischer", analyst), ("Omar Haddad", backend), ("Yuki Tanaka", designer),
        ]
        let applications = candidates.enumerated().map { index, candidate in
            Application(
                id: Self.fixedID(.application, index + 1), candidateID: Self.fixedID(.candidate, index + 1),
                candidateName: candidate.name, job: candidate.job, hasRecruiter: index >= 8)
        }
        self.applications = applications

        func event(
            _ interview: Interview, in minutes: Int, _ people: [Interviewer], onsite: Bool = false
        ) -> Event {
            let id = AshbyFixtures.id()
            return Event(
                id: id, interview: interview, offsetMinutes: minutes, interviewers: people,
                location: onsite ? "Berlin office, room Hopper" : "Zoom",
                meetingLink: onsite ? nil : "https://zoom.us/j/\(Int.random(in: 1_000_000_000...9_999_999_999))")
        }
        func schedule(_ number: Int, status: String = "Scheduled", _ events: [Event]) -> Schedule {
            Schedule(
                id: Self.fixedID(.schedule, number), status: status, application: applications[number - 1],
                events: events)
        }
        func submitted(_ event: Event, by people: [Interviewer], hoursAfterEnd: Double) -> Event {
            var event = event
            event.submittedBy = people
            event.submittedHoursAfterEnd = hoursAfterEnd
            return event
        }
        var pastChat = event(managerChat, in: -120, [grace, katherine], onsite: true)
        pastChat.hasSubmittedFeedback = true
        pastChat.submittedBy = [katherine]
        schedules = [
            schedule(1, [event(technical, in: 10, [ada, grace]), event(design, in: 75, [alan, edsger])]),
            schedule(2, [event(portfolio, in: 15, [katherine, barbara])]),
            schedule(3, [event(sql, in: 7, [edsger, margaret])]),
            schedule(4, status: "Cancelled", [event(technical, in: 12, [ada, alan])]),
            // A loop whose first interview is over reads WaitingOnFeedback; its next one is still ahead.
            schedule(5, status: "WaitingOnFeedback", [pastChat, event(portfolio, in: 180, [ada, barbara], onsite: true)]),
            schedule(
                6,
                [event(managerChat, in: 35, [alan, katherine, ada]), event(technical, in: 24 * 60, [edsger, grace])]),
            // Ended about an hour ago, no scorecard from Ada yet: one nudge listing both.
            schedule(7, [event(technical, in: -125, [ada])]),
            schedule(8, [event(portfolio, in: -110, [ada])]),
            // Days ago (Rita Recruiter's applications): overdue without Alan's and Edsger's scorecards (her
            // digest lists both), and scorecards that came in 3 h, 20 h and 30 h after the interview (the report).
            schedule(9, [event(design, in: -30 * 60, [alan])]),
            schedule(10, [submitted(event(sql, in: -50 * 60, [edsger, katherine]), by: [katherine], hoursAfterEnd: 20)]),
            schedule(11, [
                submitted(event(portfolio, in: -72 * 60, [grace]), by: [grace], hoursAfterEnd: 30),
                submitted(event(managerChat, in: -70 * 60, [katherine]), by: [katherine], hoursAfterEnd: 3),
            ]),
        ]

        var users: [FakeSlack.User] = []
        for interviewer in interviewers {
            switch interviewer.slack {
            case .active(let id, let email):
                users.append(SlackFixtures.human(id: id, email: email, realName: interviewer.name, tz: zone.identifier))
            case .deactivated(let id):
                var user = SlackFixtures.human(id: id, email: interviewer.email, realName: interviewer.name, tz: zone.identifier)
                user.deleted = true
                users.append(user)
            case .noAccount:
                break
            }
        }
        users.append(
            SlackFixtures.human(
                id: "U0SANDB010", email: "rita.recruiter@acme.example", realName: "Rita Recruiter", tz: zone.identifier))
        users.append(SlackFixtures.bot(id: "U0SANDBBOT", name: "interview_reminders"))
        users.append(SlackFixtures.slackbot())
        slackUsers = users
    }

    /// Puts the company into the fakes.
    func seed(ashby: FakeAshby, slack: FakeSlack) {
        for interview in interviews {
            ashby.upsertForm(
                AshbyFixtures.form(
                    id: interview.formID, title: "\(interview.title) Scorecard",
                    isArchived: interview.isArchived))
            ashby.upsertInterview(
                AshbyFixtures.interview(
                    id: interview.id, title: interview.title, jobId: interview.job?.id,
                    feedbackFormDefinitionId: interview.formID, isArchived: interview.isArchived,
                    instructionsPlain: interview.instructions, instructionsHtml: "<p>\(interview.instructions)</p>"))
        }
        for application in applications {
            ashby.setCandidate(AshbyFixtures.candidate(id: application.candidateID, name: application.candidateName))
            ashby.setApplication(
                AshbyFixtures.application(
                    id: application.id, candidateId: application.candidateID, candidateName: application.candidateName,
                    jobId: application.job.id, jobTitle: application.job.title, stageTitle: "Onsite",
                    hiringTeam: application.hasRecruiter
                        ? [AshbyFixtures.hiringTeamMember(
                            userId: Self.fixedID(.user, 10), email: "rita.recruiter@acme.example", firstName: "Rita",
                            lastName: "Recruiter", role: "Recruiter")]
                        : []))
        }
        ashby.upsertSchedules(
            schedules.map { schedule in
                AshbyFixtures.schedule(
                    id: schedule.id, status: schedule.status, applicationId: schedule.application.id,
                    interviewStageId: Self.fixedID(
                        .stage, jobs.firstIndex { $0.id == schedule.application.job.id }! + 1),
                    candidateId: schedule.application.candidateID,
                    events: schedule.events.map { event in
                        let start = start(of: event)
                        return AshbyFixtures.event(
                            id: event.id, interviewId: event.interview.id, start: start,
                            end: start.addingTimeInterval(TimeInterval(event.interview.minutes * 60)),
                            interviewers: event.interviewers.map { person in
                                AshbyFixtures.interviewer(
                                    id: person.id, email: person.email, firstName: person.firstName,
                                    lastName: person.lastName)
                            },
                            location: event.location, meetingLink: event.meetingLink,
                            hasSubmittedFeedback: event.hasSubmittedFeedback, updatedAt: now)
                    },
                    updatedAt: now)
            })
        for schedule in schedules {
            for event in schedule.events {
                for person in event.submittedBy {
                    ashby.upsertFeedback(
                        AshbyFixtures.feedback(
                            applicationId: schedule.application.id, eventId: event.id, interviewId: event.interview.id,
                            submittedBy: AshbyFixtures.interviewer(
                                id: person.id, email: person.email, firstName: person.firstName, lastName: person.lastName),
                            formDefinitionId: event.interview.formID,
                            submittedAt: event.submittedHoursAfterEnd.map { end(of: event).addingTimeInterval($0 * 3600) } ?? now))
                }
            }
        }
        slack.setUsers(slackUsers)
    }

    /// What the demo changes between its two syncs: the first interview due for reminders moves 5
    /// minutes later (its DMs are edited to show the new time) and the SQL Exercise's schedule is
    /// cancelled (its DM is edited to say so, without the feedback link). Returns what it did, ending
    /// with "sandbox changed: expect N edited DMs …".
    func changeSchedules(ashby: FakeAshby) -> [String] {
        let moved = schedules[0], cancelled = schedules[2]
        let movedEvent = moved.events[0]
        ashby.modifySchedule(id: moved.id) { schedule in
            var events = schedule["interviewEvents"]?.arrayValue ?? []
            for index in events.indices where events[index]["id"]?.stringValue == movedEvent.id {
                let start = self.start(of: movedEvent).addingTimeInterval(5 * 60)
                events[index]["startTime"] = .string(AshbyFixtures.timestamp(start))
                events[index]["endTime"] = .string(AshbyFixtures.timestamp(
                    start.addingTimeInterval(TimeInterval(movedEvent.interview.minutes * 60))))
            }
            schedule["interviewEvents"] = .array(events)
        }
        ashby.setScheduleStatus(id: cancelled.id, "Cancelled")
        let reminded = expectedReminders()
        let edits = reminded.filter { $0.schedule.id == moved.id && $0.event.id == movedEvent.id || $0.schedule.id == cancelled.id }
        return [
            "  moved: \(movedEvent.interview.title) with \(moved.application.candidateName), 5 minutes later",
            "  cancelled: \(cancelled.events[0].interview.title) with \(cancelled.application.candidateName)",
            "sandbox changed: expect \(edits.count) edited DMs from the next sync: "
                + edits.map { "\($0.interviewer.name) (\($0.event.interview.title))" }.joined(separator: ", "),
        ]
    }

    func start(of event: Event) -> Date {
        base.addingTimeInterval(TimeInterval(event.offsetMinutes * 60))
    }

    func end(of event: Event) -> Date {
        start(of: event).addingTimeInterval(TimeInterval(event.interview.minutes * 60))
    }

    /// The digests a sync should send now: Rita Recruiter's, when any of her applications has feedback
    /// overdue by more than the default 24 h (and less than 14 days), listing each missing scorecard.
    func expectedDigestItems() -> [(interviewer: Interviewer, event: Event, schedule: Schedule)] {
        schedules.filter { $0.takesPlace && $0.application.hasRecruiter }.flatMap { schedule in
            schedule.events.filter { now.timeIntervalSince(end(of: $0)) > 24 * 3600 }.flatMap { event in
                event.interviewers.filter { person in !event.submittedBy.contains { $0.id == person.id } }
                    .map { (interviewer: $0, event: event, schedule: schedule) }
            }
        }
    }

    /// The (interviewer, event) pairs a sync with the default window should remind right now: the event
    /// starts inside the window, its schedule's events take place, the interviewer has an active Slack account.
    func expectedReminders() -> [(interviewer: Interviewer, event: Event, schedule: Schedule)] {
        let window = Self.defaultWindowMinutes
        return schedules.filter(\.takesPlace).flatMap { schedule in
            schedule.events.filter { event in
                let minutes = start(of: event).timeIntervalSince(now) / 60
                return minutes > Double(window.lowerBound) && minutes <= Double(window.upperBound)
            }.flatMap { event in
                event.interviewers.compactMap { person in
                    if case .active = person.slack { (person, event, schedule) } else { nil }
                }
            }
        }
    }

    /// The interviewers a sync should nudge right now (one DM each, listing their scorecards): the
    /// interview ended at least an hour ago (the default `FEEDBACK_NUDGE_AFTER_MINUTES`) and at most
    /// 96 hours ago, its schedule's events take place, they have an active Slack account and no submission.
    func expectedNudges() -> [(interviewer: Interviewer, events: [Event])] {
        var owed: [(interviewer: Interviewer, events: [Event])] = []
        for schedule in schedules where schedule.takesPlace {
            for event in schedule.events {
                let end = start(of: event).addingTimeInterval(TimeInterval(event.interview.minutes * 60))
                let ago = now.timeIntervalSince(end)
                guard ago >= 3600, ago < 96 * 3600 else { continue }
                for person in event.interviewers where !event.submittedBy.contains(where: { $0.id == person.id }) {
                    guard case .active = person.slack else { continue }
                    if let index = owed.firstIndex(where: { $0.interviewer.id == person.id }) {
                        owed[index].events.append(event)
                    } else {
                        owed.append((person, [event]))
                    }
                }
            }
        }
        return owed
    }

    /// What was seeded, one line per interview event in start order, then the reminders to expect.
    func summary() -> [String] {
        let eventCount = schedules.reduce(0) { $0 + $1.events.count }
        var lines = [
            "seeded: \(jobs.count) jobs, \(interviews.count) interview definitions with feedback forms, "
                + "\(applications.count) applications, \(schedules.count) schedules with \(eventCount) events, "
                + "\(slackUsers.count) Slack members (incl. a bot, Slackbot and a deactivated account)"
        ]
        let time = DateFormatter()
        time.locale = Locale(identifier: "en_US_POSIX")
        time.timeZone = TimeZone(identifier: "UTC")
        time.dateFormat = "yyyy-MM-dd HH:mm"
        let events = schedules.flatMap { schedule in schedule.events.map { (schedule, $0) } }
            .sorted { $0.1.offsetMinutes < $1.1.offsetMinutes }
        for (schedule, event) in events {
            let when = Self.relative(event.offsetMinutes).padding(toLength: 11, withPad: " ", startingAt: 0)
            let people = event.interviewers.map { person in
                switch person.slack {
                case .active(_, let email) where email != person.email: "\(person.name) [Slack email \(email)]"
                case .active: person.name
                case .deactivated: "\(person.name) [Slack account deactivated]"
                case .noAccount: "\(person.name) [no Slack account]"
                }
            }
            let status = schedule.status == "Scheduled" ? "" : " [schedule \(schedule.status)]"
            lines.append(
                "  \(when) \(time.string(from: start(of: event))) UTC  \(event.interview.title) with "
                    + "\(schedule.application.candidateName) (\(schedule.application.job.title))\(status): "
                    + people.joined(separator: ", "))
        }
        let expected = expectedReminders()
        let window = Self.defaultWindowMinutes
        lines.append(
            "expect \(expected.count) reminder DMs from the next sync (default window now+\(window.lowerBound)"
                + " to now+\(window.upperBound) min): "
                + expected.map { "\($0.interviewer.name) (\($0.event.interview.title))" }.joined(separator: ", "))
        let nudges = expectedNudges()
        lines.append(
            "expect \(nudges.count) nudge DMs (Slack members' time zone \(zone.identifier), inside working hours): "
                + nudges.map { "\($0.interviewer.name) (\($0.events.map(\.interview.title).joined(separator: " + ")))" }
                .joined(separator: ", "))
        let digest = expectedDigestItems()
        lines.append(
            "expect \(digest.isEmpty ? 0 : 1) digest DMs (to Rita Recruiter, the recruiter on their hiring team): "
                + digest.map { "\($0.interviewer.name)'s \($0.event.interview.title) with \($0.schedule.application.candidateName)" }
                .joined(separator: ", "))
        return lines
    }

    private static func relative(_ minutes: Int) -> String {
        let magnitude = abs(minutes)
        let amount = magnitude >= 120 ? "\(magnitude / 60) h" : "\(magnitude) min"
        return minutes >= 0 ? "in \(amount)" : "\(amount) ago"
    }

    private enum Kind: Int {
        case job = 1
        case interview, form, user, candidate, application, schedule, stage
    }

    /// A UUID that is the same on every start, readable by kind: `5a0d0001-…-000000000003` is job 3.
    private static func fixedID(_ kind: Kind, _ number: Int) -> String {
        String(format: "5a0d%04x-0000-4000-8000-%012x", kind.rawValue, number)
    }
}
