import CurlHTTP
import Foundation
import Synchronization

/// A fake Ashby API on a `LoopbackServer`, speaking Ashby's wire format with real sync-token semantics.
///
/// Tests put data in with `upsertSchedule`/`upsertInterview`/`upsertForm`/`upsertFeedback`/`setApplication`
/// (JSON from `AshbyFixtures`, changed at will) and `setCandidate`, then point a client at `baseURL`:
///
///     let ashby = try await FakeAshby.start(pageSize: 2)
///     ashby.upsertSchedule(AshbyFixtures.schedule(events: [...]))
///     ashby.expireSyncTokens(code: "sync_token_expired")
///     ashby.server.inject(.status(429, headers: ["Retry-After": "1"]), path: "/interviewSchedule.list")
///
/// Every upsert stamps the record with the next change sequence number. A full pass returns every record in
/// insertion order; an incremental pass (with a `syncToken`) only those changed since the token's pass
/// began; the last page carries a new token. Each pass is a snapshot taken at its first page, so writes made
/// while a client pages show up in its next incremental pass. Cursors and tokens are opaque strings.
///
/// Failure modes: `expireSyncTokens(code:)`, `expireCursors(code:)`, `maxIncrementalPages`,
/// `denyPermission(endpoint:shape:status:)` (every body shape seen for `missing_endpoint_permission`),
/// `rateLimit(endpoint:requests:per:retryAfter:clock:)` (429 with Ashby's documented envelope),
/// `setVersionStatus(_:for:)` (a deprecated or removed API version), a missing (401) or wrong (403) API
/// key, malformed requests (`invalid_input`), and any `Fault` injected on `server` (paths look like
/// "/interviewSchedule.list"; a fault's answer carries none of the headers below).
///
/// The fake holds every request to the documented contract, so every test checks the product's requests:
/// Basic auth, a JSON content type, an `Ashby-Version` header (Ashby itself falls back to the key's default
/// version without one; the product must pin it), and only the body keys the endpoint documents
/// (`AshbyDocumentedParameters`). A list request carrying both `syncToken` and `cursor` is refused too:
/// Ashby documents the token on a pass's first request and the cursor alone after it, never the two
/// together. Each such refusal (`invalid_input`, a removed version) is also kept in `refusals`.
///
/// Every answer of the handler carries `x-ashby-request-id`, `Ashby-Version` (the version asked for) and
/// `Ashby-Version-Status` (`active` unless set), as Ashby's responses do.
///
/// Built for volume (tens of thousands of schedules): each record is serialized once per upsert and pages
/// are spliced from those bytes.
public final class FakeAshby: Sendable {
    /// The underlying server: inject faults and read the request log here.
    public let server: LoopbackServer
    public let apiKey: String
    private let backend: Backend

    /// "http://127.0.0.1:PORT": pass it to the client as Ashby's base URL.
    public var baseURL: String { server.baseURL }

    private init(server: LoopbackServer, apiKey: String, backend: Backend) {
        self.server = server
        self.apiKey = apiKey
        self.backend = backend
    }

    /// Starts an empty fake. `pageSize` caps every page (a client's `limit` can only lower it); `port` 0
    /// picks a free one.
    public static func start(
        apiKey: String = "test-ashby-key", pageSize: Int = 100, port: UInt16 = 0
    ) async throws -> FakeAshby {
        let backend = Backend(apiKey: apiKey, pageSize: pageSize)
        let server = try await LoopbackServer.start(port: port) { request in backend.handle(request) }
        return FakeAshby(server: server, apiKey: apiKey, backend: backend)
    }

    public func stop() async {
        await server.stop()
    }

    // MARK: Settings

    /// The largest page served; a request's `limit` may ask for fewer.
    public var pageSize: Int {
        get { backend.state.withLock { $0.pageSize } }
        set { backend.state.withLock { $0.pageSize = max(1, newValue) } }
    }

    /// An incremental pass needing more pages than this fails with `incremental_sync_too_large`; nil = no cap.
    public var maxIncrementalPages: Int? {
        get { backend.state.withLock { $0.maxIncrementalPages } }
        set { backend.state.withLock { $0.maxIncrementalPages = newValue } }
    }

    /// The API version the fake's key defaults to (what a response names when asked for none).
    public static let defaultVersion = "2026-01-01"

