/// One row of a `PostgresResult`; cells are looked up by column name or position.
public struct PostgresRow: Sendable {
    let columns: [String]
    /// Column name to position; the first column wins when a name repeats.
    let indexByName: [String: Int]
    /// Column text per position; nil is SQL NULL.
    let values: [String?]

    /// The cell of the named column. An unknown name is a programmer error and traps.
    public subscript(_ column: String) -> PostgresCell {
        guard let index = indexByName[column] else {
            preconditionFailure("no column \"\(column)\" in the result; columns: \(columns.joined(separator: ", "))")
        }
        return self[index]
    }

    /// The cell at a zero-based position. Out of range traps.
    public subscript(_ index: Int) -> PostgresCell {
        PostgresCell(raw: values[index], column: columns[index])
    }
}
