import Foundation

/// Waits between attempts. `HTTPClient` asks its sleeper for every retry wait, so tests can pass one that
/// records the requested delays instead of sleeping.
public protocol Sleeper {
    /// Blocks the calling thread for `duration` (or, in a test, records it and returns).
    func sleep(for duration: Duration)
}

/// The real sleeper: blocks the calling thread.
public struct ThreadSleeper: Sleeper {
    public init() {}

    public func sleep(for duration: Duration) {
        guard duration > .zero else { return }
        Thread.sleep(forTimeInterval: duration.inSeconds)
    }
}
