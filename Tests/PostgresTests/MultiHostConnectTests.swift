#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Postgres
import Testing
import TestSupport

/// A multi-host `DATABASE_URL` (`host=a,b`, `postgresql://h1:p1,h2:p2/db`) tries the next server when one
/// cannot be reached, as libpq's own `PQconnectdb` does: one that refuses, and one that does not answer
/// within `connect_timeout` (issue 18, item 7).
@Suite(.timeLimit(.minutes(1))) struct MultiHostConnectTests {
    @Test func aRefusingFirstHostFallsThroughToTheNext() throws {
        try TestDatabase.with { database, _ in
            let refusing = RefusingPort()
            let connection = try PostgresConnection(
                "host=127.0.0.1,127.0.0.1 port=\(refusing.port),\(try Self.clusterPort()) user=postgres dbname=\(database.name)")
            #expect(try connection.query("SELECT 1 AS one").rows[0]["one"].decode(Int.self) == 1)
            withExtendedLifetime(refusing) {}
        }
    }

    /// The first server accepts the connection and never answers: after its timeout the next one is
    /// tried, with a timeout of its own.
    @Test func aSilentFirstHostFallsThroughAfterItsTimeout() throws {
        try TestDatabase.with { database, _ in
            let silent = try SilentPort()
            let connection = try PostgresConnection(
                "postgresql://postgres@127.0.0.1:\(silent.port),127.0.0.1:\(try Self.clusterPort())/\(database.name)?connect_timeout=2")
            #expect(try connection.query("SELECT current_database() AS name").rows[0]["name"].decode(String.self) == database.name)
            withExtendedLifetime(silent) {}
        }
    }

    @Test func whenEveryServerIsSilentTheErrorNamesEachTimeout() throws {
        let first = try SilentPort(), second = try SilentPort()
        let error = #expect(throws: PostgresError.self) {
            try PostgresConnection("host=127.0.0.1,127.0.0.1 port=\(first.port),\(second.port) user=postgres dbname=x connect_timeout=2")
        }
        #expect(error?.isConnectionFailure == true)
        #expect(error?.description.contains("port \(first.port) failed: timeout expired") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("port \(second.port) failed: timeout expired") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("\n") == false)
        withExtendedLifetime((first, second)) {}
    }

    static func clusterPort() throws -> String {
        try #require(ProcessInfo.processInfo.environment["PGTEST_PORT"], "scripts/test.sh sets PGTEST_PORT")
    }

    /// A port on 127.0.0.1 that accepts connections (the kernel completes them into the backlog) and
    /// never says a word.
    final class SilentPort: Sendable {
        let port: UInt16
        private let descriptor: Int32

        init() throws {
            (descriptor, port) = try LoopbackSocket.bound(listening: 8)
        }

        deinit {
            close(descriptor)
        }
    }
}
