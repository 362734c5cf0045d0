internal import FlyingFox
internal import FlyingSocks
import Foundation
import Synchronization

/// A real HTTP server on 127.0.0.1 (FlyingFox, ephemeral port) that plays a fake API for tests.
///
/// Every request is logged (in arrival order), then answered by the first fault injected for its path, if
/// any, else by `handler`. Faults are consumed first in, first out:
///
///     let server = try await LoopbackServer.start { request in .json(["ok": true]) }
///     defer { Task { await server.stop() } }   // or `await server.stop()` at the end of the test
///     server.inject(.status(429, headers: ["Retry-After": "1"]), path: "/chat.postMessage")
///     server.inject(.closeMidBody, path: "/users.list", times: 2)
///
/// Clients that block (libcurl) must call it through `offloaded { ... }`: the server runs on the
/// cooperative thread pool.
public final class LoopbackServer: Sendable {
    /// "http://127.0.0.1:PORT", without a trailing slash.
    public let baseURL: String
    /// The port the server is bound to.
    public let port: UInt16

    private let server: HTTPServer
    private let running: Task<Void, any Error>
    private let ledger: Ledger

    private init(port: UInt16, server: HTTPServer, running: Task<Void, any Error>, ledger: Ledger) {
        self.baseURL = "http://127.0.0.1:\(port)"
        self.port = port
        self.server = server
        self.running = running
        self.ledger = ledger
    }

    deinit {
        running.cancel()
    }

    /// Starts a server and returns once it accepts connections.
    /// - Parameters:
    ///   - port: The port to bind; 0 (tests) picks a free one, a fixed one suits the sandbox.
    ///   - handler: Answers every request that no injected fault answers.
    public static func start(
        port: UInt16 = 0,
        handler: @escaping @Sendable (FakeRequest) async -> FakeResponse
    ) async throws -> LoopbackServer {
        let ledger = Ledger()
        // Explicitly IPv4: FlyingFox's `.loopback` is ::1, and URLs here say 127.0.0.1.
        let address = try sockaddr_in.inet(ip4: "127.0.0.1", port: port)
        let server = HTTPServer(address: address, timeout: 60, pool: NoDelayPool(), logger: .disabled)
        await server.appendRoute("*") { request in
            try await respond(to: request, ledger: ledger, handler: handler)
        }
        let running = Task { try await server.run() }
        do {
            // Generous: on a loaded 2-core machine the accept loop can take more than the default 5 s to start.
            try await server.waitUntilListening(timeout: 60)
        } catch {
            running.cancel()
            throw error
        }
        guard case .ip4(_, let port)? = await server.listeningAddress else {
            running.cancel()
            throw SocketError.unsupportedAddress
        }
        return LoopbackServer(port: port, server: server, running: running, ledger: ledger)
    }

    /// Stops accepting connections and closes the open ones.
    public func stop() async {
        await server.stop(timeout: 0)
        running.cancel()
    }

    /// Makes the next `times` requests to `path` (without query string) misbehave as `fault` describes.
    /// Faults already queued for the path are played first.
    public func inject(_ fault: Fault, path: String, times: Int = 1) {
        ledger.inject(fault, path: path, times: times)
    }

    /// How long every answer waits before it is sent (zero by default): the latency of a real
    /// service over the internet, for the benchmark's latency profiles. Injected faults wait too.
    public var responseDelay: Duration {
        get { ledger.responseDelay }
        set { ledger.responseDelay = newValue }
    }

    /// Every request received so far, faulted ones included, in arrival order.
    public var requests: [FakeRequest] {
        ledger.requests
    }

    /// Blocks until `count` requests to `path` have arrived, or `timeout` passes; true when they did.
    /// A signal from the server's handler, not a polling loop: call it off the cooperative pool.
    public func waitForRequests(path: String, count: Int, timeout: Duration) -> Bool {
        ledger.waitForRequests(path: path, count: count, timeout: timeout)
    }

