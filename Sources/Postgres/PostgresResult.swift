/// The rows a statement returned, copied out of libpq's result (which is freed at once).
public struct PostgresResult: Sendable {
    public let columns: [String]
    public let rows: [PostgresRow]

    /// Number of rows.
    public var count: Int { rows.count }
}
