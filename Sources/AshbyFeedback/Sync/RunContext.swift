import AshbyAPI
import Foundation
import Logging
import Postgres
import SlackAPI
import Synchronization

/// What the steps of one run share: the connection and clients, the run's clock and budget, the
/// request, and what earlier steps learned about the services (`conditions`).
final class RunContext {
    let configuration: Configuration
    let connection: PostgresConnection
    let ashby: AshbyClient
    let slack: SlackClient?
    let logger: Logger
    let runID: UUID
    let request: SyncRequest
    let clock: RunClock
    let budget: RunBudget
    /// Where a dry run prints what it would write and send.
    let report: (String) -> Void
    /// Told how the passes advance (the progress line on a terminal).
    let observer: (any RunObserver)?
    /// Each resource's sync token and last passes as the run found them (read once, after the lock):
    /// what decides tokens and cadences. A step records its own pass; no step reads another's later.
    let storedStates: [String: SyncStateStore.ResourceState]
    let conditions: RunConditions
    /// Serializes the Slack client between the directory pull (on its own thread, `ConcurrentStep`)
    /// and the reminder passes between backfill pages: one client, one call at a time.
    let slackLock: NSLock
    /// Connections besides `connection`, for work on other threads.
    let sideConnections: SideConnections
    /// Runs a reminder pass between the pages of a long backfill (nil when none is wanted).
    var pacer: RunPacer?
    /// Fetches list pages ahead on the paginator's own thread (`ResourcePass`), made on first use;
    /// `ashby` stays with this thread (writers call `interview.info` on it).
    var fetchAheadClient: AshbyClient {
        if let client = madeFetchAheadClient { return client }
        let client = ashby.sibling()
        madeFetchAheadClient = client
        return client
    }
    private var madeFetchAheadClient: AshbyClient?
    /// Ashby requests of the run: this thread's and the fetch-ahead client's.
    var ashbyRequestCount: Int { ashby.requestCount + (madeFetchAheadClient?.requestCount ?? 0) }

    init(
        configuration: Configuration, connection: PostgresConnection, ashby: AshbyClient, slack: SlackClient?,
        logger: Logger, runID: UUID, request: SyncRequest, clock: RunClock, budget: RunBudget,
        report: @escaping (String) -> Void, observer: (any RunObserver)? = nil,
        storedStates: [String: SyncStateStore.ResourceState] = [:], sideConnections: SideConnections,
        conditions: RunConditions = RunConditions(), slackLock: NSLock = NSLock()
    ) {
        self.sideConnections = sideConnections
        self.storedStates = storedStates
        self.conditions = conditions
        self.slackLock = slackLock
        self.configuration = configuration
        self.connection = connection
        self.ashby = ashby
        self.slack = slack
        self.logger = logger
        self.runID = runID
        self.request = request
        self.clock = clock
        self.budget = budget
        self.report = report
        self.observer = observer
    }

    /// The same run on another connection (for a `ConcurrentStep`, a page writer's lane): shared clients,
    /// clock, budget and conditions, no pacer.
    func onOwnConnection(_ connection: PostgresConnection) -> RunContext {
        RunContext(
            configuration: configuration, connection: connection, ashby: ashby, slack: slack, logger: logger,
            runID: runID, request: request, clock: clock, budget: budget, report: report, storedStates: storedStates,
            sideConnections: sideConnections, conditions: conditions, slackLock: slackLock)
    }

    var dryRun: Bool { request.dryRun }
    var isBackfill: Bool { request.kind == .backfill }

    /// Runs a page's writes in their own transaction; a dry run is already inside one, rolled back at the end.
    func write<Result>(_ body: () throws -> Result) throws -> Result {
        if dryRun { return try body() }
        return try connection.transaction(body)
    }

    /// Called between the pages of a data step, after a page is committed: stops the step once the
    /// data budget is spent (its token stays where it was), and lets a backfill send due reminders.
    /// - Parameter checkpointed: the pass saved where it stands (`ResourcePass`), so the next run
    ///   continues it; otherwise the next run starts it over.
    func pageCommitted(resource: String, pages: Int, checkpointed: Bool = false) throws {
        if let deadline = budget.dataDeadline, clock.elapsed() >= deadline {
            let next = checkpointed
                ? "the next run continues the pass after its last committed page, and its sync token moves once the pass completes"
                : "its sync token is unchanged and the next run pulls it again"
            throw Failure(status: .unavailable, """
                run budget of \(budget.total?.components.seconds ?? 0) s (RUN_BUDGET_SECONDS) reached while pulling \(resource) \
                after \(pages) page(s); \(next)
                """)
        }
        pacer?.pageCommitted()
    }

    /// Whether a Slack post may start now (asked by every sender before it claims one).
    var postGate: PostGate {
        PostGate(budget: budget, clock: clock, requestTimeout: slack?.requestTimeout ?? .zero, logger: logger)
    }

    /// True once the data budget is spent: later data steps do not start.
    var dataBudgetSpent: Bool {
        guard let deadline = budget.dataDeadline else { return false }
        return clock.elapsed() >= deadline
    }
}

/// What the steps of a run learned about the services, so later steps adapt instead of waiting.
/// Shared with a step running on its own thread (`ConcurrentStep`), so every read and write is locked.
final class RunConditions: Sendable {
    private let state = Mutex(State())

    private struct State {
        var slackRefused = false
    }

    /// Slack refused the token or a scope: later Slack steps do not call it again.
    var slackRefused: Bool {
        get { state.withLock { $0.slackRefused } }
        set { state.withLock { $0.slackRefused = newValue } }
    }
}
