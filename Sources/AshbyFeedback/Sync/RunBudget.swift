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

    /// What a Slack post needs left of the run besides its request timeout: its claim and record, and
    /// the moment by which the Slack client's deadline starts before the run's clock.
    static let postMargin = Duration.seconds(5)

    /// Whether a Slack post may start at `elapsed`: only while the run has the post's whole request
    /// timeout left, plus `postMargin`. A post whose timeout the deadline would cut can time out after
    /// it reached Slack, and is then "unknown", never sent again; not started, it stays unclaimed for
    /// the next run. What a post needs is capped by the reminder reserve, so a budget smaller than
    /// that (whose every request the budget cuts anyway) still posts in its reminder slice. Always
    /// true without a budget (backfill).
    func leavesTimeForPost(at elapsed: Duration, requestTimeout: Duration) -> Bool {
        guard let total else { return true }
        return total - elapsed >= min(requestTimeout + Self.postMargin, reminderReserve)
    }
}
