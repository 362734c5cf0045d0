#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization
import TestSupport

/// A bare HTTP/1.1 server on a POSIX socket (127.0.0.1, ephemeral port), for a fault the FlyingFox
/// server cannot play: a kept-alive connection that dies after reading a request.
///
/// GETs get a keep-alive `200 {"ok":true}`. The first POST is read in full and the connection is then closed
/// without an answer; any later POST gets a 200. So a client that silently re-sends the POST sees a clean
/// 200 while `postsReceived` says 2.
final class DroppingPostServer: Sendable {
    let port: UInt16
    private let listener: Int32
    private let counts = Mutex(Counts())

    private struct Counts {
        var posts = 0
        var connections = 0
    }

    /// POST requests read so far, on any connection.
    var postsReceived: Int { counts.withLock { $0.posts } }
    /// Connections accepted so far.
    var connectionsAccepted: Int { counts.withLock { $0.connections } }

    init() {
        do {
            (listener, port) = try LoopbackSocket.bound(listening: 8)
        } catch {
            preconditionFailure("\(error)")
        }
        Thread { [self] in acceptLoop() }.start()
    }

    /// Stops accepting (wakes the blocked `accept`); open connections end when the client closes them.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            // A stuck client must not hang the test forever.
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            counts.withLock { $0.connections += 1 }
            Thread { [self] in serve(connection) }.start()
        }
    }

    /// Answers requests on one connection until the client closes it or the POST fault closes it.
    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var buffer: [UInt8] = []
        while let method = readRequest(connection, buffer: &buffer) {
            if method == "POST" {
                let isFirst = counts.withLock { counts in
                    counts.posts += 1
                    return counts.posts == 1
                }
                if isFirst { return }
            }
            let answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}"
            let sent = answer.utf8CString.withUnsafeBufferPointer { bytes in
                send(connection, bytes.baseAddress, bytes.count - 1, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { return }
        }
    }

    /// Reads one request (head and Content-Length body) and returns its method, or nil at end of stream.
    private func readRequest(_ connection: Int32, buffer: inout [UInt8]) -> String? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while true {
            if headEnd == nil, let range = buffer.firstRange(of: separator) {
                headEnd = range.upperBound
            }
            if let end = headEnd {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                let total = end + Self.contentLength(head)
                if buffer.count >= total {
                    buffer.removeFirst(total)
                    return head.split(separator: " ", maxSplits: 1).first.map(String.init)
                }
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer += chunk[..<count]
        }
    }

    private static func contentLength(_ head: String) -> Int {
        for line in head.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                return Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        return 0
    }
}
