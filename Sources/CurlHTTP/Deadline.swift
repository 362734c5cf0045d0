/// The moment a run must stop making requests: a budget measured on a monotonic clock from when the
/// deadline was made. One deadline per run, shared by every client of that run.
///
/// `HTTPClient` caps each attempt's total timeout by what remains, gives up at once when a retry wait
/// would pass the deadline, and starts no attempt after it (`HTTPError.Kind.deadlineReached`).
public struct Deadline: Sendable {
    private let clock: any MonotonicClock
    /// Clock reading at which the deadline passes; nil for `never`.
    private let end: Duration?

    /// A deadline `budget` from now on `clock`.
    public init(budget: Duration, clock: any MonotonicClock = SystemMonotonicClock()) {
        self.clock = clock
        self.end = clock.now + budget
    }

    private init(never clock: any MonotonicClock) {
        self.clock = clock
        self.end = nil
    }

    /// A deadline that never passes: the default of every client.
    public static let never = Deadline(never: SystemMonotonicClock())

    /// Time left before the deadline, zero once it has passed; nil for `never`.
    public var remaining: Duration? {
        end.map { max($0 - clock.now, .zero) }
    }

    /// True once no time is left.
    public var hasPassed: Bool {
        remaining == .zero
    }
}
