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

    /// One `errors` element: a plain code string (the documented form) or an object with `code`/`type`.
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
            code =
                try container.decodeIfPresent(String.self, forKey: .code)
                ?? container.decodeIfPresent(String.self, forKey: .type)
            message = try container.decodeIfPresent(String.self, forKey: .message)
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
}
