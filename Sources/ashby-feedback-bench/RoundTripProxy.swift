import Foundation
import TestSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP proxy that holds every chunk of bytes for `delay` before passing it on, in each
/// direction: put in front of PostgreSQL it turns a loopback round trip into one to a managed database
/// nearby (1 ms each way ≈ another zone). Bytes keep their order; a chunk read at `t` is written at
/// `t + delay`, so a stream of chunks is delayed, not throttled.
///
/// Threads, not tasks: it sits between two blocking processes and must not wait on the cooperative pool.
final class RoundTripProxy: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The port the proxy listens on (127.0.0.1).
    let port: UInt16
    private let listener: Int32

    /// Listens on a free loopback port and forwards every connection to `127.0.0.1:upstreamPort`.
    init(upstreamPort: UInt16, delay: Duration) throws {
        let (fd, port) = try LoopbackSocket.bound(listening: 64)
        self.port = port
        listener = fd
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                var on: Int32 = 1
                setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
                guard let server = try? LoopbackSocket.connect(port: upstreamPort) else {
                    close(client)
                    continue
                }
                Self.pump(from: client, to: server, delay: delay)
                Self.pump(from: server, to: client, delay: delay)
            }
        }
    }

    /// Stops accepting connections (open ones end when either side closes).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// `url` (a `postgresql://user@127.0.0.1:PORT/db` URI) pointed at the proxy instead.
    func rewrite(_ url: String, upstreamPort: UInt16) -> String {
        url.replacingOccurrences(of: "127.0.0.1:\(upstreamPort)", with: "127.0.0.1:\(port)")
    }

    /// The port of a `postgresql://…@127.0.0.1:PORT/…` URI.
    static func port(of url: String) throws -> UInt16 {
        guard let host = url.range(of: "@127.0.0.1:") else { throw Failure(description: "the database URL is not on 127.0.0.1") }
        let digits = url[host.upperBound...].prefix { $0.isNumber }
        guard let port = UInt16(digits) else { throw Failure(description: "the database URL has no port") }
        return port
    }

    /// One direction: a reader thread stamps each chunk with when it may go out, a writer thread
    /// sends it then. Either side closing ends both.
    private static func pump(from source: Int32, to sink: Int32, delay: Duration) {
        let queue = DelayQueue()
        Thread.detachNewThread {
            preferToRun()
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let received = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
                if received <= 0 {
                    queue.push(nil, due: .now + delay)
                    return
                }
                queue.push(Array(buffer[..<received]), due: .now + delay)
            }
        }
        Thread.detachNewThread {
            defer {
                shutdown(sink, Int32(SHUT_WR))
                shutdown(source, Int32(SHUT_RD))
            }
            preferToRun()
            while true {
                let (chunk, due) = queue.pop()
                let wait = ContinuousClock.now.duration(to: due)
                if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.components.attoseconds) / 1e18 + Double(wait.components.seconds)) }
                guard let chunk else { return }
                var offset = 0
                while offset < chunk.count {
                    let sent = chunk.withUnsafeBytes { send(sink, $0.baseAddress! + offset, chunk.count - offset, Int32(MSG_NOSIGNAL)) }
                    guard sent > 0 else { return }
                    offset += sent
                }
            }
        }
    }

    /// Puts the calling thread ahead of ordinary ones (real-time round-robin) where the benchmark may:
    /// a backfill that keeps every core busy would otherwise delay the proxy's wake-ups by milliseconds,
    /// adding latency that a real network does not, and more of it the better the job uses the cores.
    /// Without the privilege (not root) the thread keeps its normal priority.
    private static func preferToRun() {
        var parameters = sched_param()
        parameters.sched_priority = 10
        _ = pthread_setschedparam(pthread_self(), SCHED_RR, &parameters)
    }

    /// Chunks waiting for their time, first in first out; nil marks the end of the stream.
    private final class DelayQueue: Sendable {
        private let state = Mutex<[(chunk: [UInt8]?, due: ContinuousClock.Instant)]>([])
        private let available = DispatchSemaphore(value: 0)

        func push(_ chunk: [UInt8]?, due: ContinuousClock.Instant) {
            state.withLock { $0.append((chunk, due)) }
            available.signal()
        }

        func pop() -> (chunk: [UInt8]?, due: ContinuousClock.Instant) {
            available.wait()
            return state.withLock { $0.removeFirst() }
        }
    }
}
