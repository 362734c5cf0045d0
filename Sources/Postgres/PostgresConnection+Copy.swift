internal import CLibPQ
import Foundation

extension PostgresConnection {
    /// Bytes handed to libpq per `PQputCopyData` call.
    private static let copyChunkSize = 256 * 1024

    /// Writes `rows` with `COPY table (columns) FROM STDIN` in text format and returns the number
    /// of rows written. Values are escaped (`\\`, tab, newline, carriage return) and in their stored
    /// form (`PostgresText`: each U+0000 as U+FFFD); nil is NULL (`\N`).
    ///
    /// `table` may be schema-qualified (`schema.table`); each part and each column is quoted as an
    /// identifier, so names are case-sensitive. Every row must have one value per column (a
    /// programmer error otherwise). COPY is all-or-nothing: on error no row is written.
    public func copyIn(table: String, columns: [String], rows: [[String?]]) throws(PostgresError) -> Int {
        precondition(rows.allSatisfy { $0.count == columns.count }, "copyIn: every row needs \(columns.count) values")
        let target = table.split(separator: ".", omittingEmptySubsequences: false).map(Self.quoteIdentifier)
        let sql = "COPY \(target.joined(separator: ".")) (\(columns.map(Self.quoteIdentifier).joined(separator: ", "))) FROM STDIN"
        try sendQueued()
        statementCount += 1
        roundTripCount += 1
        let start = PQexec(handle, sql)
        defer { PQclear(start) }
        try check(start, expecting: [PGRES_COPY_IN], values: [])

        var buffer: [UInt8] = []
        buffer.reserveCapacity(Self.copyChunkSize + 4096)
        var sent = true
        for row in rows where sent {
            Self.appendLine(row, to: &buffer)
            if buffer.count >= Self.copyChunkSize {
                sent = put(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        sent = sent && put(buffer) && PQputCopyEnd(handle, nil) == 1
        guard sent else { throw libpqError() }

        var written: Int?
        var failure: PostgresError?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                written = Int(String(cString: PQcmdTuples(result)))
            } else if failure == nil {
                failure = serverError(result, values: rows.flatMap { $0.compactMap { $0.map(PostgresText.storable) } })
            }
        }
        if let failure { throw failure }
        guard let written else { throw libpqError() }
        return written
    }

    /// Sends one chunk of COPY data; false when the connection failed.
    private func put(_ bytes: [UInt8]) -> Bool {
        bytes.isEmpty || bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) == 1 }
        }
    }

    /// One line of COPY text format: tab-separated values, `\N` for NULL, special bytes escaped.
    private static func appendLine(_ row: [String?], to buffer: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            guard let value else {
                buffer.append(contentsOf: [backslash, UInt8(ascii: "N")])
                continue
            }
            for byte in value.utf8 {
                switch byte {
                case backslash: buffer.append(contentsOf: [backslash, backslash])
                case UInt8(ascii: "\t"): buffer.append(contentsOf: [backslash, UInt8(ascii: "t")])
                case UInt8(ascii: "\n"): buffer.append(contentsOf: [backslash, UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): buffer.append(contentsOf: [backslash, UInt8(ascii: "r")])
                case 0: buffer.append(contentsOf: "\u{FFFD}".utf8)
                default: buffer.append(byte)
                }
            }
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// `name` as a double-quoted SQL identifier.
    private static func quoteIdentifier<S: StringProtocol>(_ name: S) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
