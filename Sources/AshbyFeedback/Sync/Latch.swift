import Dispatch

/// A one-time signal that any number of threads wait for: once open it stays open (opening it again
/// changes nothing a waiter can tell). What a value set before `open` is published with.
final class Latch: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)

    func open() {
        semaphore.signal()
    }

    /// Blocks until the latch is open.
    func wait() {
        semaphore.wait()
        semaphore.signal()
    }
}
