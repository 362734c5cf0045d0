/// The body a `FakeAshby` sends for `missing_endpoint_permission` (`denyPermission(endpoint:shape:status:)`).
/// Ashby documents the error (a 403) but not its body; these are the shapes seen in public code
/// (reference §1.2), each also sent with HTTP 200, as public connectors say most Ashby errors are.
public enum PermissionDenial: String, Sendable, CaseIterable {
    /// `{"success":false,"errors":["missing_endpoint_permission"],"errorInfo":{"code":…,"message":…,"requestId":…}}`
    case errorInfo
    /// `{"success":false,"errors":["missing_endpoint_permission"]}`
    case errorsString
    /// `{"success":false,"errors":[{"code":"missing_endpoint_permission","message":…}]}`
    case errorsCode
    /// `{"success":false,"errors":[{"message":"missing_endpoint_permission"}]}`
    case errorsMessage
    /// The bare code as plain text, not JSON.
    case plainText

    static let code = "missing_endpoint_permission"
    static let message = "API key does not have the required permission"

    /// The body, with `requestId` where the shape carries one.
    func body(requestId: String) -> (json: JSONValue?, text: String) {
        let json: JSONValue? =
            switch self {
            case .errorInfo:
                [
                    "success": false, "errors": [.string(Self.code)],
                    "errorInfo": ["code": .string(Self.code), "message": .string(Self.message), "requestId": .string(requestId)],
                ]
            case .errorsString: ["success": false, "errors": [.string(Self.code)]]
            case .errorsCode: ["success": false, "errors": [["code": .string(Self.code), "message": .string(Self.message)]]]
            case .errorsMessage: ["success": false, "errors": [["message": .string(Self.code)]]]
            case .plainText: nil
            }
        return (json, Self.code)
    }
}
