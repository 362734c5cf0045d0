/// The Block Kit subset the job's messages use, encoded as Slack's JSON: text only, no interactive
/// element. Slack sends every click on a button (even a URL button) to the app's interactivity
/// Request URL, which a cron job does not have, and shows the reader a warning without one; links
/// go in mrkdwn text instead (`SlackMarkdown.link`).
public enum Block: Encodable, Sendable, Equatable {
    /// A header: plain text, at most `SlackLimits.headerCharacters`.
    case header(String)
    /// A section with one mrkdwn text object, at most `SlackLimits.textObjectCharacters`. `verbatim`
    /// is set so Slack does not auto-link or auto-mention anything in the (escaped) text.
    case section(String)

    /// The block's text, as Slack counts it toward its limits.
    public var text: String {
        switch self {
        case .header(let text), .section(let text): text
        }
    }

    private enum CodingKeys: String, CodingKey { case type, text }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .header(let text):
            try container.encode("header", forKey: .type)
            try container.encode(TextObject.plain(text), forKey: .text)
        case .section(let text):
            try container.encode("section", forKey: .type)
            try container.encode(TextObject.mrkdwn(text), forKey: .text)
        }
    }

    /// A Block Kit text object.
    private enum TextObject: Encodable {
        case plain(String)
        case mrkdwn(String)

        private enum CodingKeys: String, CodingKey { case type, text, emoji, verbatim }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .plain(let text):
                try container.encode("plain_text", forKey: .type)
                try container.encode(text, forKey: .text)
                try container.encode(false, forKey: .emoji)
            case .mrkdwn(let text):
                try container.encode("mrkdwn", forKey: .type)
                try container.encode(text, forKey: .text)
                try container.encode(true, forKey: .verbatim)
            }
        }
    }
}
