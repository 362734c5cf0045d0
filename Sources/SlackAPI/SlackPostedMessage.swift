/// Where a posted message landed; both values are needed to edit or delete it later.
public struct SlackPostedMessage: Sendable, Equatable {
    /// The conversation ID: `D…` for a DM posted to a user ID.
    public var channel: String
    /// The message timestamp, an opaque string (`"1700003600.000200"`): never parse it as a number.
    public var ts: String

    public init(channel: String, ts: String) {
        self.channel = channel
        self.ts = ts
    }
}
