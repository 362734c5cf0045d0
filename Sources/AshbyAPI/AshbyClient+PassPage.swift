import Foundation

extension AshbyClient {
    /// One page of a pass, asked for the way Ashby's pagination guide and its public connectors do:
    /// the pass's sync token goes with the first request only (no cursor yet); every later page, and
    /// the first page of a pass continued from a saved cursor, is asked for by `cursor` alone. A token
    /// and a cursor together are not documented. The page keeps the pass's token in `passSyncToken`.
    func passPage(
        _ endpoint: AshbyListEndpoint, cursor: String?, passSyncToken: String?, createdAfter: Date?
    ) throws(AshbyError) -> AshbyPage {
        var page = try listPage(
            endpoint, cursor: cursor, syncToken: cursor == nil ? passSyncToken : nil, createdAfter: createdAfter)
        page.passSyncToken = passSyncToken
        return page
    }
}
