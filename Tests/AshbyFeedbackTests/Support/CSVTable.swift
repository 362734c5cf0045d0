/// RFC 4180 CSV read the way a spreadsheet reads it — quoted fields, `""` inside quotes, commas and
/// line breaks inside quotes, CRLF or LF line ends — written apart from the report's own CSV writer,
/// so a test checks the output against the format, not against the writer's idea of it.
struct CSVTable {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// The first record: the column names.
    var header: [String]
    /// The other records, by column name.
    var rows: [[String: String]]

    init(_ text: String) throws {
        let records = try Self.records(text)
        guard let header = records.first else { throw Malformed(description: "no header line") }
        self.header = header
        rows = try records.dropFirst().map { fields in
            guard fields.count == header.count else {
                throw Malformed(description: "\(fields.count) fields where the header has \(header.count): \(fields)")
            }
            return Dictionary(uniqueKeysWithValues: zip(header, fields))
        }
    }

    /// Splits `text` into records of fields; a final line break ends the last record.
    private static func records(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var fields: [String] = []
        var field = ""
        var quoted = false        // inside a quoted field
        var wasQuoted = false     // the current field was quoted (only a separator or line end may follow)
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        func endRecord() {
            fields.append(field)
            records.append(fields)
            (fields, field, wasQuoted) = ([], "", false)
        }
        while let scalar = pending {
            pending = scalars.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = scalars.next()
                    } else {
                        (quoted, wasQuoted) = (false, true)
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty && !wasQuoted:
                quoted = true
            case ",":
                fields.append(field)
                (field, wasQuoted) = ("", false)
            case "\r" where pending == "\n":
                pending = scalars.next()
                endRecord()
            case "\n":
                endRecord()
            default:
                guard !wasQuoted, scalar != "\"" else {
                    throw Malformed(description: "stray character after a quoted field, or a quote inside an unquoted one: \(field)")
                }
                field.unicodeScalars.append(scalar)
            }
        }
        guard !quoted else { throw Malformed(description: "unterminated quoted field") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return records
    }
}