    /// The lifecycle status the fake reports for `version` in `Ashby-Version-Status` (`active` until set):
    /// `deprecated`, `unsupported`, … are reported and served; `removed` refuses every request naming it
    /// (HTTP 400 `api_version_removed`: Ashby documents the refusal, not its body).
    public func setVersionStatus(_ status: String, for version: String = FakeAshby.defaultVersion) {
        backend.state.withLock { $0.versionStatuses[version] = status }
    }

    // MARK: Data

    /// Adds or replaces a schedule (matched by its `id`) and marks it changed.
    public func upsertSchedule(_ schedule: JSONValue) {
        upsertSchedules([schedule])
    }

    /// Adds or replaces many schedules under one lock (for large synthetic tenants).
    public func upsertSchedules(_ schedules: [JSONValue]) {
        backend.state.withLock { state in
            for schedule in schedules { state.upsert(schedule, into: \.schedules) }
        }
    }

    /// Adds or replaces an interview definition. One with a `jobId` counts as non-shared, so `interview.list`
    /// returns it only with `includeNonSharedInterviews`; `isArchived: true` needs `includeArchived`.
    public func upsertInterview(_ interview: JSONValue) {
        backend.state.withLock { $0.upsert(interview, into: \.interviews) }
    }

    /// Adds or replaces a feedback form definition; archived ones need `includeArchived`.
    public func upsertForm(_ form: JSONValue) {
        backend.state.withLock { $0.upsert(form, into: \.forms) }
    }

    /// Adds or replaces a submitted feedback (`applicationFeedback.list`, e.g. `AshbyFixtures.feedback`)
    /// and marks it changed.
    public func upsertFeedback(_ feedback: JSONValue) {
        backend.state.withLock { $0.upsert(feedback, into: \.feedback) }
    }

    /// The stored schedule with this id, as last upserted.
    public func schedule(id: String) -> JSONValue? {
        backend.state.withLock { $0.schedules.value(id: id) }
    }

    /// Changes a stored schedule in place and marks it changed (so incremental passes return it).
    /// Returns false when no schedule has this id.
    @discardableResult
    public func modifySchedule(id: String, _ change: (inout JSONValue) -> Void) -> Bool {
        backend.state.withLock { state in
            guard var schedule = state.schedules.value(id: id) else { return false }
            change(&schedule)
            state.upsert(schedule, into: \.schedules)
            return true
        }
    }

    /// Moves a stored schedule to `status` (one of `AshbyFixtures.scheduleStatuses`, or any other string),
    /// as Ashby does along a loop's life: `Scheduled`, `WaitingOnFeedback` once an interview is over,
    /// `Complete`, or `Cancelled`/`OnHold`. Its `updatedAt` moves to `updatedAt` when given; it is marked
    /// changed either way. Returns false when no schedule has this id.
    @discardableResult
    public func setScheduleStatus(id: String, _ status: String, updatedAt: Date? = nil) -> Bool {
        modifySchedule(id: id) { schedule in
            schedule["status"] = .string(status)
            if let updatedAt { schedule["updatedAt"] = .string(AshbyFixtures.timestamp(updatedAt)) }
        }
    }

    /// Deletes a schedule outright, as Ashby does without a tombstone: incremental passes never mention
    /// it again, only a full pass shows it is gone. Returns false when no schedule has this id.
    @discardableResult
    public func deleteSchedule(id: String) -> Bool {
        backend.state.withLock { state in
            guard let position = state.schedules.positions.removeValue(forKey: id) else { return false }
            state.schedules.items.remove(at: position)
            for (key, index) in state.schedules.positions where index > position {
                state.schedules.positions[key] = index - 1
            }
            return true
        }
    }

    /// Drops one event from a schedule's `interviewEvents` (how Ashby shows a cancelled or moved interview).
    @discardableResult
    public func removeEventFromSchedule(scheduleId: String, eventId: String) -> Bool {
        modifySchedule(id: scheduleId) { schedule in
            let events = schedule["interviewEvents"]?.arrayValue ?? []
            schedule["interviewEvents"] = .array(events.filter { $0["id"]?.stringValue != eventId })
        }
    }

    /// Adds or replaces an application (an item of `application.list`, and what `application.info` answers
    /// for it, e.g. `AshbyFixtures.application`: a new `status` is how a candidate is archived or hired)
    /// and marks it changed. Its candidate also
    /// answers `candidate.info` (name and `profileUrl`, as `AshbyFixtures.candidate` builds it) unless
    /// one was set.
    public func setApplication(_ application: JSONValue) {
        setApplications([application])
    }

