internal import CLibPQ
import Foundation

/// A statement waiting to be sent: its SQL and its parameters already encoded, text in its stored
/// form (`PostgresText`), or binary for a `PostgresBinaryArray`.
struct QueuedStatement {
    var sql: String
    private var values: [Value]
    private var parameters: [PostgresBindable?]
    /// Where a queued query's rows go once it ran (`enqueueQuery`); nil when nobody needs them.
    var pending: PostgresPendingResult?

    private enum Value {
        case text(String?)
        case binary([UInt8])
    }

    init(_ sql: String, _ parameters: [PostgresBindable?]) {
        var values: [Value] = []
        values.reserveCapacity(parameters.count)
        for parameter in parameters {
            if let array = parameter as? PostgresBinaryArray {
                values.append(.binary(array.bytes))
                continue
            }
            values.append(.text(parameter.map { PostgresText.storable($0.postgresText) }))
        }
        self.sql = sql
        self.values = values
        self.parameters = parameters
    }

    /// Values to scrub from an error message about this statement (worked out only for an error:
    /// an array's element texts cost as much as binding it).
    var redactable: [String] {
        let texts = values.map { value -> String? in
            if case .text(let text) = value { return text }
            return nil
        }
        return PostgresConnection.redactable(texts, parameters)
    }

    /// Calls `body` with the parameters as libpq takes them (values, nil = NULL; byte lengths;
    /// formats, 1 = binary), copied for the call and freed afterwards.
    func withParameters<T>(_ body: (_ values: [UnsafePointer<CChar>?], _ lengths: [Int32], _ formats: [Int32]) -> T) -> T {
        var copies: [UnsafeMutablePointer<CChar>?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        for value in values {
            switch value {
            case .text(let text):
                copies.append(text.map { strdup($0)! })   // strdup fails only without memory
                lengths.append(0)
                formats.append(0)
            case .binary(let bytes):
                let copy = malloc(max(bytes.count, 1))!.assumingMemoryBound(to: CChar.self)   // fails only without memory
                bytes.withUnsafeBytes { source in _ = memcpy(copy, source.baseAddress!, bytes.count) }
                copies.append(copy)
                lengths.append(Int32(bytes.count))
                formats.append(1)
            }
        }
        defer { copies.forEach { free($0) } }
        return body(copies.map { UnsafePointer($0) }, lengths, formats)
    }
}

extension PostgresConnection {
    /// Queues a statement whose result the caller does not need, to go out with the next one: inside
    /// a `transaction`, the writes of a page travel together with the COMMIT in one round trip
    /// (libpq pipeline mode). Outside a transaction it runs at once, like `execute`.
    ///
    /// An error of a queued statement is thrown by the call that sends it (the next statement or the
    /// COMMIT, which then rolls the transaction back); the statements after it do not run.
    public func enqueue(_ sql: String, _ parameters: [PostgresBindable?] = []) throws(PostgresError) {
        guard isInTransaction else {
            try execute(sql, parameters)
            return
        }
        queued.append(QueuedStatement(sql, parameters))
    }

    /// Queues a query whose rows the caller needs later, to go out with the next statement like
    /// `enqueue` (inside a transaction: no round trip of its own). Its rows are in the returned
    /// `PostgresPendingResult` once that statement has run; its error is thrown by that statement.
    public func enqueueQuery(_ sql: String, _ parameters: [PostgresBindable?] = []) throws(PostgresError) -> PostgresPendingResult {
        let pending = PostgresPendingResult()
        var statement = QueuedStatement(sql, parameters)
        statement.pending = pending
        if isInTransaction {
            queued.append(statement)
        } else {
            try run([statement]) { _ in }
        }
        return pending
    }

