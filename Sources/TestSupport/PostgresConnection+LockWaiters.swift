import Postgres

extension PostgresConnection {
    /// Waits on the server, 10 ms at a time and at most `attempts` times, until `count` sessions of this
    /// database wait for an advisory lock (the cluster's other test databases have their own): how a
    /// test learns that the code under test reached a lock the test holds, without sleeping itself.
    /// - Returns: whether they did.
    public func waitForAdvisoryLockWaiters(_ count: Int, attempts: Int = 3000) throws -> Bool {
        try executeScript("""
            CREATE OR REPLACE FUNCTION pg_temp.wait_for_waiters(wanted int, attempts int) RETURNS boolean
            LANGUAGE plpgsql AS $$
            BEGIN
                FOR attempt IN 1..attempts LOOP
                    IF (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
                          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) >= wanted THEN
                        RETURN true;
                    END IF;
                    PERFORM pg_sleep(0.01);
                END LOOP;
                RETURN false;
            END $$
            """)
        return try query("SELECT pg_temp.wait_for_waiters($1, $2)", [count, attempts]).rows[0][0].decode(Bool.self)
    }
}
