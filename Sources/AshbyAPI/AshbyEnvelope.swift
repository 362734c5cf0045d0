import Foundation

/// The fields every Ashby response shares (`success`, paging, errors), decoded without `results` so the
/// same type reads success pages, single-object results and error bodies (which lack `moreDataAvailable`).
struct AshbyEnvelope: Decodable {
    var success: Bool
    var moreDataAvailable: Bool?
    var nextCursor: String?
    var syncToken: String?
    var errors: [ErrorEntry]?
    var errorInfo: ErrorInfo?

    struct ErrorInfo: Decodable {
        var code: String?
        var message: String?
        var requestId: String?
    }

    /// One `errors` element: a plain string (the documented form: a code, or human text as in the 429
    /// example) or an object with `code`/`type`, or only a `message` that is itself a code (seen for
    /// `missing_endpoint_permission`).
    struct ErrorEntry: Decodable {
        var code: String?
        var message: String?

        private enum CodingKeys: String, CodingKey { case code, type, message }

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                code = text
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            message = try container.decodeIfPresent(String.self, forKey: .message)
            code =
                try container.decodeIfPresent(String.self, forKey: .code)
                ?? container.decodeIfPresent(String.self, forKey: .type)
                ?? message.flatMap { AshbyEnvelope.isBareCode($0) ? $0 : nil }
        }
    }

    private enum CodingKeys: String, CodingKey {
        case success, moreDataAvailable, nextCursor, syncToken, errors, errorInfo
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        success = try container.decode(Bool.self, forKey: .success)
        moreDataAvailable = try container.decodeIfPresent(Bool.self, forKey: .moreDataAvailable)
        nextCursor = try container.decodeIfPresent(String.self, forKey: .nextCursor)
        syncToken = try container.decodeIfPresent(String.self, forKey: .syncToken)
        // Error details are best effort: an odd shape must not hide the fact that the call failed.
        errors = try? container.decodeIfPresent([ErrorEntry].self, forKey: .errors)
        errorInfo = try? container.decodeIfPresent(ErrorInfo.self, forKey: .errorInfo)
    }

    /// The error code to act on: `errorInfo.code`, else the first `errors` entry's code.
    var errorCode: String? {
        errorInfo?.code ?? errors?.lazy.compactMap(\.code).first
    }

    var errorMessage: String? {
        errorInfo?.message ?? errors?.lazy.compactMap(\.message).first
    }

    /// True when an answer says the key lacks the endpoint's permission, in any form seen: the code in
    /// `errorInfo.code`, as an `errors` string, as an `errors` object's `code` or bare `message`, or a
    /// body that is no envelope at all (plain text) naming it.
    static func isMissingPermission(_ envelope: AshbyEnvelope?, body: Data) -> Bool {
        guard let envelope else {
            return String(decoding: body, as: UTF8.self).contains(AshbyError.missingPermission)
        }
        return envelope.errorInfo?.code == AshbyError.missingPermission
            || envelope.errors?.contains { $0.code == AshbyError.missingPermission } == true
    }

    /// A machine-readable code such as `missing_endpoint_permission`: lowercase words joined by `_`.
    static func isBareCode(_ text: String) -> Bool {
        text.contains("_") && !text.hasPrefix("_") && !text.hasSuffix("_")
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
