import AshbyAPI
import Foundation
import Logging
import Postgres
import SlackAPI

/// One run of `sync` or `backfill` (SPEC §3): lock, then its steps in order, then the run record.
///
/// The steps, each a small type that returns its counts:
/// 1. due reminders, from what is already stored (before any slow pull);
/// 2. feedback forms, interviews, schedules, submitted feedback and applications from Ashby, each page
///    in its own transaction (the next page fetched while one is written), a sync token stored only
///    after its pass committed; records that cannot be stored are set aside; then the profile links of
///    candidates with an interview coming up (`candidate.info`, a bounded number a run);
/// 3. the Slack directory, fetched and written on its own thread and connection while step 2 runs
///    (joined here, so later steps see it);
/// 4. edits of DMs whose interview changed;
///
/// Steps 4 to 7 read the database only: sending a message makes no Ashby call.
/// 5. due reminders again, for what the pull brought in (and fresh ones for interviews that moved);
/// 6. nudges about missing scorecards (and edits of the nudges whose scorecards came in);
/// 7. the daily digests of overdue feedback (and edits striking what cleared);
/// 8. the audit prune.
///
/// A step that fails does not stop the others; the run ends with the first failure — or, when every
/// Slack call that posted or edited a DM failed because Slack was unavailable, with exit 75
/// (`SlackAvailability`). A `sync` has a
/// budget (`RUN_BUDGET_SECONDS`): data steps stop at it with their tokens untouched, leaving a slice
/// for the reminders. A dry run does everything inside one transaction that is rolled back.
public final class SyncEngine {
    /// Session advisory lock held for the whole run ("ashbyfsy"): one run per database.
    static let lockKey: Int64 = 0x6173_6862_7966_7379

    private let configuration: Configuration
    private let connection: PostgresConnection
    private let ashby: AshbyClient
    private let slack: SlackClient?
    private let logger: Logger
    private let runID: UUID
    private let clock: RunClock
    private let report: (String) -> Void
    private let observer: (any RunObserver)?

    /// - Parameters:
    ///   - slack: nil when the run neither pulls the directory nor sends reminders.
    ///   - clock: the run's wall clock and elapsed time (fixed in tests).
    ///   - report: where a dry run prints what it would write and send.
    ///   - observer: told when the run starts working and how its passes advance (heartbeat, progress line).
    public init(
        configuration: Configuration, connection: PostgresConnection, ashby: AshbyClient, slack: SlackClient?,
        logger: Logger, runID: UUID, clock: RunClock = .system(), report: @escaping (String) -> Void = { print($0) },
        observer: (any RunObserver)? = nil
    ) {
        self.configuration = configuration
        self.connection = connection
        self.ashby = ashby
        self.slack = slack
        self.logger = logger
        self.runID = runID
        self.clock = clock
        self.report = report
        self.observer = observer
    }

    /// The steps of a run, in order.
    static var steps: [any RunStep] {
        [
            ReminderPass(moment: .beforePull),
            DefinitionPull.forms,
            DefinitionPull.interviews,
            SchedulePull(),
            SubmissionPull(),
            ApplicationPull(),
            CandidateProfilePull(),
            SlackDirectoryPull(),
            PlannerStatistics(),
            ReminderEditStep(),
            ReminderPass(moment: .afterPull),
            NudgePass(),
            DigestPass(),
            AuditPrune(),
        ]
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
            if !request.dryRun { try runs.recordSkipped(runID: runID, command: command, now: clock.now()) }
            return (.skipped, RunSummary())
        }
        defer { _ = try? connection.advisoryUnlock(Self.lockKey) }
        observer?.runStarted()
        let context = makeContext(request, storedStates: try SyncStateStore(connection: connection).load())

        if request.dryRun {
            // One transaction, rolled back: later steps see what earlier ones would have written
            // (the reminders see the fresh Slack directory), and nothing stays.
            struct DryRunRollback: Error { var summary: RunSummary }
            do {
                try connection.transaction { throw DryRunRollback(summary: try perform(context)) }
            } catch let rollback as DryRunRollback {
                return (.succeeded, rollback.summary)
            } catch let failed as RunFailed {
                throw failed.error
            }
            return (.succeeded, RunSummary())
        }