    private static func respond(
        to request: HTTPRequest,
        ledger: Ledger,
        handler: @Sendable (FakeRequest) async -> FakeResponse
    ) async throws -> HTTPResponse {
        let fake = FakeRequest(
            method: request.method.rawValue,
            path: request.path,
            query: Dictionary(request.query.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }),
            headers: Dictionary(
                request.headers.map { ($0.key.rawValue.lowercased(), $0.value) },
                uniquingKeysWith: { first, next in "\(first), \(next)" }
            ),
            body: try await request.bodyData,
            clientPort: request.remoteAddress.flatMap { address in
                if case .ip4(_, let port) = address { port } else { nil }
            }
        )
        let fault = ledger.record(fake)
        let delay = ledger.responseDelay
        if delay > .zero { try await Task.sleep(for: delay) }
        switch fault {
        case nil:
            return encode(await handler(fake))
        case .status(let status, let headers, let body):
            return encode(FakeResponse(status: status, headers: headers, body: body))
        case .delay(let duration):
            try await Task.sleep(for: duration)
            return encode(await handler(fake))
        case .closeMidBody:
            let partial = Data(#"{"results": [{"id": "#.utf8)
            return HTTPResponse(
                statusCode: .ok,
                headers: [.contentType: "application/json"],
                body: HTTPBodySequence(from: TruncatedBody(bytes: Array(partial)), count: 4096)
            )
        case .malformedJSON:
            return encode(.json(raw: #"{"results": [{"id": "a1", "name": "#))
        }
    }

    private static func encode(_ response: FakeResponse) -> HTTPResponse {
        var headers = HTTPHeaders()
        for (name, value) in response.headers {
            headers.addValue(value, for: HTTPHeader(name))
        }
        return HTTPResponse(
            statusCode: HTTPStatusCode(response.status, phrase: "Fake"),
            headers: headers,
            body: response.body
        )
    }
}

/// Request log and fault queues, shared between the server's handler and the test.
private final class Ledger: Sendable {
    private struct State {
        var faults: [String: [Fault]] = [:]
        var requests: [FakeRequest] = []
        var responseDelay: Duration = .zero
    }

    private let state = Mutex(State())
    /// Broadcast after every request is logged, for `waitForRequests`.
    private let arrivals = NSCondition()

    func inject(_ fault: Fault, path: String, times: Int) {
        state.withLock { $0.faults[path, default: []] += Array(repeating: fault, count: times) }
    }

    var requests: [FakeRequest] {
        state.withLock { $0.requests }
    }

    var responseDelay: Duration {
        get { state.withLock { $0.responseDelay } }
        set { state.withLock { $0.responseDelay = newValue } }
    }

    /// Logs the request and takes the next fault queued for its path, if any.
    func record(_ request: FakeRequest) -> Fault? {
        let fault: Fault? = state.withLock { state in
            state.requests.append(request)
            guard var queue = state.faults[request.path], !queue.isEmpty else { return nil }
            let fault = queue.removeFirst()
            state.faults[request.path] = queue
            return fault
        }
        arrivals.lock()
        arrivals.broadcast()
        arrivals.unlock()
        return fault
    }

    func waitForRequests(path: String, count: Int, timeout: Duration) -> Bool {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        func arrived() -> Bool { state.withLock { state in state.requests.count { $0.path == path } >= count } }
        arrivals.lock()
        defer { arrivals.unlock() }
        while !arrived() {
            guard arrivals.wait(until: deadline) else { return arrived() }
        }
        return true
    }
}

/// A body that yields its bytes once and then fails, so FlyingFox stops mid-response and closes the
/// connection (the declared Content-Length is larger than what was sent).
private struct TruncatedBody: AsyncBufferedSequence {
    typealias Element = UInt8

    let bytes: [UInt8]

    func makeAsyncIterator() -> Iterator {
        Iterator(bytes: bytes)
    }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var bytes: [UInt8]?

        mutating func next() async throws -> UInt8? {
            try await nextBuffer(suggested: 1)?.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            guard let remaining = bytes, !remaining.isEmpty else { throw SocketError.disconnected }
            let chunk = Array(remaining.prefix(count))
            bytes = Array(remaining.dropFirst(count))
            return chunk
        }
    }
}

/// FlyingFox's default socket pool, switching off Nagle's algorithm on every socket it parks: the listening
/// socket (whose setting accepted sockets inherit on Linux) and each connection waiting for a request.
/// FlyingFox writes a response's headers and body separately; with Nagle on, the body waits for the client's
/// delayed ACK, adding about 40 ms to every request.
private struct NoDelayPool: AsyncSocketPool {
    private let base: any AsyncSocketPool = HTTPServer.defaultPool()

    func prepare() async throws {
        try await base.prepare()
    }

    func run() async throws {
        try await base.run()
    }

    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        try? socket.setValue(true, for: BoolSocketOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY))
        try await base.suspendSocket(socket, untilReadyFor: events)
    }
}