    /// Adds or replaces many applications under one lock (for large synthetic tenants).
    public func setApplications(_ applications: [JSONValue]) {
        backend.state.withLock { state in
            for application in applications {
                state.upsert(application, into: \.applications)
                guard let candidate = application["candidate"], let id = candidate["id"]?.stringValue,
                      state.candidates[id] == nil else { continue }
                state.candidates[id] = AshbyFixtures.candidate(
                    id: id, name: candidate["name"]?.stringValue ?? "Casey Candidate").jsonData
            }
        }
    }

    /// The stored application with this id, as last set.
    public func application(id: String) -> JSONValue? {
        backend.state.withLock { $0.applications.value(id: id) }
    }

    /// The answer `candidate.info` gives for this candidate's `id`.
    public func setCandidate(_ candidate: JSONValue) {
        backend.state.withLock { $0.candidates[Self.requireID(candidate)] = candidate.jsonData }
    }

    // MARK: Failures

    /// Every sync token issued so far fails with `code` when presented again (`sync_token_expired`,
    /// `sync_token_invalid`, `incremental_sync_too_large`); tokens issued later work.
    public func expireSyncTokens(code: String = "sync_token_expired") {
        backend.state.withLock { state in
            for token in state.tokens.keys { state.tokens[token]?.failure = code }
        }
    }

    /// Every cursor issued so far fails with `code` when presented again (`next_cursor_expired`,
    /// `invalid_next_cursor`); cursors of passes started later work.
    public func expireCursors(code: String = "next_cursor_expired") {
        backend.state.withLock { state in
            for cursor in state.cursors.keys { state.cursors[cursor]?.failure = code }
        }
    }

    /// Answers every call to `endpoint` (e.g. "application.list") with `missing_endpoint_permission`, in the body
    /// `shape` (Ashby's documented envelope by default) and with HTTP `status` (403, or 200 as Ashby sends
    /// many errors).
    public func denyPermission(endpoint: String, shape: PermissionDenial = .errorInfo, status: Int = 403) {
        backend.state.withLock { $0.deniedEndpoints[endpoint] = Denial(shape: shape, status: status) }
    }

    /// Undoes `denyPermission(endpoint:)`: the key has the permission again.
    public func grantPermission(endpoint: String) {
        backend.state.withLock { _ = $0.deniedEndpoints.removeValue(forKey: endpoint) }
    }

    /// Rate-limits `endpoint` on its own: at most `requests` answered in any `window` (measured on `clock`;
    /// tests pass the `ManualClock` their client sleeps on), every request beyond them answered HTTP 429
    /// with Ashby's documented envelope (`errors: ["Rate limit exceeded"]`, `errorInfo.code`
    /// `rate_limit_exceeded`) and, when given, a `Retry-After` header in whole seconds. Refused requests do
    /// not count against the window. Replaces an earlier limit on the endpoint; nil `requests` lifts it.
    public func rateLimit(
        endpoint: String, requests: Int?, per window: Duration = .seconds(60), retryAfter: Duration? = nil,
        clock: any MonotonicClock = SystemMonotonicClock()
    ) {
        backend.state.withLock { state in
            state.rateLimits[endpoint] = requests.map {
                RateLimit(requests: max($0, 0), window: window, retryAfter: retryAfter, clock: clock)
            }
        }
    }

    // MARK: Inspection

    /// Requests received for an endpoint, given as "interviewSchedule.list" or "/interviewSchedule.list".
    /// Blocks until `count` requests to `path` have arrived (a signal, not polling), or `timeout` passes.
    public func waitForRequests(path: String, count: Int, timeout: Duration = .seconds(10)) -> Bool {
        server.waitForRequests(path: path.hasPrefix("/") ? path : "/" + path, count: count, timeout: timeout)
    }

    public func requestCount(path: String) -> Int {
        let path = path.hasPrefix("/") ? path : "/" + path
        return server.requests.reduce(0) { $0 + ($1.path == path ? 1 : 0) }
    }

    /// The requests the fake refused for breaking the documented contract (`invalid_input`, a removed
    /// API version), oldest first: empty when the product asked only for what Ashby documents.
    public var refusals: [Refusal] {
        backend.state.withLock { $0.refusals }
    }