        let started = ContinuousClock.now
        try runs.start(runID: runID, command: command, now: clock.now())
        logger.info("run_started", metadata: [
            "reminders": .stringConvertible(request.sendReminders),
            "budget_s": .stringConvertible(context.budget.total?.components.seconds ?? 0),
        ])
        var summary = RunSummary()
        do {
            summary = try perform(context)
        } catch {
            let failure = Failure(error.error)
            try? runs.finish(runID: runID, outcome: .failed, summary: error.summary, error: failure.description, now: clock.now())
            logger.error("run_failed", metadata: ["error": "\(failure.description)", "ms": .int(started.duration(to: .now).milliseconds)])
            throw error.error
        }
        try runs.finish(runID: runID, outcome: .succeeded, summary: summary, error: nil, now: clock.now())
        logger.info("run_finished", metadata: [
            "outcome": "succeeded", "ms": .int(started.duration(to: .now).milliseconds),
            "ashby_requests": .int(summary.ashbyRequests), "slack_requests": .int(summary.slackRequests),
            "sql_statements": .int(summary.sqlStatements),
            "sql_round_trips": .int(summary.sqlRoundTrips), "quarantined": .int(summary.quarantined),
            "reminders_due": .int(summary.reminders.due), "reminders_sent": .int(summary.reminders.sent),
            "reminders_failed": .int(summary.reminders.failed), "reminders_retrying": .int(summary.reminders.retrying),
            "reminders_unknown": .int(summary.reminders.unknown),
            "nudges_sent": .int(summary.nudges.sent), "nudges_failed": .int(summary.nudges.failed + summary.nudges.retrying),
        ])
        return (.succeeded, summary)
    }

    private func makeContext(_ request: SyncRequest, storedStates: [String: SyncStateStore.ResourceState]) -> RunContext {
        let budget = RunBudget(for: request, configuration: configuration)
        let context = RunContext(
            configuration: configuration, connection: connection, ashby: ashby, slack: slack, logger: logger,
            runID: runID, request: request, clock: clock, budget: budget, report: report, observer: observer,
            storedStates: storedStates,
            sideConnections: SideConnections(databaseURL: configuration.databaseURL, sessionSetup: SQL.sessionLimits))
        let duringBackfill = ReminderPass(moment: .duringBackfill)
        if request.kind == .backfill, !request.dryRun, duringBackfill.isWanted(in: context) {
            context.pacer = RunPacer(context: context, pass: duringBackfill)
        }
        return context
    }

    /// Runs every wanted step; a failed step is logged and the run goes on, ending with the first
    /// failure (a dry run, inside one transaction, stops at once).
    private func perform(_ context: RunContext) throws(RunFailed) -> RunSummary {
        var summary = RunSummary()
        var firstFailure: (any Error)?
        func record(_ name: String, _ body: () throws -> RunSummary) throws(RunFailed) {
            do {
                summary.merge(try body())
            } catch {
                var cause = error
                if let partial = error as? StepFailure {
                    summary.merge(partial.summary)
                    cause = partial.error
                }
                if context.dryRun { throw RunFailed(summary: summary, error: cause) }
                firstFailure = firstFailure ?? cause
                logger.error("step_failed", metadata: ["step": "\(name)", "error": "\(Failure(cause).description)"])
            }
        }
        var concurrent: ConcurrentStep?
        var pending: ConcurrentStep?
        for step in Self.steps {
            // A step started beside the others is joined where it stands in the list.
            if let started = pending, started.name == step.name {
                pending = nil
                try record(step.name) { try started.join() }
                continue
            }
            guard step.isWanted(in: context) else { continue }
            if step.isDataStep, context.dataBudgetSpent {
                logger.warning("step_skipped", metadata: ["step": "\(step.name)", "reason": "run budget spent"])
                continue
            }
            // The first data step starts the Slack directory beside the Ashby passes.
            if concurrent == nil, step.isDataStep, let early = Self.concurrentStep(in: context), early.name != step.name {
                concurrent = ConcurrentStep(early, in: context)
                pending = concurrent
            }
            try record(step.name) { try step.run(in: context) }
        }
        if let started = pending { try record(started.name) { try started.join() } }
        if let pacer = context.pacer {
            summary.merge(pacer.summary)
            firstFailure = firstFailure ?? pacer.failure
        }
        if let unavailable = slack.flatMap({ SlackAvailability.failure(calls: $0.calls) }) {
            logger.error("slack_unavailable", metadata: ["error": "\(unavailable.description)"])
            firstFailure = firstFailure ?? unavailable
        }
        summary.ashbyRequests = context.ashbyRequestCount
        summary.ashbyAPIVersion = ashby.versionStatus
        summary.slackRequests = slack?.requestCount ?? 0
        summary.sqlStatements = connection.statementCount + context.sideConnections.statementCount
        summary.sqlRoundTrips = connection.roundTripCount
        if let firstFailure { throw RunFailed(summary: summary, error: firstFailure) }
        return summary
    }

    /// The step that runs beside the Ashby passes on its own thread and connection, if any: the Slack
    /// directory, unless this is a dry run (one transaction). It shares the Slack client with the
    /// reminder passes between backfill pages, one call at a time (`RunContext.slackLock`).
    private static func concurrentStep(in context: RunContext) -> (any RunStep)? {
        let directory = SlackDirectoryPull()
        guard !context.dryRun, directory.isWanted(in: context) else { return nil }
        return directory
    }

    /// A run that failed, with what it did before and after the failure.
    private struct RunFailed: Error {
        var summary: RunSummary
        var error: any Error
    }

    private enum SQL {

        /// Bounds for this session, so a stuck statement or lock cannot hold the sync lock for hours:
        /// cron has no time limit of its own.
        static let sessionLimits = """
            SELECT set_config('statement_timeout', '5min', false), set_config('lock_timeout', '1min', false),
                   set_config('idle_in_transaction_session_timeout', '15min', false)
            """
    }
}
