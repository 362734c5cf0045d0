import Foundation
import Postgres
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(3))) struct PostgresTypeTests {
    @Test func scalarsRoundTrip() throws {
        try TestDatabase.with { _, connection in
            try connection.executeScript("""
                CREATE TABLE t (s text, i8 bigint, i4 int, i int, b boolean, d double precision,
                                at timestamptz, u uuid, j jsonb)
                """)
            let text = "Zoë 🎉 \"quoted\" 'single' back\\slash tab\tnew\nline"
            let at = Date(timeIntervalSince1970: 1_729_432_800.123)
            let id = UUID()
            try connection.execute("INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)",
                                   [text, Int64.max, Int32.min, -42, true, 0.1, at, id, PostgresJSON(#"{"a": [1, "x"]}"#)])

            let row = try #require(connection.query("SELECT * FROM t").rows.first)
            #expect(try row["s"].decode(String.self) == text)
            #expect(try row["i8"].decode(Int64.self) == .max)
            #expect(try row["i4"].decode(Int32.self) == .min)
            #expect(try row["i"].decode(Int.self) == -42)
            #expect(try row["b"].decode(Bool.self) == true)
            #expect(try row["d"].decode(Double.self) == 0.1)
            #expect(abs(try row["at"].decode(Date.self).timeIntervalSince(at)) < 0.000_5)
            #expect(try row["u"].decode(UUID.self) == id)
            #expect(try row["j"].decode(PostgresJSON.self).rawJSON == #"{"a": [1, "x"]}"#)
            #expect(try row[0].decode(String.self) == text)
        }
    }

    @Test func nullIsNotTheEmptyString() throws {
        try TestDatabase.with { _, connection in
            let empty: String? = ""
            let missing: String? = nil
            let row = try #require(connection.query("SELECT $1::text AS empty, $2::text AS missing", [empty, missing]).rows.first)

            #expect(row["empty"].raw == "")
            #expect(!row["empty"].isNull)
            #expect(try row["empty"].decode(String?.self) == "")
            #expect(row["missing"].raw == nil)
            #expect(row["missing"].isNull)
            #expect(try row["missing"].decode(String?.self) == nil)
            let error = #expect(throws: PostgresError.self) { try row["missing"].decode(String.self) }
            #expect(error?.code == .unexpectedNull)
            #expect(error?.message.contains("missing") == true)
        }
    }

    @Test func undecodableTextFailsWithoutRepeatingIt() throws {
        try TestDatabase.with { _, connection in
            let row = try #require(connection.query("SELECT 'private-text' AS v, 'maybe' AS b").rows.first)

            let error = #expect(throws: PostgresError.self) { try row["v"].decode(Int.self) }
            #expect(error?.code == .decodingFailed)
            #expect(error?.description.contains("\"v\"") == true)
            #expect(error?.description.contains("private-text") == false)
            #expect(throws: PostgresError.self) { try row["b"].decode(Bool.self) }
            #expect(throws: PostgresError.self) { try row["v"].decode(Date.self) }
            #expect(throws: PostgresError.self) { try row["v"].decode(UUID?.self) }
        }
    }

    @Test func timestampsParseInUTCWithAndWithoutFractions() throws {
        try TestDatabase.with { _, connection in
            let row = try #require(connection.query("""
                SELECT current_setting('TimeZone') AS zone,
                       '2024-10-20 14:00:00+00'::timestamptz AS whole,
                       '2024-10-20 14:00:00.123456+00'::timestamptz AS fraction,
                       '2024-10-20 19:30:00+05:30'::timestamptz::text AS server_text,
                       '2024-10-20 19:30:00+05:30' AS offset_text,
                       '2024-10-20'::date AS day,
                       'infinity'::timestamptz AS forever
                """).rows.first)
            let expected = Date(timeIntervalSince1970: 1_729_432_800)

            #expect(try row["zone"].decode(String.self) == "UTC")
            #expect(try row["server_text"].decode(String.self) == "2024-10-20 14:00:00+00")
            #expect(try row["whole"].decode(Date.self) == expected)
            #expect(abs(try row["fraction"].decode(Date.self).timeIntervalSince(expected) - 0.123_456) < 0.000_001)
            #expect(try row["offset_text"].decode(Date.self) == expected)
            #expect(try row["day"].decode(Date.self) == Date(timeIntervalSince1970: 1_729_382_400))
            #expect(throws: PostgresError.self) { try row["forever"].decode(Date.self) }
        }
    }

    @Test func datesBindAsUTCWithMilliseconds() throws {
        try TestDatabase.with { _, connection in
            let recent = Date(timeIntervalSince1970: 1_729_432_800.123)
            let beforeEpoch = Date(timeIntervalSince1970: -1.5)
            let row = try #require(connection.query("SELECT $1::timestamptz::text AS recent, $2::timestamptz::text AS old",
                                                    [recent, beforeEpoch]).rows.first)

            #expect(recent.postgresText == "2024-10-20T14:00:00.123Z")
            #expect(try row["recent"].decode(String.self) == "2024-10-20 14:00:00.123+00")
            #expect(try row["old"].decode(String.self) == "1969-12-31 23:59:58.5+00")
        }
    }

    @Test func textArraysKeepEveryAwkwardValue() throws {
        try TestDatabase.with { _, connection in
            let values: [String?] = ["plain", "", nil, "NULL", "null", "with,comma", "{braces}", "quote\"inside",
                                     "back\\slash", "\\\"", " spaced ", "Zoë 🎉", "tab\tand\nnewline"]
            let rows = try connection.query(
                "SELECT value FROM unnest($1::text[]) WITH ORDINALITY AS u(value, n) ORDER BY n", [values]).rows

            #expect(try rows.map { try $0["value"].decode(String?.self) } == values)
            #expect(try connection.query("SELECT cardinality($1::text[]) AS n", [[String]()]).rows[0]["n"].decode(Int.self) == 0)
        }
    }

    @Test func largeTextArraysRoundTripWithEveryQuoteAndBackslash() throws {
        try TestDatabase.with { _, connection in
            // Audit payloads: JSON documents full of quotes, some with escapes, bound as one text[] literal.
            let payload = #"{"id":"a1","note":"say \"hi\" \\ bye","list":[1,2,{"k":"v"}]}"#
            let values: [String?] = (0..<500).map { $0 % 7 == 6 ? nil : payload + String(repeating: "\"", count: $0 % 3) }
            let rows = try connection.query(
                "SELECT value FROM unnest($1::text[]) WITH ORDINALITY AS u(value, n) ORDER BY n", [values]).rows

            #expect(try rows.map { try $0["value"].decode(String?.self) } == values)
        }
    }

    /// PostgreSQL text cannot hold U+0000: every way text is bound stores it as U+FFFD, and a lookup
    /// with the same text finds the row (one rule for writes and reads).
    @Test func aNULInTextIsBoundAsTheReplacementCharacterEverywhere() throws {
        try TestDatabase.with { _, connection in
            try connection.execute("CREATE TABLE t (id int, value text)")
            try connection.execute("INSERT INTO t VALUES (1, $1)", ["a\u{0}b"])
            try connection.execute("INSERT INTO t SELECT 2, unnest($1::text[])", [["a\u{0}b"]])
            try connection.execute("INSERT INTO t SELECT 3, unnest($1::text[])", [PostgresBinaryArray.texts([nil, "a\u{0}b"])])
            #expect(try connection.copyIn(table: "t", columns: ["id", "value"], rows: [["4", "a\u{0}b"]]) == 1)
            try connection.transaction { try connection.enqueue("INSERT INTO t VALUES (5, $1)", ["a\u{0}b\u{0}"]) }
            let values = try connection.query("SELECT id, value FROM t WHERE value IS NOT NULL ORDER BY id").rows.map {
                "\(try $0["id"].decode(Int.self)):\(try $0["value"].decode(String.self))"
            }
            #expect(values == ["1:a\u{FFFD}b", "2:a\u{FFFD}b", "3:a\u{FFFD}b", "4:a\u{FFFD}b", "5:a\u{FFFD}b\u{FFFD}"])
            #expect(try connection.query("SELECT id FROM t WHERE value = $1 ORDER BY id", ["a\u{0}b"]).count == 4)
            #expect(PostgresText.storable("a\u{0}b") == "a\u{FFFD}b" && PostgresText.storable("plain") == "plain")
            // Not text: a NUL in a uuid is the server's error, which does not repeat the value.
            let uuid = #expect(throws: PostgresError.self) {
                try connection.execute("SELECT $1::uuid", ["secret\u{0}"])
            }
            #expect(uuid?.description.contains("secret") == false)
        }
    }

    @Test func typedArraysBindElementsAndNulls() throws {
        try TestDatabase.with { _, connection in
            let ints: [Int?] = [1, nil, -3]
            let bigs: [Int64] = [.max, 0, .min]
            let flags: [Bool?] = [true, false, nil]
            let dates: [Date?] = [Date(timeIntervalSince1970: 0), nil, Date(timeIntervalSince1970: 1_729_432_800.5)]
            let ids: [UUID?] = [UUID(), UUID(), nil]
            let documents: [PostgresJSON?] = [PostgresJSON(#"{"k": "v \" \\ ,{}"}"#), nil, PostgresJSON("[1, 2]")]
            let doubles: [Double] = [0.5, -1e300, .infinity]
            let rows = try connection.query("""
                SELECT * FROM unnest($1::int[], $2::bigint[], $3::bool[], $4::timestamptz[], $5::uuid[], $6::jsonb[],
                                     $7::float8[]) WITH ORDINALITY AS u(i, b, f, d, id, j, x, n)
                ORDER BY n
                """, [ints, bigs, flags, dates, ids, documents, doubles]).rows

            #expect(try rows.map { try $0["i"].decode(Int?.self) } == ints)
            #expect(try rows.map { try $0["b"].decode(Int64.self) } == bigs)
            #expect(try rows.map { try $0["f"].decode(Bool?.self) } == flags)
            #expect(try rows.map { try $0["d"].decode(Date?.self) } == dates)
            #expect(try rows.map { try $0["id"].decode(UUID?.self) } == ids)
            #expect(try rows.map { try $0["j"].decode(PostgresJSON?.self) } == documents)
            #expect(try rows.map { try $0["x"].decode(Double.self) } == doubles)
        }
    }

    @Test func binaryArraysRoundTripEveryElementType() throws {
        try TestDatabase.with { _, connection in
            let texts: [String?] = ["plain", "", nil, "NULL", "with,comma", "{braces}", "quote\"inside", "back\\slash",
                                    "Zoë 🎉", #"{"id":"a1","note":"say \"hi\" \\ bye"}"#, "tab\tand\nnewline", nil, "last"]
            let ids: [String?] = (0..<texts.count).map { $0 % 4 == 2 ? nil : UUID().uuidString.lowercased() }
            var upperCase = ids
            upperCase[0] = upperCase[0]?.uppercased()
            let dates: [Date?] = (0..<texts.count).map { index in
                index % 5 == 1 ? nil : Date(timeIntervalSince1970: [0, 1_729_432_800.123, -2_208_988_800.5, 4_102_444_800.999][index % 4])
            }
            let flags: [Bool?] = (0..<texts.count).map { [true, false, nil][$0 % 3] }
            let rows = try connection.query("""
                SELECT t, u::text, d, f FROM unnest($1::text[], $2::uuid[], $3::timestamptz[], $4::boolean[])
                WITH ORDINALITY AS x(t, u, d, f, n) ORDER BY n
                """, [
                    PostgresBinaryArray.texts(texts), try PostgresBinaryArray.uuids(upperCase),
                    PostgresBinaryArray.timestamps(dates), PostgresBinaryArray.booleans(flags),
                ]).rows

            #expect(try rows.map { try $0["t"].decode(String?.self) } == texts)
            #expect(try rows.map { try $0["u"].decode(String?.self) } == ids, "stored as the same UUIDs, whatever the case")
            #expect(try rows.map { try $0["f"].decode(Bool?.self) } == flags)
            // To the millisecond, rounded to the nearest, exactly as the text format binds a Date.
            let textBound = try connection.query(
                "SELECT d FROM unnest($1::timestamptz[]) WITH ORDINALITY AS x(d, n) ORDER BY n", [dates]).rows
            let expected = try textBound.map { try $0["d"].decode(Date?.self) }
            #expect(try rows.map { try $0["d"].decode(Date?.self) } == expected)
        }
    }

    @Test func emptyBinaryArraysAndLargeOnes() throws {
        try TestDatabase.with { _, connection in
            let empty = try connection.query(
                "SELECT cardinality($1::text[]) AS t, cardinality($2::uuid[]) AS u", [PostgresBinaryArray.texts([]), try PostgresBinaryArray.uuids([])])
            #expect(try empty.rows[0]["t"].decode(Int.self) == 0)
            #expect(try empty.rows[0]["u"].decode(Int.self) == 0)
            let payload = String(repeating: #"{"k":"v \" \\"}"#, count: 200)
            let many: [String?] = (0..<2_000).map { $0 % 9 == 0 ? nil : payload + "\($0)" }
            let rows = try connection.query(
                "SELECT t FROM unnest($1::text[]) WITH ORDINALITY AS x(t, n) ORDER BY n", [PostgresBinaryArray.texts(many)]).rows
            #expect(try rows.map { try $0["t"].decode(String?.self) } == many)
        }
    }

    @Test func badBinaryArrayElementsAreRefusedWithoutRepeatingThem() throws {
        try TestDatabase.with { _, connection in
            let notUUID = #expect(throws: PostgresError.self) {
                _ = try PostgresBinaryArray.uuids([UUID().uuidString, "secret-not-a-uuid-0000000000000000000"])
            }
            #expect(notUUID?.description.contains("array element 2 is not a UUID") == true)
            #expect(notUUID?.description.contains("secret") == false)
            for malformed in ["", "0123456789abcdef0123456789abcdef", "01234567-89ab-cdef-0123-456789abcdeg", "01234567-89ab-cdef-0123-456789abcdef0"] {
                #expect(throws: PostgresError.self) { _ = try PostgresBinaryArray.uuids([malformed]) }
            }
            // An array whose element type does not match the cast is the server's error, and the
            // connection stays usable.
            #expect(throws: PostgresError.self) {
                try connection.execute("SELECT $1::uuid[]", [PostgresBinaryArray.texts(["not sent as uuid"])])
            }
            let stillUsable = try connection.query("SELECT 1").count
            #expect(stillUsable == 1)
        }
    }
}
