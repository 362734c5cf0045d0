import Logging

/// The one rule for starting a Slack post (`RunBudget.leavesTimeForPost`), asked by every sender —
/// reminders, nudges, digests — right before it claims a post: one that might not finish inside the
/// run's budget is not claimed, and goes out with the next run.
struct PostGate {
    let budget: RunBudget
    let clock: RunClock
    /// How long one post may take: the Slack client's request timeout.
    let requestTimeout: Duration
    let logger: Logger

    /// True when a post may start now. Otherwise logs `posts_deferred` (`kind`, how many wait) and
    /// returns false; time only runs out, so the caller posts nothing more in this run.
    func allowsPost(_ kind: String, waiting: Int) -> Bool {
        let elapsed = clock.elapsed()
        guard !budget.leavesTimeForPost(at: elapsed, requestTimeout: requestTimeout) else { return true }
        logger.notice("posts_deferred", metadata: [
            "kind": "\(kind)", "waiting": .int(waiting),
            "budget_left_ms": .int(((budget.total ?? elapsed) - elapsed).milliseconds),
            "reason": "too little of the run's budget is left for a Slack post to finish; the next run sends it",
        ])
        return false
    }
}
