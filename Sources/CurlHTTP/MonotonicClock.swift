/// A source of monotonic time, as the duration since a fixed origin of the clock's choosing. Injected
/// into `Deadline` so tests can move time by hand.
public protocol MonotonicClock: Sendable {
    var now: Duration { get }
}

/// The system's monotonic clock (`ContinuousClock`), measured from the moment the value was made.
public struct SystemMonotonicClock: MonotonicClock {
    private let origin = ContinuousClock.now

    public init() {}

    public var now: Duration {
        origin.duration(to: .now)
    }
}
