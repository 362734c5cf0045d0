import AshbyAPI
import Foundation
import Logging
import Postgres
import SlackAPI

/// One run of `sync` or `backfill` (SPEC §3): lock, pull forms, interviews and schedules from
/// Ashby, pull the Slack directory, send due reminders, record the run, prune the audit table.
///
/// Every page is written in its own transaction with set-based statements; a sync token is stored
/// only after all pages of its pass are committed, so a failure never moves a token past data
/// that was not written. A dry run does everything inside one transaction that is rolled back.
public final class SyncEngine {
    /// Session advisory lock held for the whole run ("ashbyfsy"): one run per database.
    static let lockKey: Int64 = 0x6173_6862_7966_7379

    /// Resource names used in `sync_state`, `sync_runs.counts` and the logs.
    enum Resource {
        static let forms = "feedback_form_definitions"
        static let interviews = "interviews"
        static let schedules = "interview_schedules"
        static let events = "interview_events"
        static let assignments = "interview_assignments"
        static let slackUsers = "slack_users"
    }

    private let configuration: Configuration
    private let connection: PostgresConnection
    private let ashby: AshbyClient
    private let slack: SlackClient?
    private let logger: Logger
    private let runID: UUID
    private let now: () -> Date
    private let report: (String) -> Void

    /// - Parameters:
    ///   - slack: nil when the run neither pulls the directory nor sends reminders.
    ///   - now: the clock deciding cadences and the reminder window (fixed in tests).
    ///   - report: where a dry run prints what it would write and send.
    public init(
        configuration: Configuration, connection: PostgresConnection, ashby: AshbyClient, slack: SlackClient?,
        logger: Logger, runID: UUID, now: @escaping () -> Date = Date.init, report: @escaping (String) -> Void = { print($0) }
    ) {
        self.configuration = configuration
        self.connection = connection
        self.ashby = ashby
        self.slack = slack
        self.logger = logger
        self.runID = runID
        self.now = now
        self.report = report
    }

    /// Runs the request and returns its outcome (`skipped` when another run holds the lock).
    /// Throws after recording the run as failed.
    public func run(_ request: SyncRequest) throws -> (outcome: RunSummary.Outcome, summary: RunSummary) {
        try SchemaVersion.requireCurrent(connection)
        try connection.execute(SQL.sessionLimits)
        let runs = RunStore(connection: connection)
        let command = request.kind.rawValue
        // Dry runs take the lock too: their rolled-back transaction holds row locks a real run would wait on.
        guard try connection.tryAdvisoryLock(Self.lockKey) else {
            logger.notice("skipped", metadata: ["reason": "another run holds the sync lock"])
            if !request.dryRun { try runs.recordSkipped(runID: runID, command: command, now: now()) }
            return (.skipped, RunSummary())
        }
        defer { _ = try? connection.advisoryUnlock(Self.lockKey) }

        if request.dryRun {
            // One transaction, rolled back: later steps see what earlier ones would have written
            // (the reminders see the fresh Slack directory), and nothing stays.
            var summary = RunSummary()
            struct DryRunRollback: Error {}
            do {
                try connection.transaction {
                    try perform(request, summary: &summary)
                    throw DryRunRollback()
                }
            } catch is DryRunRollback {}
            return (.succeeded, summary)
        }

        let started = Date()
        try runs.start(runID: runID, command: command, now: now())
        logger.info("run_started", metadata: ["reminders": .stringConvertible(request.sendReminders)])
        var summary = RunSummary()
        do {
            try perform(request, summary: &summary)
        } catch {
            summary.ashbyRequests = ashby.requestCount
            summary.slackRequests = slack?.requestCount ?? 0
            let failure = Failure(error)
            try? runs.finish(runID: runID, outcome: .failed, summary: summary, error: failure.description, now: now())
            logger.error("run_failed", metadata: ["error": "\(failure.description)", "ms": .int(Self.milliseconds(since: started))])
            throw error
        }
        try runs.finish(runID: runID, outcome: .succeeded, summary: summary, error: nil, now: now())
        logger.info("run_finished", metadata: [
            "outcome": "succeeded", "ms": .int(Self.milliseconds(since: started)),
            "ashby_requests": .int(summary.ashbyRequests), "slack_requests": .int(summary.slackRequests),
            "sql_statements": .int(summary.sqlStatements),
            "reminders_due": .int(summary.reminders.due), "reminders_sent": .int(summary.reminders.sent),
            "reminders_failed": .int(summary.reminders.failed), "reminders_retrying": .int(summary.reminders.retrying),
            "reminders_unknown": .int(summary.reminders.unknown),
        ])
        return (.succeeded, summary)
    }

