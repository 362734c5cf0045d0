/// Short, field-naming explanations of decoding failures for `AshbyError.malformed`
/// (`missing field interviewEvents[0].startTime`).
extension DecodingError {
    var fieldDescription: String {
        switch self {
        case .keyNotFound(let key, let context):
            return "missing field \(Self.path(context.codingPath + [key]))"
        case .valueNotFound(_, let context):
            return "missing field \(Self.path(context.codingPath)) (null)"
        case .typeMismatch(let type, let context):
            return "field \(Self.path(context.codingPath)): expected \(Self.typeName(type))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "invalid JSON" }
            return "field \(Self.path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "undecodable value"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "(top level)" : text
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: "\(type)"
        }
    }
}
