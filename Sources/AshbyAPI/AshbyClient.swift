import CurlHTTP
import Foundation
import Logging

/// Ashby's RPC API over `HTTPClient`: every call is a POST with a JSON body, Basic auth (the API key as
/// user, empty password) and the pinned API version (`Ashby-Version`), answered by an envelope whose
/// `success` is checked even on HTTP 200.
///
/// Synchronous and not thread-safe, like the `HTTPClient` it uses. Retries of 429/5xx/transport failures
/// happen inside `HTTPClient`, 429s paced by `rateLimit`; what reaches the caller is an `AshbyError`.
public final class AshbyClient {
    private let baseURL: String
    private let authorization: String
    private let apiKey: String
    private let http: HTTPClient
    private let logger: Logger
    private let decoder = JSONDecoder()
    /// What the responses said about the version, shared with this client's siblings.
    private let versionWatch: AshbyVersionWatch

    /// How every Ashby endpoint is paced once it answers 429. Ashby documents the 429 but no Retry-After
    /// and no numbers: without the header wait 10 s, and never more than 3 attempts a minute on one endpoint.
    public static let rateLimit = RateLimitPolicy(waitWithoutRetryAfter: .seconds(10), maxAttemptsPerWindow: 3, window: .seconds(60))

    /// - Parameters:
    ///   - baseURL: e.g. `https://api.ashbyhq.com`; a trailing slash is ignored.
    ///   - apiVersion: sent as `Ashby-Version` on every request (`AshbyAPIVersion.isWellFormed`).
    public convenience init(
        baseURL: String, apiKey: String, apiVersion: String = AshbyAPIVersion.pinned, http: HTTPClient, logger: Logger
    ) {
        self.init(
            baseURL: baseURL, apiKey: apiKey, http: http, logger: logger,
            versionWatch: AshbyVersionWatch(requested: apiVersion))
    }