    /// One refused request: its endpoint, the error code and the fake's explanation.
    public struct Refusal: Sendable, Equatable, CustomStringConvertible {
        public var endpoint: String
        public var code: String
        public var message: String

        public var description: String { "\(endpoint): \(code): \(message)" }
    }

    /// Requests to an endpoint answered 429 by `rateLimit(endpoint:…)`.
    public func rateLimitedCount(endpoint: String) -> Int {
        backend.state.withLock { $0.rateLimited[endpoint, default: 0] }
    }

    /// The JSON bodies sent to an endpoint, in order (to check what the client asked for).
    public func requestBodies(path: String) -> [JSONValue] {
        let path = path.hasPrefix("/") ? path : "/" + path
        return server.requests.filter { $0.path == path }.map { (try? JSONValue(parsing: $0.body)) ?? .null }
    }

    private static func requireID(_ record: JSONValue) -> String {
        guard let id = record["id"]?.stringValue else { preconditionFailure("FakeAshby: record without a string id") }
        return id
    }
}

// MARK: - Server side

extension FakeAshby {
    /// The mutable state and the request handler, shared between the test's thread and the server's tasks.
    private final class Backend: Sendable {
        let apiKey: String
        let state: Mutex<State>

        init(apiKey: String, pageSize: Int) {
            self.apiKey = apiKey
            self.state = Mutex(State(pageSize: max(1, pageSize)))
        }

        func handle(_ request: FakeRequest) -> FakeResponse {
            state.withLock { state in
                state.requestSequence += 1
                let version = request.header(AshbyHeaders.version) ?? FakeAshby.defaultVersion
                let reply = Reply(requestId: "req-\(state.requestSequence)", version: version)
                var response = reply.answer(request, apiKey: apiKey, state: &state)
                response.headers[AshbyHeaders.version] = version
                response.headers[AshbyHeaders.versionStatus] = state.versionStatuses[version] ?? "active"
                return response
            }
        }
    }

    /// One stored record: its JSON (for in-place changes), its bytes, and when it last changed.
    private struct Record {
        var value: JSONValue
        var data: Data
        var sequence: Int
        var isArchived: Bool
        var isJobSpecific: Bool
    }

    /// Records of one kind in insertion order, indexed by id.
    private struct Records {
        var items: [Record] = []
        var positions: [String: Int] = [:]

        func value(id: String) -> JSONValue? {
            positions[id].map { items[$0].value }
        }
    }

    private struct Token {
        var endpoint: String
        /// Records changed after this sequence number are "changed since the token".
        var sequence: Int
        var failure: String?
    }

    private struct Cursor {
        var pass: Int
        var offset: Int
        var failure: String?
    }

    /// How `denyPermission` answers.
    private struct Denial {
        var shape: PermissionDenial
        var status: Int
    }

    /// One endpoint's own rate limit: the instants of the requests answered within the current window.
    private struct RateLimit {
        var requests: Int
        var window: Duration
        var retryAfter: Duration?
        var clock: any MonotonicClock
        var answered: [Duration] = []

        /// Counts the request in when the window has room; false means answer 429.
        mutating func admit() -> Bool {
            let now = clock.now
            answered.removeAll { $0 <= now - window }
            guard answered.count < requests else { return false }
            answered.append(now)
            return true
        }
    }

    /// A pass's snapshot of item bytes, taken on its first page.
    private struct Pass {
        var endpoint: String
        var items: [Data]
        var sequence: Int
        var cursors: [String] = []
    }

    private struct State {
        var pageSize: Int
        var maxIncrementalPages: Int?
        var sequence = 0
        var requestSequence = 0
        var schedules = Records()
        var interviews = Records()
        var forms = Records()
        var feedback = Records()
        var applications = Records()
        var candidates: [String: Data] = [:]
        var tokens: [String: Token] = [:]
        var cursors: [String: Cursor] = [:]
        var passes: [Int: Pass] = [:]
        var passSequence = 0
        var deniedEndpoints: [String: Denial] = [:]
        var rateLimits: [String: RateLimit] = [:]
        var rateLimited: [String: Int] = [:]
        var versionStatuses: [String: String] = [:]
        var refusals: [Refusal] = []

        /// Passes kept for paging; older ones (abandoned by their clients) are dropped with their cursors.
        static let retainedPasses = 32

