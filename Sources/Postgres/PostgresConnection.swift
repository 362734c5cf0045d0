internal import CLibPQ
import Foundation

/// One libpq connection.
///
/// Calls block until the server answers, and a connection serves one caller at a time, so this
/// is a plain class for one thread, not `Sendable`. The connection closes when the object goes.
/// Every session uses UTF-8, `TimeZone` UTC and `DateStyle` ISO, so `Date`s read back uniformly.
/// Server notices (`RAISE NOTICE`, warnings) are dropped rather than printed to stderr.
public final class PostgresConnection {
    let handle: OpaquePointer
    /// Set while `transaction` runs, to refuse nesting.
    var isInTransaction = false

    /// Statements sent to the server (one per query, execute, script, COPY and
    /// transaction BEGIN/COMMIT/ROLLBACK); the benchmark counts round trips with it.
    public internal(set) var statementCount = 0
    /// Round trips to the server: a pipeline of statements counts once.
    public internal(set) var roundTripCount = 0
    /// Whether statements queued with `enqueue` (and a transaction's BEGIN) go out together with the
    /// next one in libpq's pipeline mode: on by default with PostgreSQL 14 or later; off, each is its
    /// own round trip, with the same results and errors.
    public var usesPipelineMode: Bool
    /// Statements waiting to go out with the next one (`enqueue`, a transaction's BEGIN).
    var queued: [QueuedStatement] = []

    /// Connects with any connection string `psql` accepts: a URI, `key=value` pairs or a bare
    /// database name, with `PG*` environment variables, `.pgpass`, sslmode and Unix sockets as
    /// libpq applies them. The string goes to libpq untouched (only `client_encoding` is forced to
    /// UTF8). A failure names the host and database but never the password or the string itself.
    public init(_ conninfo: String) throws(PostgresError) {
        handle = try Self.open(conninfo)
        usesPipelineMode = PQserverVersion(handle) >= 140000
    }

    deinit {
        PQfinish(handle)
    }

    /// Runs one statement with `$1`, `$2`... bound to `parameters` and returns its rows.
    public func query(_ sql: String, _ parameters: [PostgresBindable?] = []) throws(PostgresError) -> PostgresResult {
        try send(sql, parameters, read: Self.result(of:))
    }

    /// Runs one statement and returns the rows it inserted, updated, deleted or selected (0 for others).
    @discardableResult
    public func execute(_ sql: String, _ parameters: [PostgresBindable?] = []) throws(PostgresError) -> Int {
        try send(sql, parameters) { Int(String(cString: PQcmdTuples($0))) ?? 0 }
    }

    /// Runs several `;`-separated statements without parameters, e.g. a schema file. Unless the
    /// script has its own BEGIN/COMMIT the server runs it as one transaction; it stops at the first error.
    public func executeScript(_ sql: String) throws(PostgresError) {
        try sendQueued()
        statementCount += 1
        roundTripCount += 1
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, expecting: Self.completed, values: [])
    }

    /// Statuses of a statement that finished normally.
    static let completed = [PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY]

    /// Sends one statement (with anything queued before it) and reads its result before the
    /// result is freed.
    func send<T>(_ sql: String, _ parameters: [PostgresBindable?], read: (OpaquePointer) -> T) throws(PostgresError) -> T {
        var value: T?
        try run([QueuedStatement(sql, parameters)]) { value = read($0) }
        return value!
    }

    /// Returns the result if its status is one of `accepted`, or throws the error it carries.
    /// A COPY started by plain SQL is ended first so the connection stays usable.
    @discardableResult
    func check(_ result: OpaquePointer?, expecting accepted: [ExecStatusType],
               values: @autoclosure () -> [String]) throws(PostgresError) -> OpaquePointer {
        guard let result else { throw libpqError() }
        let status = PQresultStatus(result)
        if accepted.contains(status) { return result }
        if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
            abandonCopy(status)
            throw PostgresError(code: .queryFailed, message: "COPY with STDIN or STDOUT is only supported through copyIn")
        }
        throw serverError(result, values: values())
    }

    /// The error a result carries: SQLSTATE and primary message, with bound values removed.
    func serverError(_ result: OpaquePointer, values: [String]) -> PostgresError {
        let sqlState = Self.errorField(result, "C")
        var message = Self.errorField(result, "M") ?? PostgresError.oneLine(String(cString: PQresultErrorMessage(result)))
        if message.isEmpty {
            message = "unexpected result status \(String(cString: PQresStatus(PQresultStatus(result))))"
        }
        let lost = PQstatus(handle) != CONNECTION_OK || sqlState?.hasPrefix("08") == true
        return PostgresError(code: lost ? .connectionFailed : .queryFailed, sqlState: sqlState,
                             message: PostgresError.redacting(values, in: message))
    }

    /// An error libpq reports without a result: the connection broke, or memory ran out.
    func libpqError() -> PostgresError {
        let lost = PQstatus(handle) != CONNECTION_OK
        let message = PostgresError.oneLine(String(cString: PQerrorMessage(handle)))
        return PostgresError(code: lost ? .connectionFailed : .queryFailed,
                             message: message.isEmpty ? "libpq returned no result" : message)
    }

    /// Ends a COPY the caller did not expect, then discards the remaining results.
    private func abandonCopy(_ status: ExecStatusType) {
        if status == PGRES_COPY_IN {
            _ = PQputCopyEnd(handle, "COPY FROM STDIN is only supported through copyIn")
        } else {
            var buffer: UnsafeMutablePointer<CChar>?
            while PQgetCopyData(handle, &buffer, 0) > 0 { PQfreemem(buffer) }
        }
        while let result = PQgetResult(handle) { PQclear(result) }
    }

    /// Copies all rows out of a libpq result.
    static func result(of result: OpaquePointer) -> PostgresResult {
        let columnCount = PQnfields(result)
        let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        let indexByName = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = (0..<PQntuples(result)).map { row in
            PostgresRow(columns: columns, indexByName: indexByName, values: (0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            })
        }
        return PostgresResult(columns: columns, rows: rows)
    }

    /// A diagnostic field of an error result (`PG_DIAG_SQLSTATE` is 'C', the primary message 'M').
    private static func errorField(_ result: OpaquePointer, _ field: Unicode.Scalar) -> String? {
        PQresultErrorField(result, Int32(UInt8(ascii: field))).map { String(cString: $0) }
    }

    /// Parameter texts and array elements, to scrub from error messages: as the server saw them (`PostgresText`).
    static func redactable(_ texts: [String?], _ parameters: [PostgresBindable?]) -> [String] {
        texts.compactMap { $0 } + parameters.flatMap { ($0 as? any PostgresArrayParameter)?.elementTexts ?? [] }.map(PostgresText.storable)
    }
}

/// A connection is used by one thread at a time; sending it to another is a mistake the compiler catches.
@available(*, unavailable)
extension PostgresConnection: Sendable {}
