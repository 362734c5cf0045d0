import Foundation

/// Lets a backfill (which has no run budget) send due reminders while it pulls: after a page is
/// committed, a reminder pass runs when the last one is `interval` old, so a long backfill never
/// costs a reminder that falls due meanwhile. Cron's `sync` runs are skipped while it holds the lock.
///
/// A pass that fails (Slack down for a minute, a refused token) never stops the pull between whose
/// pages it runs: it is logged as `step_failed`, and the run ends with `failure` after the pull.
final class RunPacer {
    private let context: RunContext
    private let interval: Duration
    private let pass: ReminderPass
    private var lastPass: Duration
    /// What the reminder passes between pages did, merged into the run's summary at the end.
    private(set) var summary = RunSummary()
    /// The first failure of a reminder pass between pages.
    private(set) var failure: (any Error)?

    init(context: RunContext, pass: ReminderPass, interval: Duration = .seconds(60)) {
        self.context = context
        self.pass = pass
        self.interval = interval
        self.lastPass = context.clock.elapsed()
    }

    func pageCommitted() {
        let elapsed = context.clock.elapsed()
        guard elapsed - lastPass >= interval, pass.isWanted(in: context) else { return }
        lastPass = elapsed
        context.slackLock.lock()
        defer { context.slackLock.unlock() }
        do {
            summary.merge(try pass.run(in: context))
        } catch {
            var cause = error
            if let partial = error as? StepFailure {
                summary.merge(partial.summary)
                cause = partial.error
            }
            failure = failure ?? cause
            context.logger.error("step_failed", metadata: [
                "step": "\(pass.name)", "error": "\(Failure(cause).description)", "pull": "continues",
            ])
        }
    }
}
