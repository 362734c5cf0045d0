import Foundation

/// A message to post with `chat.postMessage`.
public struct SlackMessage: Sendable {
    /// A channel ID, or a user ID (`U…`) to post into the app's DM with that user.
    public var channel: String
    /// The notification and accessibility fallback, already escaped for mrkdwn.
    public var text: String
    /// The Block Kit blocks, as an encoded JSON array.
    public var blocksJSON: Data

    public init(channel: String, text: String, blocksJSON: Data) {
        self.channel = channel
        self.text = text
        self.blocksJSON = blocksJSON
    }
}
