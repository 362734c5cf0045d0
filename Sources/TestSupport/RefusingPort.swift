#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP port on 127.0.0.1 that is bound but not listening, so every connection to it is refused.
/// Holding the socket keeps the port from being handed to anything else until `deinit`.
public final class RefusingPort: Sendable {
    public let port: UInt16
    private let descriptor: Int32

    public init() {
        do {
            (descriptor, port) = try LoopbackSocket.bound(listening: nil)
        } catch {
            preconditionFailure("\(error)")
        }
    }

    deinit {
        close(descriptor)
    }
}