    private func perform(_ request: SyncRequest, summary: inout RunSummary) throws {
        let states = try SyncStateStore(connection: connection).load()
        let backfill = request.kind == .backfill

        func due(_ resource: String, everyMinutes minutes: Int) -> Bool {
            guard !backfill, minutes > 0, let last = states[resource]?.lastPassAt else { return true }
            return now().timeIntervalSince(last) >= Double(minutes) * 60
        }
        func token(_ resource: String) -> String? {
            backfill ? nil : states[resource]?.syncToken
        }

        // A failed data step does not stop reminders for interviews already stored: they go out, then
        // the run fails with the first error (a dry run, inside one transaction, stops at once).
        var firstFailure: (any Error)?
        func step(_ name: String, _ body: () throws -> Void) throws {
            do {
                try body()
            } catch {
                guard !request.dryRun, firstFailure == nil else { throw error }
                firstFailure = error
                logger.error("step_failed", metadata: ["step": "\(name)", "error": "\(Failure(error).description)"])
            }
        }

        try step("ashby") {
            if due(Resource.forms, everyMinutes: configuration.formsRefreshMinutes) {
                try pullDefinitions(.feedbackFormDefinitions, AshbyFeedbackFormDefinition.self, resource: Resource.forms,
                                    syncToken: token(Resource.forms), request: request, summary: &summary) { try $0.upsertForms($1) }
            } else {
                logger.info("resource_not_due", metadata: ["resource": "\(Resource.forms)"])
            }
            if due(Resource.interviews, everyMinutes: configuration.interviewsRefreshMinutes) {
                try pullDefinitions(.interviews, AshbyInterview.self, resource: Resource.interviews,
                                    syncToken: token(Resource.interviews), request: request, summary: &summary) { try $0.upsertInterviews($1) }
                try describePlaceholderInterviews(request: request, summary: &summary)
            } else {
                logger.info("resource_not_due", metadata: ["resource": "\(Resource.interviews)"])
            }
            try pullSchedules(syncToken: token(Resource.schedules), request: request, summary: &summary)
        }
        if let slack, request.sendReminders {
            try step("slack_users") {
                if due(Resource.slackUsers, everyMinutes: configuration.slackUsersRefreshMinutes) {
                    try pullSlackUsers(slack, request: request, summary: &summary)
                } else {
                    logger.info("resource_not_due", metadata: ["resource": "\(Resource.slackUsers)"])
                }
            }
            try sendReminders(slack, request: request, summary: &summary)
        }
        if configuration.auditRetentionDays > 0 {
            summary.auditRowsPruned = try AuditStore(connection: connection).prune(olderThanDays: configuration.auditRetentionDays)
            if summary.auditRowsPruned > 0 {
                logger.info("audit_pruned", metadata: ["rows": .int(summary.auditRowsPruned), "retention_days": .int(configuration.auditRetentionDays)])
            }
        }
        summary.ashbyRequests = ashby.requestCount
        summary.slackRequests = slack?.requestCount ?? 0
        summary.sqlStatements = connection.statementCount
        if let firstFailure { throw firstFailure }
    }

    // MARK: Ashby

    /// A pass over a flat definition list (forms or interviews): each page upserted and audited.
    private func pullDefinitions<Item: Decodable>(
        _ endpoint: AshbyListEndpoint, _ type: Item.Type, resource: String, syncToken: String?, request: SyncRequest,
        summary: inout RunSummary, upsert: @escaping (ReferenceStore, [Item]) throws -> TableCounts
    ) throws {
        let references = ReferenceStore(connection: connection)
        let audit = AuditStore(connection: connection)
        var counts = TableCounts()
        try pass(endpoint, resource: resource, syncToken: syncToken, request: request) { page in
            let items = try page.decodeItems(Item.self)
            try write(request) {
                counts.add(try upsert(references, items))
                try audit.recordPage(action: page.endpoint.rawValue, payload: page.rawBody)
            }
        } finished: {
            summary.add(counts, to: resource)
            return [(resource, counts)]
        }
    }

