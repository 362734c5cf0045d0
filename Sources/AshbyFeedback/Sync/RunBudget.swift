import CurlHTTP
import Foundation

/// How long one run may work (`RUN_BUDGET_SECONDS`), so a slow Ashby never holds the sync lock
/// past the next cron run and the reminder window.
///
/// Data steps stop at `dataDeadline`, which leaves the last slice (a quarter of the budget, at most
/// a minute) to the reminder pass that follows the pull. A backfill has no budget: it runs a reminder
/// pass between pages instead (see `RunPacer`).
public struct RunBudget: Sendable {
    /// The whole run; nil for no limit (backfill).
    public var total: Duration?

    public init(total: Duration?) {
        self.total = total
    }

    /// The budget of a run: `RUN_BUDGET_SECONDS` for a sync, none for a backfill.
    public init(for request: SyncRequest, configuration: Configuration) {
        self.init(total: request.kind == .sync ? configuration.runBudget : nil)
    }

    /// For the Ashby client, starting now: requests stop with the data steps, so a lookup after the
    /// pull fails at once and the DM goes out without names rather than late.
    public func ashbyDeadline(clock: any MonotonicClock = SystemMonotonicClock()) -> Deadline {
        dataDeadline.map { Deadline(budget: $0, clock: clock) } ?? .never
    }

    /// For the Slack client, starting now: the whole budget, reminder slice included.
    public func slackDeadline(clock: any MonotonicClock = SystemMonotonicClock()) -> Deadline {
        total.map { Deadline(budget: $0, clock: clock) } ?? .never
    }

    /// What stays for the reminder pass after the data steps.
    public var reminderReserve: Duration {
        guard let total else { return .zero }
        return min(.seconds(60), total / 4)
    }

    /// When the data steps must stop, as elapsed run time.
    public var dataDeadline: Duration? {
        total.map { $0 - reminderReserve }
    }
}
