internal import CLibPQ

extension PostgresConnection {
    /// Runs `body` between BEGIN and COMMIT and returns its value.
    ///
    /// If `body` throws, the transaction is rolled back and the error rethrown, so nothing is half
    /// written. If a statement inside failed but `body` caught the error, PostgreSQL turns the
    /// COMMIT into a rollback; that is reported as an error too, never as success.
    ///
    /// A body that sends nothing (every write it might queue skipped) costs no round trip: its BEGIN
    /// is dropped unsent.
    ///
    /// Transactions do not nest: calling `transaction` inside `body` is a programmer error and
    /// traps, because PostgreSQL has no nested transactions and silently joining the outer one
    /// would break the all-or-nothing promise of the inner call.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        precondition(!isInTransaction, "PostgresConnection.transaction does not nest")
        // BEGIN goes out with the first statement of the body (one round trip less per transaction).
        queued.append(QueuedStatement("BEGIN", []))
        isInTransaction = true
        defer { isInTransaction = false }
        let value: T
        do {
            value = try body()
        } catch {
            rollBack()
            throw error
        }
        // Nothing was written or read (only the BEGIN still queued): there is nothing to commit, and
        // no round trip is spent on it.
        if queued.count == 1, queued[0].sql == "BEGIN" {
            queued.removeAll()
            return value
        }
        let commandTag: String
        do {
            commandTag = try send("COMMIT", []) { String(cString: PQcmdStatus($0)) }
        } catch {
            // A queued write failed and the COMMIT after it did not run: the transaction is aborted.
            rollBack()
            throw error
        }
        guard commandTag == "COMMIT" else {
            throw PostgresError(code: .queryFailed,
                                message: "transaction rolled back: a statement in it failed and its error was caught")
        }
        return value
    }

    /// Drops what is still queued and rolls back what was sent (nothing, when even BEGIN was still queued).
    private func rollBack() {
        let nothingSent = queued.first?.sql == "BEGIN"
        queued.removeAll()
        // If the connection is gone the server has already rolled back; the body's error matters.
        if !nothingSent { _ = try? execute("ROLLBACK") }
    }
}
