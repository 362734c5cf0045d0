import Postgres
import Synchronization

/// The run's PostgreSQL connections besides its own (a step on its own thread, the page writer's
/// lanes): opened with the run's session limits, and their statements added to the run's total.
/// The advisory lock stays on the run's own connection.
final class SideConnections: Sendable {
    private let databaseURL: String
    private let sessionSetup: String
    private let statementsOfClosed = Mutex(0)

    init(databaseURL: String, sessionSetup: String) {
        self.databaseURL = databaseURL
        self.sessionSetup = sessionSetup
    }

    /// A new connection with the run's session limits.
    func open() throws -> PostgresConnection {
        let connection = try PostgresConnection(databaseURL)
        try connection.execute(sessionSetup)
        return connection
    }

    /// Counts the statements of a connection the caller is done with (it closes when released).
    func done(with connection: PostgresConnection) {
        statementsOfClosed.withLock { $0 += connection.statementCount }
    }

    /// Statements sent on side connections the callers are done with.
    var statementCount: Int { statementsOfClosed.withLock { $0 } }
}
