import Foundation
import SlackAPI

/// What every message the job writes (reminder, nudge, digest) shares: how Ashby text is cleaned
/// before it is shown, how the feedback form is linked, and how a message is put together — held to
/// `SlackLimits` and encoded so a fingerprint changes only with the content.
enum MessageText {
    /// What a feedback form link says.
    static let feedbackLinkLabel = "Open the feedback form"
    /// Where a feedback link too long to show points the reader instead.
    static let feedbackLinkTooLong = "the feedback form is in Ashby (its link is too long to show here)"

    /// Whitespace collapsed, nil when nothing is left.
    static func cleaned(_ text: String?) -> String? {
        guard let text else { return nil }
        let collapsed = SlackMarkdown.collapsingWhitespace(text)
        return collapsed.isEmpty ? nil : collapsed
    }

    /// Ashby's feedback form link as mrkdwn (`<https://…|Open the feedback form>`); a link longer than
    /// `maxLength` says where the form is instead; nil unless the link is an http(s) URL.
    static func feedbackLink(_ url: String?, maxLength: Int) -> String? {
        guard let url, let link = SlackMarkdown.link(url, label: feedbackLinkLabel) else { return nil }
        return SlackLimits.length(link) <= maxLength ? link : feedbackLinkTooLong
    }

    /// The message to send to `channel`: `text` and `blocks` as a builder made them, held to
    /// `SlackLimits`. Builders keep inside the limits themselves (the tests feed them hostile input);
    /// should one not, blocks are dropped from the end and the text is shortened rather than have
    /// Slack refuse the message.
    static func message(channel: String, text: String, blocks: [Block]) -> SlackMessage {
        var blocks = blocks
        while !SlackLimits.problems(text: "", blocks: blocks).isEmpty && !blocks.isEmpty {
            blocks.removeLast()
        }
        let text = SlackMarkdown.shortened(text, maxLength: SlackLimits.textCharacters)
        return SlackMessage(channel: channel, text: text, blocksJSON: encode(blocks))
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
