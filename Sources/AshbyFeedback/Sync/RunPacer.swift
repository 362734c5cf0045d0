import Foundation

/// Lets a backfill (which has no run budget) send due reminders while it pulls: after a page is
/// committed, a reminder pass runs when the last one is `interval` old, so a long backfill never
/// costs a reminder that falls due meanwhile. Cron's `sync` runs are skipped while it holds the lock.
final class RunPacer {
    private let context: RunContext
    private let interval: Duration
    private let pass: ReminderPass
    private var lastPass: Duration
    /// What the reminder passes between pages did, merged into the run's summary at the end.
    private(set) var summary = RunSummary()

    init(context: RunContext, pass: ReminderPass, interval: Duration = .seconds(60)) {
        self.context = context
        self.pass = pass
        self.interval = interval
        self.lastPass = context.clock.elapsed()
    }

    func pageCommitted() throws {
        let elapsed = context.clock.elapsed()
        guard elapsed - lastPass >= interval else { return }
        lastPass = elapsed
        context.slackLock.lock()
        defer { context.slackLock.unlock() }
        summary.merge(try pass.run(in: context))
    }
}
