import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The least an HTTP client can do: one kept-alive TCP connection to 127.0.0.1, a request written in one
/// `send`, a response read up to its `Content-Length`. No parsing beyond that, no retries. The baseline
/// fetches with it so the limit is the fakes' own cost, not a client's.
///
/// Blocking: call it off the cooperative pool (`offloaded`), since the fakes answer on that pool.
final class LoopbackHTTPConnection {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let port: UInt16
    private let socket: Int32
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 256 * 1024)

    init(port: UInt16) throws {
        self.port = port
        socket = try LoopbackSocket.connect(port: port)
    }

    deinit {
        close(socket)
    }

    /// Sends one request and returns the response body; throws unless the status is 200.
    func send(method: String, target: String, headers: [(String, String)], body: Data = Data()) throws -> Data {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try write(Data(head.utf8) + body)

        let headerEnd = try readHeaders()
        let headerText = String(decoding: buffer[..<headerEnd], as: UTF8.self)
        buffer.removeFirst(headerEnd + 4)
        let lines = headerText.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.split(separator: " ").dropFirst().first == "200" else {
            throw Failure(description: "\(target): \(lines.first ?? "no status line")")
        }
        guard let lengthLine = lines.first(where: { $0.lowercased().hasPrefix("content-length:") }),
              let length = Int(lengthLine.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        else { throw Failure(description: "\(target): response without Content-Length") }
        while buffer.count < length { try fill() }
        let payload = Data(buffer[..<length])
        buffer.removeFirst(length)
        return payload
    }

    private func write(_ data: Data) throws {
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = Glibc.send(socket, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard sent > 0 else { throw Failure(description: "send: errno \(errno)") }
                offset += sent
            }
        }
    }

    /// Reads until the buffer holds a complete header block; returns where its blank line starts.
    private func readHeaders() throws -> Int {
        let separator: [UInt8] = [13, 10, 13, 10]
        var searchFrom = 0
        while true {
            if buffer.count >= 4 {
                for index in searchFrom...(buffer.count - 4) where buffer[index..<index + 4].elementsEqual(separator) {
                    return index
                }
                searchFrom = buffer.count - 3
            }
            try fill()
        }
    }

    private func fill() throws {
        let received = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard received > 0 else { throw Failure(description: "connection closed by the server") }
        buffer.append(contentsOf: chunk[..<received])
    }
}
