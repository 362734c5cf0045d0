/// The rows of a query queued with `PostgresConnection.enqueueQuery`, filled in once the statement
/// it went out with has run (nil until then, and after an error).
public final class PostgresPendingResult {
    public internal(set) var result: PostgresResult?

    init() {}
}
