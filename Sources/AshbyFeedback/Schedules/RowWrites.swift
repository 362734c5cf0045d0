/// The rows of one table a page writes, split by whether a row was stored when the page was read:
/// new rows go in with a plain `INSERT`, changed ones with an upsert (`ON CONFLICT DO UPDATE`, whose
/// speculative insertion costs about a quarter more per row, which a backfill would pay for every row).
struct RowWrites<Row: Sendable>: Sendable {
    /// Rows with no stored counterpart.
    var new: [Row] = []
    /// Rows whose stored counterpart differs.
    var changed: [Row] = []

    var isEmpty: Bool { new.isEmpty && changed.isEmpty }
    /// Every row written, new ones first.
    var all: [Row] { new + changed }
}
