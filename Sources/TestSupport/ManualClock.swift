public import CurlHTTP
import Synchronization

/// A monotonic clock moved only by hand or by sleeping on it, for tests of retry waits and deadlines.
///
/// As an `HTTPClient`'s sleeper it records each requested wait and advances by it without blocking; as the
/// clock of a `Deadline` it lets a test say how much of the budget is left:
///
///     let clock = ManualClock()
///     let client = HTTPClient(deadline: Deadline(budget: .seconds(5), clock: clock), sleeper: clock, logger: logger)
///     // ... a 429 with Retry-After: 7 gives up at once: clock.sleeps == []
public final class ManualClock: MonotonicClock, Sleeper, Sendable {
    private struct State {
        var now: Duration = .zero
        var sleeps: [Duration] = []
    }

    private let state = Mutex(State())

    public init() {}

    public var now: Duration {
        state.withLock { $0.now }
    }

    /// Every wait requested through `sleep(for:)`, in order.
    public var sleeps: [Duration] {
        state.withLock { $0.sleeps }
    }

    /// Moves the clock forward (the time a slow request or a step took).
    public func advance(by duration: Duration) {
        state.withLock { $0.now += duration }
    }

    /// Records the wait and advances the clock by it; returns at once.
    public func sleep(for duration: Duration) {
        state.withLock { state in
            state.sleeps.append(duration)
            state.now += duration
        }
    }
}
