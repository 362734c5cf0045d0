import Foundation

/// One page of a list endpoint: the raw body and items (for the audit table and jsonb columns) plus the
/// paging state. Items are decoded on demand with `decodeItems`.
public struct AshbyPage: Sendable {
    public var endpoint: AshbyListEndpoint
    /// The response body as received, lone surrogate escapes replaced (`LoneSurrogates`).
    public var rawBody: Data
    /// Each `results` element as its own JSON bytes, in order.
    public var rawItems: [Data]
    public var moreDataAvailable: Bool
    public var nextCursor: String?
    /// Present only on the last page of a pass.
    public var syncToken: String?
    /// The sync token the pass this page belongs to started from (sent with the pass's first request
    /// only); nil for a full pass. Set by `AshbyPaginator`, so a caller can checkpoint the pass.
    public var passSyncToken: String?
    /// What the caller's `prepare` made of the page on the fetch-ahead thread (e.g. its decoded
    /// items), so that work overlaps the writing of the page before; nil when nothing was prepared.
    public var prepared: (any Sendable)?

    public init(
        endpoint: AshbyListEndpoint, rawBody: Data, rawItems: [Data], moreDataAvailable: Bool,
        nextCursor: String?, syncToken: String?
    ) {
        self.endpoint = endpoint
        self.rawBody = rawBody
        self.rawItems = rawItems
        self.moreDataAvailable = moreDataAvailable
        self.nextCursor = nextCursor
        self.syncToken = syncToken
    }

    /// Decodes every item as `T`. The first item that does not decode fails the whole page with a
    /// `.malformed` error naming the item's index, its id when readable, and the field.
    public func decodeItems<T: Decodable>(_ type: T.Type) throws(AshbyError) -> [T] {
        let decoder = JSONDecoder()
        var items: [T] = []
        items.reserveCapacity(rawItems.count)
        for (index, raw) in rawItems.enumerated() {
            do {
                items.append(try decoder.decode(T.self, from: raw))
            } catch {
                var detail = "results[\(index)]"
                if let id = (try? decoder.decode(ItemID.self, from: raw))?.id { detail += " (id \(id))" }
                let reason = (error as? DecodingError)?.fieldDescription ?? "\(error)"
                throw AshbyError(endpoint: endpoint.rawValue, kind: .malformed("\(detail): \(reason)"))
            }
        }
        return items
    }

    /// Reads just the `id` of an item that failed to decode, for the error message.
    private struct ItemID: Decodable {
        var id: String?
    }
}
