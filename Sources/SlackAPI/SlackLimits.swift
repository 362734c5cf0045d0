/// Slack's size limits for one message (Block Kit and `chat.postMessage`/`chat.update`), and the one
/// check every message the job builds is held to before it goes out. Builders decide what to drop
/// to stay inside; this says what "inside" is.
///
/// Lengths are UTF-16 code units (`length`): Slack does not define "characters", its Python SDK
/// counts code points, and UTF-16 never counts fewer — a text that fits here fits in Slack.
public enum SlackLimits {
    /// Blocks in one message; more is `invalid_blocks`.
    public static let blocksPerMessage = 50
    /// One text object (a section's mrkdwn, a header's plain text): 1 to 3,000; else `invalid_blocks`.
    public static let textObjectCharacters = 3_000
    /// A header's text; more is `invalid_blocks`.
    public static let headerCharacters = 150
    /// Top-level `text`: `chat.update` refuses more (`msg_too_long`). A post would accept it, but a
    /// posted message is edited later with the same kind of text, so every message keeps to it.
    public static let textCharacters = 4_000
    /// Text across all blocks of one message. Undocumented: Slack refused 11,341 (`msg_blocks_too_long`)
    /// and accepted 9,597 in production; the job stays below what was seen accepted.
    public static let blocksTextCharacters = 9_500

    /// `text`'s length as these limits count it: UTF-16 code units.
    public static func length(_ text: String) -> Int {
        text.utf16.count
    }

    /// The text of all `blocks` together.
    public static func blocksTextLength(_ blocks: [Block]) -> Int {
        blocks.reduce(0) { $0 + length($1.text) }
    }

    /// Each limit a message of top-level `text` and `blocks` breaks, in words; empty when it fits.
    public static func problems(text: String, blocks: [Block]) -> [String] {
        var problems: [String] = []
        if length(text) > textCharacters {
            problems.append("text has \(length(text)) characters, more than \(textCharacters)")
        }
        if blocks.count > blocksPerMessage {
            problems.append("\(blocks.count) blocks, more than \(blocksPerMessage)")
        }
        for (index, block) in blocks.enumerated() {
            let limit: Int
            switch block {
            case .header: limit = headerCharacters
            case .section: limit = textObjectCharacters
            }
            let count = length(block.text)
            if count == 0 || count > limit {
                problems.append("block \(index) has \(count) characters, not 1 to \(limit)")
            }
        }
        let total = blocksTextLength(blocks)
        if total > blocksTextCharacters {
            problems.append("the blocks hold \(total) characters of text, more than \(blocksTextCharacters)")
        }
        return problems
    }
}
