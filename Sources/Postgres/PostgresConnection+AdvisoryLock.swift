extension PostgresConnection {
    /// Takes the session-level advisory lock `key` if no other session holds it; never waits.
    /// The lock lasts until `advisoryUnlock` or until this connection closes.
    public func tryAdvisoryLock(_ key: Int64) throws(PostgresError) -> Bool {
        try query("SELECT pg_try_advisory_lock($1::bigint)", [key]).rows[0][0].decode(Bool.self)
    }

    /// Releases the advisory lock `key`; returns false if this session did not hold it.
    @discardableResult
    public func advisoryUnlock(_ key: Int64) throws(PostgresError) -> Bool {
        try query("SELECT pg_advisory_unlock($1::bigint)", [key]).rows[0][0].decode(Bool.self)
    }
}
