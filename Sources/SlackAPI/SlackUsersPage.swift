/// One page of `users.list`.
public struct SlackUsersPage: Sendable {
    public var members: [SlackMember]
    /// The cursor for the next page; `nil` on the last page (Slack sends `""`, `null` or nothing).
    public var nextCursor: String?

    public init(members: [SlackMember], nextCursor: String?) {
        self.members = members
        self.nextCursor = nextCursor
    }
}