        mutating func upsert(_ value: JSONValue, into keyPath: WritableKeyPath<State, Records>) {
            guard let id = value["id"]?.stringValue else {
                preconditionFailure("FakeAshby: record without a string id")
            }
            sequence += 1
            let record = Record(
                value: value, data: value.jsonData, sequence: sequence,
                isArchived: value["isArchived"]?.boolValue == true,
                isJobSpecific: value["jobId"]?.stringValue != nil)
            if let position = self[keyPath: keyPath].positions[id] {
                self[keyPath: keyPath].items[position] = record
            } else {
                self[keyPath: keyPath].positions[id] = self[keyPath: keyPath].items.count
                self[keyPath: keyPath].items.append(record)
            }
        }

        mutating func startPass(endpoint: String, items: [Data]) -> Int {
            passSequence += 1
            passes[passSequence] = Pass(endpoint: endpoint, items: items, sequence: sequence)
            if let expired = passes.removeValue(forKey: passSequence - Self.retainedPasses) {
                for cursor in expired.cursors { cursors[cursor] = nil }
            }
            return passSequence
        }

        mutating func issueCursor(pass: Int, offset: Int) -> String {
            let cursor = Self.opaqueString()
            cursors[cursor] = Cursor(pass: pass, offset: offset)
            passes[pass]?.cursors.append(cursor)
            return cursor
        }

        mutating func issueToken(endpoint: String, sequence: Int) -> String {
            let token = Self.opaqueString()
            tokens[token] = Token(endpoint: endpoint, sequence: sequence)
            return token
        }

        private static func opaqueString() -> String {
            String(UInt64.random(in: 1 << 40..<UInt64.max), radix: 36)
        }
    }

    /// Header names of Ashby's versioning (spelled as `AshbyAPIVersion` does in the product).
    private enum AshbyHeaders {
        static let version = "Ashby-Version"
        static let versionStatus = "Ashby-Version-Status"
    }

    /// Builds the answer to one request (the request id goes into headers and error envelopes).
    private struct Reply {
        let requestId: String
        /// The API version the request named (or the key's default).
        let version: String

        private static let listEndpoints: Set = [
            "feedbackFormDefinition.list", "interview.list", "interviewSchedule.list", "applicationFeedback.list",
            "application.list",
        ]

