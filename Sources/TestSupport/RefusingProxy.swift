#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// An HTTP proxy on 127.0.0.1 that refuses every tunnel: each `CONNECT` is answered `407 Proxy
/// Authentication Required` and the connection closed — what a client behind a proxy it has no
/// credentials for meets. Point `https_proxy` at `url` (libcurl reads it from the environment).
public final class RefusingProxy: Sendable {
    public let port: UInt16
    /// `http://127.0.0.1:<port>`.
    public var url: String { "http://127.0.0.1:\(port)" }
    private let listener: Int32
    private let received = Mutex<[String]>([])

    /// The request lines received so far, e.g. `CONNECT slack.example:443 HTTP/1.1`.
    public var requestLines: [String] { received.withLock { $0 } }

    public init() throws {
        (listener, port) = try LoopbackSocket.bound(listening: 16)
        Thread { [self] in acceptLoop() }.start()
    }

    /// Stops accepting (wakes the blocked `accept`).
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            refuse(connection)
        }
    }

    /// Reads the request head, answers 407 and closes.
    private func refuse(_ connection: Int32) {
        defer { close(connection) }
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while head.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { return }
            head += chunk[..<count]
        }
        let line = String(decoding: head, as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? ""
        received.withLock { $0.append(line) }
        let answer = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"proxy\"\r\n"
            + "Content-Length: 0\r\nConnection: close\r\n\r\n"
        _ = answer.utf8CString.withUnsafeBufferPointer { bytes in
            send(connection, bytes.baseAddress, bytes.count - 1, Int32(MSG_NOSIGNAL))
        }
    }
}
