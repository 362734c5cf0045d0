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
