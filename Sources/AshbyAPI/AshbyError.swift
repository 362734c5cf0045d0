import CurlHTTP

/// Why an Ashby call failed, named after the endpoint. The description is one line and never contains the
/// API key or the Authorization header.
public struct AshbyError: Error, CustomStringConvertible {
    public enum Kind: Sendable {
        /// A `success: false` envelope: `code` from `errorInfo.code`, else the first `errors` entry.
        case api(code: String, message: String?, requestId: String?)
        /// HTTP 401 (no key) or 403 (wrong key), or `missing_endpoint_permission` in any of its forms and
        /// at any status (Ashby also sends it with HTTP 200).
        case unauthorized(status: Int, code: String?)
        /// The request never produced a usable HTTP response, even after retries.
        case transport(HTTPError)
        /// The response was not what Ashby promises: bad JSON, a missing required field, a bad cursor.
        case malformed(String)
    }

    public var endpoint: String
    public var kind: Kind

    public init(endpoint: String, kind: Kind) {
        self.endpoint = endpoint
        self.kind = kind
    }

    /// The Ashby error code, when the response carried one.
    public var code: String? {
        switch kind {
        case .api(let code, _, _): code
        case .unauthorized(_, let code): code
        case .transport, .malformed: nil
        }
    }

    /// The stored sync token is unusable: drop it and run a full pass.
    public var isSyncTokenExpiry: Bool {
        guard let code else { return false }
        return Self.syncTokenCodes.contains(code)
    }

    /// The page cursor is unusable: restart the pass from page 1.
    public var isCursorExpiry: Bool {
        guard let code else { return false }
        return Self.cursorCodes.contains(code)
    }

    public var isSyncTokenOrCursorExpiry: Bool { isSyncTokenExpiry || isCursorExpiry }

    /// Worth retrying on a later run (Ashby unreachable, throttled or failing); the CLI exits 75 for these.
    public var isTemporary: Bool {
        if case .transport(let error) = kind { return error.isTemporary }
        return isRateLimited
    }

    /// Ashby said "not now" (HTTP 429, or `rate_limit_exceeded` in an envelope) rather than failing: a
    /// throttled key, not an outage.
    public var isRateLimited: Bool {
        switch kind {
        case .transport(let error): error.isRateLimited
        case .api(let code, _, _): code == Self.rateLimitExceeded
        case .unauthorized, .malformed: false
        }
    }

    /// The key works but lacks the endpoint's module permission (`missing_endpoint_permission`, in any
    /// of the forms Ashby sends it).
    public var isMissingPermission: Bool {
        if case .unauthorized(_, Self.missingPermission) = kind { return true }
        return false
    }

    public var description: String {
        switch kind {
        case .api(let code, let message, let requestId):
            var text = "\(endpoint): Ashby error \(code)"
            if let message, !message.isEmpty { text += ": \(message)" }
            if let requestId { text += " (request \(requestId))" }
            return text
        case .unauthorized(let status, let code):
            let reason =
                code == Self.missingPermission
                ? "the API key lacks the permission for this endpoint"
                : "Ashby rejected the API key"
            return "\(endpoint): \(reason) (HTTP \(status)\(code.map { ", \($0)" } ?? ""))"
        case .transport(let error):
            // HTTPError's description already starts with the endpoint; keep the line free of repeats.
            let cause =
                error.description.hasPrefix("\(error.endpoint): ")
                ? String(error.description.dropFirst(error.endpoint.count + 2)) : error.description
            if case .rateLimited = error.kind { return "\(endpoint): Ashby \(cause)" }  // "rate limited (HTTP 429): …"
            return "\(endpoint): \(error.isRateLimited ? "Ashby rate limited" : "Ashby unavailable"): \(cause)"
        case .malformed(let detail):
            return "\(endpoint): malformed response: \(detail)"
        }
    }

    /// The code of a key lacking an endpoint's permission.
    public static let missingPermission = "missing_endpoint_permission"
    /// The code of Ashby's 429 envelope.
    static let rateLimitExceeded = "rate_limit_exceeded"

    static let syncTokenCodes: Set = ["sync_token_expired", "sync_token_invalid", "incremental_sync_too_large"]
    static let cursorCodes: Set = ["next_cursor_expired", "invalid_next_cursor"]
}
