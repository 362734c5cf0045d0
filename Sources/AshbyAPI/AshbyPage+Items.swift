import Foundation

/// One `results` element of a page: decoded, or why it could not be.
public struct AshbyPageItem<Item: Decodable> {
    /// The element's JSON as received (for the audit table).
    public var raw: Data
    /// Its `id`, when readable even if the rest is not.
    public var id: String?
    public var result: Result<Item, AshbyItemError>
}

extension AshbyPageItem: Sendable where Item: Sendable {}

/// Why one element of a page did not decode: the field, never more of the payload.
public struct AshbyItemError: Error, CustomStringConvertible, Sendable {
    /// Position in the page's `results`.
    public var index: Int
    public var reason: String

    public var description: String { "results[\(index)]: \(reason)" }
}

extension AshbyPage {
    /// Decodes every element on its own, so one bad record does not cost the rest of the page.
    public func decodeEach<Item: Decodable>(_ type: Item.Type) -> [AshbyPageItem<Item>] {
        let decoder = JSONDecoder()
        return rawItems.enumerated().map { index, raw in
            do {
                let item = try decoder.decode(Item.self, from: raw)
                return AshbyPageItem(raw: raw, id: nil, result: .success(item))
            } catch {
                let id = (try? decoder.decode(ReadableID.self, from: raw))?.id
                let reason = (error as? DecodingError)?.fieldDescription ?? "\(error)"
                return AshbyPageItem(raw: raw, id: id, result: .failure(AshbyItemError(index: index, reason: reason)))
            }
        }
    }
}

/// Just the `id` of an element that failed to decode.
private struct ReadableID: Decodable {
    var id: String?
}
