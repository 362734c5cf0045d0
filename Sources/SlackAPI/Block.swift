/// The Block Kit subset the job's messages use, encoded as Slack's JSON.
public enum Block: Encodable, Sendable, Equatable {
    /// A header: plain text, at most 150 characters.
    case header(String)
    /// A section with one mrkdwn text object, at most 3,000 characters. `verbatim` is set so Slack
    /// does not auto-link or auto-mention anything in the (escaped) text.
    case section(String)
    /// A row of link buttons.
    case actions([LinkButton])

    /// A button that opens `url` in the browser.
    public struct LinkButton: Encodable, Sendable, Equatable {
        public var text: String
        public var url: String
        public var actionID: String

        public init(text: String, url: String, actionID: String) {
            self.text = text
            self.url = url
            self.actionID = actionID
        }

        private enum CodingKeys: String, CodingKey { case type, text, url, actionID = "action_id" }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("button", forKey: .type)
            try container.encode(TextObject.plain(text), forKey: .text)
            try container.encode(url, forKey: .url)
            try container.encode(actionID, forKey: .actionID)
        }
    }

    private enum CodingKeys: String, CodingKey { case type, text, elements }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .header(let text):
            try container.encode("header", forKey: .type)
            try container.encode(TextObject.plain(text), forKey: .text)
        case .section(let text):
            try container.encode("section", forKey: .type)
            try container.encode(TextObject.mrkdwn(text), forKey: .text)
        case .actions(let buttons):
            try container.encode("actions", forKey: .type)
            try container.encode(buttons, forKey: .elements)
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
