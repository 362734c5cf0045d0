import Postgres

extension TableCounts {
    /// What an upsert of `fetched` rows did, from its `RETURNING (xmax = 0) AS inserted` rows: an
    /// update that changed nothing is filtered out by its `WHERE` and returns no row (unchanged).
    init(fetched: Int, upserted result: PostgresResult) throws {
        self.init()
        self.fetched = fetched
        for row in result.rows {
            if try row["inserted"].decode(Bool.self) { inserted += 1 } else { updated += 1 }
        }
        unchanged = fetched - inserted - updated
    }
}
