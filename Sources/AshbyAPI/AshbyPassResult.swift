/// What one `AshbyPaginator.run` did.
public struct AshbyPassResult: Sendable {
    /// The token from the last page; store it only after every page of the pass is committed.
    public var syncToken: String?
    /// The pass that completed ran without a sync token (first run, or after a token error).
    public var wasFullPass: Bool
    /// Pages and items handed to `onPage`, including those of attempts that were restarted.
    public var pages: Int
    public var items: Int
    /// The Ashby error codes that caused restarts, in order.
    public var restarts: [String]

    public init(syncToken: String?, wasFullPass: Bool, pages: Int, items: Int, restarts: [String]) {
        self.syncToken = syncToken
        self.wasFullPass = wasFullPass
        self.pages = pages
        self.items = items
        self.restarts = restarts
    }
}
