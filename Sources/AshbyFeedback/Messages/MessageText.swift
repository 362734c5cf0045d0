import Foundation
import SlackAPI

/// What every message the job writes (reminder, nudge, digest) shares: how Ashby text is cleaned
/// before it is shown, and how blocks are encoded so a fingerprint changes only with the content.
enum MessageText {
    /// Whitespace collapsed, nil when nothing is left.
    static func cleaned(_ text: String?) -> String? {
        guard let text else { return nil }
        let collapsed = SlackMarkdown.collapsingWhitespace(text)
        return collapsed.isEmpty ? nil : collapsed
    }

    /// Sorted keys: the same blocks always give the same bytes, so the fingerprint changes only with the content.
    static func encode(_ blocks: [Block]) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(blocks)
        } catch {
            preconditionFailure("Block Kit blocks hold only strings and always encode: \(error)")
        }
    }
}