        func answer(_ request: FakeRequest, apiKey: String, state: inout State) -> FakeResponse {
            let endpoint = String(request.path.drop(while: { $0 == "/" }))
            guard request.method == "POST", Self.listEndpoints.contains(endpoint) || Self.infoEndpoints[endpoint] != nil
            else {
                return error("not_found", "No such endpoint: \(endpoint)", status: 404)
            }
            guard let authorization = request.header("authorization"), authorization.hasPrefix("Basic "),
                let decoded = Data(base64Encoded: String(authorization.dropFirst(6))),
                let credentials = String(data: decoded, encoding: .utf8)
            else {
                return FakeResponse.text("Unauthorized: missing API key", status: 401)
                    .with(header: "x-ashby-request-id", requestId)
            }
            guard credentials.split(separator: ":", omittingEmptySubsequences: false).first.map(String.init) == apiKey
            else {
                return error("invalid_credentials", "The API key is not valid", status: 403)
            }
            guard let named = request.header(AshbyHeaders.version) else {
                return refuse(
                    "invalid_input",
                    "no Ashby-Version header: Ashby would answer with the key's default version, whatever it is by then",
                    endpoint: endpoint, state: &state)
            }
            guard state.versionStatuses[named] != "removed" else {
                return refuse(
                    "api_version_removed", "API version \(named) has been removed; name a supported version in Ashby-Version",
                    endpoint: endpoint, status: 400, state: &state)
            }
            if var limit = state.rateLimits[endpoint] {
                let admitted = limit.admit()
                state.rateLimits[endpoint] = limit
                if !admitted {
                    state.rateLimited[endpoint, default: 0] += 1
                    return rateLimited(retryAfter: limit.retryAfter)
                }
            }
            if let denial = state.deniedEndpoints[endpoint] {
                return denied(denial)
            }
            guard request.header("content-type")?.lowercased().hasPrefix("application/json") == true else {
                return refuse("invalid_input", "Content-Type must be application/json", endpoint: endpoint, state: &state)
            }
            guard let body = try? JSONValue(parsing: request.body), case .object(let parameters) = body else {
                return refuse("invalid_input", "Request payload is malformed", endpoint: endpoint, state: &state)
            }
            if let key = parameters.first(where: { $0.value == .null })?.key {
                return refuse("invalid_input", "\(key) must not be null", endpoint: endpoint, state: &state)
            }
            let undocumented = AshbyDocumentedParameters.undocumented(parameters.keys, endpoint: endpoint)
            guard undocumented.isEmpty else {
                return refuse(
                    "invalid_input", "\(endpoint) does not document \(undocumented.joined(separator: ", "))",
                    endpoint: endpoint, state: &state)
            }
            guard let info = Self.infoEndpoints[endpoint] else {
                return list(endpoint, parameters, state: &state)
            }
            guard let id = parameters[info.key]?.stringValue else {
                return refuse("invalid_input", "\(info.key) is required", endpoint: endpoint, state: &state)
            }
            let record: Data? =
                switch endpoint {
                case "interview.info": state.interviews.positions[id].map { state.interviews.items[$0].data }
                case "application.info": state.applications.positions[id].map { state.applications.items[$0].data }
                default: state.candidates[id]
                }
            guard let record else {
                return error(info.notFound, "No record with id \(id)")
            }
            var answer = Data(#"{"success":true,"results":"#.utf8)
            answer.append(record)
            answer.append(UInt8(ascii: "}"))
            return json(answer)
        }

        /// The single-record endpoints served: the key naming the record, and the code when it is unknown.
        private static let infoEndpoints: [String: (key: String, notFound: String)] = [
            "interview.info": ("id", "interview_not_found"),
            "application.info": ("applicationId", "application_not_found"),
            "candidate.info": ("id", "candidate_not_found"),
        ]

        private func list(_ endpoint: String, _ parameters: [String: JSONValue], state: inout State) -> FakeResponse {
            var limit = state.pageSize
            if let requested = parameters["limit"] {
                guard case .number(let value) = requested, value >= 1, value <= 100, value.rounded() == value else {
                    return refuse("invalid_input", "limit must be an integer between 1 and 100", endpoint: endpoint, state: &state)
                }
                limit = min(limit, Int(value))
            }
            if parameters["syncToken"] != nil, parameters["cursor"] != nil {
                return refuse(
                    "invalid_input",
                    "syncToken and cursor sent together: send the sync token with the first page only, then the cursor alone",
                    endpoint: endpoint, state: &state)
            }
            var token: Token?
            if let presented = parameters["syncToken"] {
                guard let text = presented.stringValue, let known = state.tokens[text], known.endpoint == endpoint
                else {
                    return error("sync_token_invalid", "The sync token is not valid for this endpoint")
                }
                if let failure = known.failure {
                    return error(failure, "The sync token can no longer be used. Discard it and run a full sync.")
                }
                token = known
            }

            let passID: Int
            let offset: Int
            if let presented = parameters["cursor"] {
                guard let text = presented.stringValue, let cursor = state.cursors[text],
                    state.passes[cursor.pass]?.endpoint == endpoint
                else {
                    return error("invalid_next_cursor", "The cursor is not valid. Restart pagination.")
                }
                if let failure = cursor.failure {
                    return error(failure, "The cursor can no longer be used. Restart pagination.")
                }
                passID = cursor.pass
                offset = cursor.offset
            } else {
                let items = snapshot(endpoint, parameters, changedAfter: token?.sequence, state: state)
                let pages = (items.count + limit - 1) / limit
                if token != nil, let cap = state.maxIncrementalPages, pages > cap {
                    return error(
                        "incremental_sync_too_large", "Too many changes since the sync token. Run a full sync.")
                }
                passID = state.startPass(endpoint: endpoint, items: items)
                offset = 0
            }

            let pass = state.passes[passID]!
            let end = min(offset + limit, pass.items.count)
            var body = Data(#"{"success":true,"results":["#.utf8)
            for (index, item) in pass.items[offset..<end].enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body.append(item)
            }
            if end < pass.items.count {
                let cursor = state.issueCursor(pass: passID, offset: end)
                body.append(contentsOf: #"],"moreDataAvailable":true,"nextCursor":"\#(cursor)"}"#.utf8)
            } else {
                let newToken = state.issueToken(endpoint: endpoint, sequence: pass.sequence)
                body.append(contentsOf: #"],"moreDataAvailable":false,"syncToken":"\#(newToken)"}"#.utf8)
            }
            return json(body)
        }

        /// The items a new pass returns, honouring the include flags and the token's change sequence.
        private func snapshot(
            _ endpoint: String, _ parameters: [String: JSONValue], changedAfter sequence: Int?, state: State
        ) -> [Data] {
            let includeArchived = parameters["includeArchived"]?.boolValue == true
            let includeNonShared = parameters["includeNonSharedInterviews"]?.boolValue == true
            let records: Records
            switch endpoint {
            case "interview.list": records = state.interviews
            case "feedbackFormDefinition.list": records = state.forms
            case "applicationFeedback.list": records = state.feedback
            case "application.list": records = state.applications
            default: records = state.schedules
            }
            let filtersArchived = ["interview.list", "feedbackFormDefinition.list"].contains(endpoint) && !includeArchived
            let filtersNonShared = endpoint == "interview.list" && !includeNonShared
            let since = sequence ?? 0
            // `createdAfter` is epoch milliseconds and filters on creation time only, as in Ashby.
            var createdAfter: Date?
            if ["interviewSchedule.list", "application.list"].contains(endpoint),
               case .number(let milliseconds)? = parameters["createdAfter"] {
                createdAfter = Date(timeIntervalSince1970: milliseconds / 1000)
            }
            var items: [Data] = []
            items.reserveCapacity(records.items.count)
            for record in records.items
            where record.sequence > since && !(filtersArchived && record.isArchived)
                && !(filtersNonShared && record.isJobSpecific) && Self.created(record, onOrAfter: createdAfter)
                && (endpoint != "application.list" || Self.application(record, matches: parameters))
            {
                items.append(record.data)
            }
            return items
        }

        /// `application.list`'s own filters: `status` (`Active`, `Archived`, `Hired`, `Lead`) and `jobId`.
        /// `expand` adds nothing here: the fake's applications are stored whole.
        private static func application(_ record: Record, matches parameters: [String: JSONValue]) -> Bool {
            if let status = parameters["status"]?.stringValue, record.value["status"]?.stringValue != status { return false }
            if let jobID = parameters["jobId"]?.stringValue, record.value["job"]?["id"]?.stringValue != jobID { return false }
            return true
        }

        private static func created(_ record: Record, onOrAfter cutoff: Date?) -> Bool {
            guard let cutoff else { return true }
            guard let text = record.value["createdAt"]?.stringValue,
                  let created = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            else { return false }
            return created >= cutoff
        }

        private func json(_ body: Data, status: Int = 200) -> FakeResponse {
            FakeResponse(
                status: status, headers: ["Content-Type": "application/json", "x-ashby-request-id": requestId],
                body: body)
        }

        /// Ashby's error envelope (HTTP 200 unless told otherwise, as for most Ashby errors).
        private func error(_ code: String, _ message: String, status: Int = 200) -> FakeResponse {
            let envelope: JSONValue = [
                "success": false, "errors": [.string(code)],
                "errorInfo": ["code": .string(code), "message": .string(message), "requestId": .string(requestId)],
            ]
            return json(envelope.jsonData, status: status)
        }

        /// An error for a request that breaks the documented contract, kept in `refusals`.
        private func refuse(
            _ code: String, _ message: String, endpoint: String, status: Int = 200, state: inout State
        ) -> FakeResponse {
            state.refusals.append(Refusal(endpoint: endpoint, code: code, message: message))
            return error(code, message, status: status)
        }

        /// HTTP 429 with the envelope of Ashby's spec example: human text in `errors`, the code in `errorInfo`.
        private func rateLimited(retryAfter: Duration?) -> FakeResponse {
            let envelope: JSONValue = [
                "success": false, "errors": ["Rate limit exceeded"],
                "errorInfo": [
                    "code": "rate_limit_exceeded", "message": "Rate limit exceeded", "requestId": .string(requestId),
                ],
            ]
            var response = json(envelope.jsonData, status: 429)
            if let retryAfter { response.headers["Retry-After"] = "\(retryAfter.components.seconds)" }
            return response
        }

        /// `missing_endpoint_permission` in the shape and status `denyPermission` asked for.
        private func denied(_ denial: Denial) -> FakeResponse {
            let (envelope, text) = denial.shape.body(requestId: requestId)
            guard let envelope else {
                return FakeResponse.text(text, status: denial.status).with(header: "x-ashby-request-id", requestId)
            }
            return json(envelope.jsonData, status: denial.status)
        }
    }
}

extension FakeResponse {
    fileprivate func with(header name: String, _ value: String) -> FakeResponse {
        var response = self
        response.headers[name] = value
        return response
    }
}
