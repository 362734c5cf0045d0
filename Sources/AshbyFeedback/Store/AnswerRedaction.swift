import Foundation

/// Scorecard answers never reach the database: before a page of `applicationFeedback.list` is kept
/// in the audit table, every `submittedValues` (the answers, free text included) is replaced by a
/// marker. Candidate evaluations belong in Ashby, not in a reminder database.
enum AnswerRedaction {
    /// What stands where the answers were.
    static let marker = "[answers not stored]"
    /// Keys whose values are answers, wherever they appear in the page.
    static let answerKeys: Set<String> = ["submittedValues"]

    /// The page with its answers replaced; a page that is not JSON is replaced as a whole.
    static func redacted(page: Data) -> Data {
        guard let object = try? JSONSerialization.jsonObject(with: page, options: [.fragmentsAllowed]) else {
            return Data(#"{"redacted":"the page was not JSON"}"#.utf8)
        }
        let cleaned = redact(object)
        return (try? JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys, .fragmentsAllowed]))
            ?? Data(#"{"redacted":"the page could not be re-encoded"}"#.utf8)
    }

    private static func redact(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var result: [String: Any] = [:]
            for (key, inner) in object {
                result[key] = answerKeys.contains(key) ? marker : redact(inner)
            }
            return result
        }
        if let array = value as? [Any] { return array.map(redact) }
        return value
    }
}