    /// Runs several statements (e.g. reads that do not depend on one another) and returns their rows,
    /// in order: one round trip in pipeline mode, together with anything queued before them.
    public func queryAll(_ statements: [(sql: String, parameters: [PostgresBindable?])]) throws(PostgresError) -> [PostgresResult] {
        var batch: [QueuedStatement] = []
        for statement in statements { batch.append(QueuedStatement(statement.sql, statement.parameters)) }
        var results: [PostgresResult] = []
        try run(batch) { results.append(Self.result(of: $0)) }
        return results
    }

    /// Sends what is queued and waits for it (one round trip in pipeline mode): before a statement that
    /// does not go through `run` (a script, COPY), or inside a transaction to have its work done with
    /// only the COMMIT left. Throws the first queued statement's error.
    public func sendQueued() throws(PostgresError) {
        try run([]) { _ in }
    }

    /// Sends the queued statements and then `batch`, and calls `read` with the result of each statement
    /// of `batch` in order. In pipeline mode everything goes out at once and comes back in one round
    /// trip; otherwise one statement after another. The first error is thrown after every result is read.
    func run(_ batch: [QueuedStatement], read: (OpaquePointer) -> Void) throws(PostgresError) {
        let statements = queued + batch
        let firstOfBatch = queued.count
        queued.removeAll()
        guard !statements.isEmpty else { return }
        guard statements.count > 1, usesPipelineMode, PQenterPipelineMode(handle) == 1 else {
            for (index, statement) in statements.enumerated() {
                try sendNow(statement) { result in
                    statement.pending?.result = Self.result(of: result)
                    statements[index].pending?.result = Self.result(of: result)
                    if index >= firstOfBatch { read(result) }
                }
            }
            return
        }
        defer { _ = PQexitPipelineMode(handle) }
        for statement in statements {
            statementCount += 1
            let sent = statement.withParameters { values, lengths, formats in
                PQsendQueryParams(handle, statement.sql, Int32(values.count), nil, values, lengths, formats, 0)
            }
            guard sent == 1 else {
                let error = libpqError()
                _ = PQpipelineSync(handle)
                drainPipeline()
                throw error
            }
        }
        guard PQpipelineSync(handle) == 1 else {
            let error = libpqError()
            drainPipeline()
            throw error
        }
        roundTripCount += 1
        var index = 0
        var firstError: PostgresError?
        var nullsInARow = 0
        reading: while true {
            // Each statement's results end with a NULL; two in a row mean nothing more is coming.
            guard let result = PQgetResult(handle) else {
                nullsInARow += 1
                if nullsInARow >= 2 {
                    firstError = firstError ?? libpqError()
                    break reading
                }
                continue
            }
            nullsInARow = 0
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            switch status {
            case PGRES_PIPELINE_SYNC:
                break reading
            case PGRES_PIPELINE_ABORTED:
                break
            default:
                if Self.completed.contains(status) {
                    statements[index].pending?.result = Self.result(of: result)
                    if index >= firstOfBatch { read(result) }
                } else if firstError == nil {
                    firstError = serverError(result, values: index < statements.count ? statements[index].redactable : [])
                }
            }
            index += 1
        }
        if let firstError { throw firstError }
    }

    /// Sends one statement on its own (`PQexecParams`) and reads its result before it is freed.
    func sendNow(_ statement: QueuedStatement, read: (OpaquePointer) -> Void) throws(PostgresError) {
        statementCount += 1
        roundTripCount += 1
        let result = statement.withParameters { values, lengths, formats in
            PQexecParams(handle, statement.sql, Int32(values.count), nil, values, lengths, formats, 0)
        }
        defer { PQclear(result) }
        read(try check(result, expecting: Self.completed, values: statement.redactable))
    }

    /// Reads and drops every result up to the pipeline's sync point, after a failed send.
    private func drainPipeline() {
        var nullsInARow = 0
        while nullsInARow < 2 {
            guard let result = PQgetResult(handle) else {
                nullsInARow += 1
                continue
            }
            nullsInARow = 0
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { return }
        }
    }
}