    private func pullSchedules(syncToken: String?, request: SyncRequest, summary: inout RunSummary) throws {
        let schedules = ScheduleStore(connection: connection)
        let references = ReferenceStore(connection: connection)
        let audit = AuditStore(connection: connection)
        var scheduleCounts = TableCounts(), eventCounts = TableCounts(), assignmentCounts = TableCounts()
        var interviewCounts = TableCounts()
        try pass(.interviewSchedules, resource: Resource.schedules, syncToken: syncToken, request: request) { page in
            let fetched = try page.decodeItems(AshbyInterviewSchedule.self)
            let rows = try fetched.map { try ScheduleRow.rows(from: $0) }
            // Interviews the events reference but we have never seen, fetched before the page's transaction.
            let unknown = try schedules.unknownInterviews(Set(rows.flatMap { $0.1.compactMap(\.interviewID) }))
            var described: [AshbyInterview] = []
            var undescribed: [String] = []
            for id in unknown.sorted() {
                if let interview = try describeInterview(id) { described.append(interview) } else { undescribed.append(id) }
            }
            try write(request) {
                interviewCounts.add(try references.upsertInterviews(described))
                try references.insertPlaceholderInterviews(undescribed)
                let stored = try schedules.stored(
                    scheduleIDs: rows.map(\.0.scheduleID), eventIDs: rows.flatMap { $0.1.map(\.eventID) })
                let diff = ScheduleDiff(stored: stored, fetched: rows)
                try schedules.apply(diff)
                try audit.recordSchedules(action: page.endpoint.rawValue, scheduleIDs: rows.map(\.0.scheduleID), payloads: page.rawItems)
                scheduleCounts.add(diff.schedules)
                eventCounts.add(diff.events)
                assignmentCounts.add(diff.assignments)
            }
        } finished: {
            summary.add(scheduleCounts, to: Resource.schedules)
            summary.add(eventCounts, to: Resource.events)
            summary.add(assignmentCounts, to: Resource.assignments)
            if interviewCounts.fetched > 0 {
                summary.add(interviewCounts, to: Resource.interviews)
            }
            var tables = [
                (Resource.schedules, scheduleCounts), (Resource.events, eventCounts), (Resource.assignments, assignmentCounts),
            ]
            if interviewCounts.fetched > 0 { tables.append(("interviews_described", interviewCounts)) }
            return tables
        }
    }

    /// `interview.info` for one interview, or nil when Ashby answers that it cannot describe it
    /// (a placeholder row is stored then). Outages and refused keys still fail the run.
    private func describeInterview(_ id: String) throws -> AshbyInterview? {
        do {
            return try ashby.interview(id: id)
        } catch {
            guard case .api = error.kind else { throw error }
            logger.warning("interview_unavailable", metadata: ["interview_id": "\(id)", "error": "\(error)"])
            return nil
        }
    }

    /// Placeholder interviews (stored when `interview.info` failed) are described again whenever the
    /// interviews are pulled: an incremental `interview.list` returns them only if they change.
    private func describePlaceholderInterviews(request: SyncRequest, summary: inout RunSummary) throws {
        let ids = try connection.query(SQL.placeholderInterviews).rows.map { try $0[0].decode(String.self) }
        let described = try ids.compactMap(describeInterview)
        guard !described.isEmpty else { return }
        var counts = TableCounts()
        try write(request) { counts = try ReferenceStore(connection: connection).upsertInterviews(described) }
        summary.add(counts, to: Resource.interviews)
        logger.info("placeholder_interviews_described", metadata: ["count": .int(counts.updated), "remaining": .int(ids.count - described.count)])
    }

    /// One paginated pass: pages handled by `handlePage`, then the token recorded and one log line
    /// per table with the counts `finished` returns.
    private func pass(
        _ endpoint: AshbyListEndpoint, resource: String, syncToken: String?, request: SyncRequest,
        handlePage: (AshbyPage) throws -> Void, finished: () -> [(table: String, counts: TableCounts)]
    ) throws {
        let started = Date()
        let paginator = AshbyPaginator(client: ashby, logger: logger)
        let createdAfter = endpoint == .interviewSchedules ? request.since : nil
        let result = try paginator.run(endpoint, syncToken: syncToken, createdAfter: createdAfter, onPage: handlePage)
        // A filtered backfill covers only part of the data: keep the stored token, and it is no full pass.
        try SyncStateStore(connection: connection).recordPass(
            resource: resource, syncToken: createdAfter == nil ? result.syncToken : nil,
            wasFullPass: result.wasFullPass && createdAfter == nil, now: now())
        for (table, counts) in finished() {
            logCounts(table, counts, extra: [
                "endpoint": "\(endpoint.rawValue)", "pages": .int(result.pages),
                "pass": "\(result.wasFullPass ? "full" : "incremental")",
                "restarts": "\(result.restarts.joined(separator: ","))",
                "ms": .int(Self.milliseconds(since: started)),
            ], dryRun: request.dryRun)
        }
    }

