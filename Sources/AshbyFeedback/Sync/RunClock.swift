import Foundation

/// The run's sense of time, injected so tests fix it instead of sleeping.
///
/// `now` is the wall clock every comparison with stored times uses (reminder windows, cadences, the
/// claim's "not started yet" check) and is passed to SQL as a parameter, never taken from the
/// database's `now()`. `elapsed` is monotonic time since the run started, for the run budget.
public struct RunClock: Sendable {
    public var now: @Sendable () -> Date
    public var elapsed: @Sendable () -> Duration

    public init(now: @escaping @Sendable () -> Date, elapsed: @escaping @Sendable () -> Duration) {
        self.now = now
        self.elapsed = elapsed
    }

    /// The real clocks, `elapsed` counting from this call.
    public static func system() -> RunClock {
        let start = ContinuousClock.now
        return RunClock(now: Date.init, elapsed: { start.duration(to: .now) })
    }

    /// A fixed wall-clock time with real elapsed time (tests that fix the date only).
    public static func fixed(_ date: Date) -> RunClock {
        let start = ContinuousClock.now
        return RunClock(now: { date }, elapsed: { start.duration(to: .now) })
    }
}