    private init(baseURL: String, apiKey: String, http: HTTPClient, logger: Logger, versionWatch: AshbyVersionWatch) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.authorization = HTTPRequest.basicAuthorization(user: apiKey, password: "")
        self.apiKey = apiKey
        self.http = http
        self.logger = logger
        self.versionWatch = versionWatch
    }

    /// A client for the same service with its own HTTP client and connection, for another thread
    /// (each client is single-threaded). Its requests are its own: add its `requestCount`. What the
    /// responses say about the API version is shared (`versionStatus`, one warning per run).
    public func sibling() -> AshbyClient {
        AshbyClient(
            baseURL: baseURL, apiKey: apiKey,
            http: HTTPClient(
                configuration: http.configuration, deadline: http.deadline, sleeper: http.sleeper, clock: http.clock,
                logger: logger),
            logger: logger, versionWatch: versionWatch)
    }

    /// The API version the requests name (`Ashby-Version`).
    public var apiVersion: String { versionWatch.requested }

    /// What Ashby's responses (this client's and its siblings') said about the API version so far: the
    /// most worrying status seen; nil before any response carried `Ashby-Version-Status`.
    public var versionStatus: AshbyVersionStatus? { versionWatch.seen }

    /// HTTP requests sent so far by the underlying client, retries included.
    public var requestCount: Int { http.requestCount }

    /// Fetches one page of a list endpoint. Pass the previous page's `nextCursor` to continue a pass, or the
    /// stored `syncToken` to start an incremental one: never both (see `passPage`, which passes use).
    /// `createdAfter` (interviewSchedule.list only) limits the pass to records created at or after that instant.
    public func listPage(
        _ endpoint: AshbyListEndpoint, cursor: String?, syncToken: String?, createdAfter: Date? = nil, limit: Int = 100
    ) throws(AshbyError) -> AshbyPage {
        let request = ListRequest(
            limit: limit, cursor: cursor, syncToken: syncToken,
            createdAfter: createdAfter.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) },
            includeArchived: endpoint.includeArchived,
            includeNonSharedInterviews: endpoint.includeNonSharedInterviews)
        let (body, envelope) = try call(endpoint.rawValue, body: request)
        let moreDataAvailable = envelope.moreDataAvailable ?? false
        let nextCursor = envelope.nextCursor.flatMap { $0.isEmpty ? nil : $0 }
        if moreDataAvailable && nextCursor == nil {
            throw AshbyError(endpoint: endpoint.rawValue, kind: .malformed("moreDataAvailable without nextCursor"))
        }
        guard let items = JSONResultsSplitter.results(in: body) else {
            throw AshbyError(endpoint: endpoint.rawValue, kind: .malformed("missing field results (array)"))
        }
        logger.debug(
            "ashby_page",
            metadata: [
                "ashby.endpoint": "\(endpoint.rawValue)", "ashby.items": "\(items.count)",
                "ashby.more": "\(moreDataAvailable)", "ashby.incremental": "\(syncToken != nil)",
            ])
        return AshbyPage(
            endpoint: endpoint, rawBody: body, rawItems: items, moreDataAvailable: moreDataAvailable,
            nextCursor: nextCursor, syncToken: envelope.syncToken)
    }

    /// `interview.info`: one interview definition, e.g. one an event references but `interview.list` lacked.
    public func interview(id: String) throws(AshbyError) -> AshbyInterview {
        try info("interview.info", body: ["id": id])
    }

    /// `candidate.info`: the candidate's `profileUrl`, which `application.list` lacks. Called during the
    /// pull only (`CandidateProfilePull`), never on a send path.
    public func candidate(id: String) throws(AshbyError) -> AshbyCandidate {
        try info("candidate.info", body: ["id": id])
    }

    // MARK: - Plumbing

    /// The body of a list call. Absent values are omitted, never sent as `null` (Ashby has rejected nulls).
    private struct ListRequest: Encodable {
        var limit: Int
        var cursor: String?
        var syncToken: String?
        /// Epoch milliseconds, as Ashby expects.
        var createdAfter: Int64?
        var includeArchived: Bool?
        var includeNonSharedInterviews: Bool?
    }

    /// A single-object result, decoded after the envelope said `success: true`.
    private struct InfoResult<Result: Decodable>: Decodable {
        var results: Result
    }

    private func info<Result: Decodable>(_ endpoint: String, body: [String: String]) throws(AshbyError) -> Result {
        let (data, _) = try call(endpoint, body: body)
        do {
            return try decoder.decode(InfoResult<Result>.self, from: data).results
        } catch {
            let reason = (error as? DecodingError)?.fieldDescription ?? "undecodable response"
            throw AshbyError(endpoint: endpoint, kind: .malformed(reason))
        }
    }

    /// Sends one call and returns the body of a successful (`success: true`) answer with its envelope.
    private func call(_ endpoint: String, body: some Encodable) throws(AshbyError) -> (Data, AshbyEnvelope) {
        let payload: Data
        do {
            payload = try JSONEncoder().encode(body)
        } catch {
            throw AshbyError(endpoint: endpoint, kind: .malformed("request not encodable: \(error)"))
        }
        let request = HTTPRequest(
            method: "POST", url: "\(baseURL)/\(endpoint)",
            headers: [
                ("Content-Type", "application/json"),
                ("Accept", "application/json; version=1"),
                (AshbyAPIVersion.header, versionWatch.requested),
                ("Authorization", authorization),
            ],
            body: payload, endpoint: endpoint, rateLimit: Self.rateLimit)

        let response: HTTPResponse
        do {
            response = try http.send(request)
        } catch {
            throw AshbyError(endpoint: endpoint, kind: .transport(error))
        }
        versionWatch.observe(response, logger: logger)
        let requestId = response.header("x-ashby-request-id")
        logger.debug(
            "ashby_response",
            metadata: [
                "ashby.endpoint": "\(endpoint)", "http.status": "\(response.status)",
                "ashby.request_id": "\(requestId ?? "-")", "http.bytes": "\(response.body.count)",
            ])

        // Lone surrogate escapes would fail the decoders and jsonb: repaired once, for both.
        let body = LoneSurrogates.replaced(in: response.body)
        let envelope = try? decoder.decode(AshbyEnvelope.self, from: body)
        // A missing permission comes in many shapes and statuses (200 included): each is the same error.
        if envelope?.success != true, AshbyEnvelope.isMissingPermission(envelope, body: body) {
            throw AshbyError(endpoint: endpoint, kind: .unauthorized(status: response.status, code: AshbyError.missingPermission))
        }
        switch response.status {
        case 401, 403:
            throw AshbyError(
                endpoint: endpoint, kind: .unauthorized(status: response.status, code: envelope?.errorCode))
        case 200..<300:
            break
        default:
            if let envelope, !envelope.success, let code = envelope.errorCode {
                throw apiError(endpoint, code: code, envelope: envelope, requestId: requestId)
            }
            throw AshbyError(endpoint: endpoint, kind: .malformed("unexpected HTTP status \(response.status)"))
        }
        guard let envelope else {
            let reason =
                (try? JSONSerialization.jsonObject(with: body)) == nil
                ? "invalid JSON (\(body.count) bytes)" : "missing field success"
            throw AshbyError(endpoint: endpoint, kind: .malformed(reason))
        }
        guard envelope.success else {
            throw apiError(
                endpoint, code: envelope.errorCode ?? "unknown_error", envelope: envelope, requestId: requestId)
        }
        return (body, envelope)
    }

    private func apiError(
        _ endpoint: String, code: String, envelope: AshbyEnvelope, requestId: String?
    ) -> AshbyError {
        // Server text is untrusted: make sure it cannot carry the key into logs or the database.
        let message = envelope.errorMessage.map { message in
            apiKey.isEmpty ? message : message.replacingOccurrences(of: apiKey, with: "[redacted]")
        }
        return AshbyError(
            endpoint: endpoint,
            kind: .api(code: code, message: message, requestId: envelope.errorInfo?.requestId ?? requestId))
    }
}
