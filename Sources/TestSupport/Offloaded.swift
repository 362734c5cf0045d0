import Foundation

/// Runs a blocking closure on a fresh `Thread` and waits for it without holding a cooperative-pool thread.
///
/// libcurl and other blocking calls that talk to an in-process fake server must go through this: the fake
/// server runs on Swift's cooperative pool (two threads on the build machine), so blocking that pool while
/// waiting for the server would deadlock.
///
///     let response = try await offloaded { try client.send(request) }
///
/// - Parameter body: The blocking work. It runs exactly once, on its own thread.
/// - Returns: What `body` returned.
/// - Throws: What `body` threw.
public func offloaded<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.name = "offloaded"
        thread.start()
    }
}

/// A value that is not `Sendable` (a `PostgresConnection`) handed to `offloaded` work: the test
/// promises one thread uses it at a time.
public struct Unchecked<Value>: @unchecked Sendable {
    public let value: Value

    public init(_ value: Value) {
        self.value = value
    }
}