    // MARK: Slack

    private func pullSlackUsers(_ slack: SlackClient, request: SyncRequest, summary: inout RunSummary) throws {
        let started = Date()
        var members: [SlackMember] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try slack.usersPage(cursor: cursor)
            members += page.members
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 10_000
        let directory = SlackDirectory(members: members)
        if directory.entries.isEmpty, members.contains(where: { !$0.isBot && !$0.isSlackbot && $0.isAppUser != true }) {
            throw Failure(status: .configuration, "users.list returned \(members.count) member(s) but no email address: the Slack app lacks the users:read.email scope (add it and reinstall the app)")
        }
        var counts = TableCounts()
        try write(request) {
            counts = try SlackUserStore(connection: connection).upsert(directory.entries)
        }
        try SyncStateStore(connection: connection).recordPass(resource: Resource.slackUsers, syncToken: nil, wasFullPass: true, now: now())
        summary.add(counts, to: Resource.slackUsers)
        logCounts(Resource.slackUsers, counts, extra: [
            "endpoint": "users.list", "pages": .int(pages), "members": .int(members.count),
            "skipped": .int(directory.skipped), "duplicate_emails": .int(directory.duplicates),
            "ms": .int(Self.milliseconds(since: started)),
        ], dryRun: request.dryRun)
    }

    private func sendReminders(_ slack: SlackClient, request: SyncRequest, summary: inout RunSummary) throws {
        let store = ReminderStore(connection: connection)
        let current = now()
        let due = try store.due(
            now: current,
            windowStart: current.addingTimeInterval(Double(configuration.reminderWindowStartMinutes) * 60),
            windowEnd: current.addingTimeInterval(Double(configuration.reminderWindowEndMinutes) * 60)
        )
        summary.reminders.due = due.count
        let lookup = CandidateLookup(ashby: ashby, logger: logger)
        if request.dryRun {
            for reminder in due {
                let message = ReminderSender.message(for: reminder, lookup: lookup)
                report("would send DM to \(reminder.slackUserID) (\(reminder.email)) for event \(reminder.eventID): \(message.text)")
            }
            report("would send \(due.count) reminder(s)")
            return
        }
        let sender = ReminderSender(store: store, slack: slack, lookup: lookup, logger: logger, runID: runID)
        try sender.send(due, counts: &summary.reminders)
        let attempted = summary.reminders.sent + summary.reminders.failed + summary.reminders.retrying + summary.reminders.unknown
        if attempted > 0, summary.reminders.retrying == attempted {
            throw Failure(status: .unavailable, "Slack is unavailable: all \(attempted) reminder(s) failed temporarily; the next run retries them")
        }
    }

    // MARK: Helpers

    /// Runs a page's writes in their own transaction; a dry run is already inside one, rolled back at the end.
    private func write(_ request: SyncRequest, _ body: () throws -> Void) throws {
        if request.dryRun {
            try body()
        } else {
            try connection.transaction(body)
        }
    }

    private func logCounts(_ table: String, _ counts: TableCounts, extra: Logger.Metadata, dryRun: Bool) {
        var metadata: Logger.Metadata = [
            "resource": "\(table)", "fetched": .int(counts.fetched), "inserted": .int(counts.inserted),
            "updated": .int(counts.updated), "deleted": .int(counts.deleted), "unchanged": .int(counts.unchanged),
        ]
        metadata.merge(extra) { $1 }
        logger.info("resource_synced", metadata: metadata)
        if dryRun {
            report("would write \(table): \(counts.inserted) inserted, \(counts.updated) updated, \(counts.deleted) deleted, \(counts.unchanged) unchanged (\(counts.fetched) fetched)")
        }
    }

    private enum SQL {
        /// Bounds for this session, so a stuck statement or lock cannot hold the sync lock for hours:
        /// cron has no time limit of its own.
        static let sessionLimits = """
            SELECT set_config('statement_timeout', '5min', false), set_config('lock_timeout', '1min', false),
                   set_config('idle_in_transaction_session_timeout', '15min', false)
            """
        static let placeholderInterviews = "SELECT interview_id::text FROM interviews WHERE title IS NULL ORDER BY interview_id"
    }

    static func milliseconds(since start: Date) -> Int {
        Int(Date().timeIntervalSince(start) * 1000)
    }
}
