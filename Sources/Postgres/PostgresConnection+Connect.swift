internal import CLibPQ
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension PostgresConnection {
    /// Opens and prepares a connection, or throws a one-line, password-free error.
    ///
    /// libpq's non-blocking connect is driven here instead of calling `PQconnectdb`, so that error
    /// verbosity can be raised before the server answers: the message then carries the SQLSTATE
    /// (28P01, 3D000...), which libpq exposes for connection failures in no other way.
    /// `connect_timeout` bounds the wait for each server. As in `PQconnectdb`, a server that times out
    /// is given up for the next one of a multi-host string (`ConnectionServers`); libpq itself moves
    /// past servers that refuse or cannot be reached. The attempt fails when no server is left.
    static func open(_ conninfo: String) throws(PostgresError) -> OpaquePointer {
        let suppliedPassword = try password(in: conninfo)
        // expand_dbname: the first dbname value is read as a whole connection string, as psql does.
        var settings: [(keyword: String, value: String)] = [("dbname", conninfo), ("client_encoding", "UTF8")]
        var expandDatabaseName = true
        // What became of the servers given up so far, for the error when none is left.
        var givenUp: [String] = []
        while true {
            let conn = try start(settings, expandDatabaseName: expandDatabaseName)
            let failure: String
            switch establish(conn) {
            case .connected:
                if let configuring = configure(conn) {
                    failure = configuring
                    break
                }
                PQsetErrorVerbosity(conn, PQERRORS_DEFAULT)
                return conn
            case .failed(let message):
                failure = message
            case .timedOut(let host, let port):
                let note = String(cString: PQerrorMessage(conn))
                    + "connection to server at \"\(host)\", port \(port) failed: timeout expired"
                guard let rest = ConnectionServers(conn).without(host: host, port: port) else {
                    failure = note
                    break
                }
                givenUp.append(note)
                PQfinish(conn)
                (settings, expandDatabaseName) = (rest, false)
                continue
            }
            let error = connectionError(
                conn, libpqMessage: (givenUp + [failure]).joined(separator: "\n"), suppliedPassword: suppliedPassword)
            PQfinish(conn)
            throw error
        }
    }

    /// Starts a non-blocking connection attempt with `settings`, its error messages verbose.
    private static func start(
        _ settings: [(keyword: String, value: String)], expandDatabaseName: Bool
    ) throws(PostgresError) -> OpaquePointer {
        let keywords = settings.map { strdup($0.keyword)! }
        let values = settings.map { strdup($0.value)! }
        defer { (keywords + values).forEach { free($0) } }
        guard let conn = PQconnectStartParams(keywords.map { UnsafePointer($0) } + [nil],
                                              values.map { UnsafePointer($0) } + [nil], expandDatabaseName ? 1 : 0)
        else { throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection") }
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        PQsetErrorVerbosity(conn, PQERRORS_VERBOSE)
        return conn
    }

    /// The password a connection string spells out, to scrub it from libpq's messages.
    /// A string libpq cannot parse is rejected here, with quoted fragments of it removed.
    private static func password(in conninfo: String) throws(PostgresError) -> String? {
        // libpq's own test: a URI prefix or an `=` makes it a connection string, else a database name.
        guard conninfo.hasPrefix("postgresql://") || conninfo.hasPrefix("postgres://") || conninfo.contains("=")
        else { return nil }
        var parseError: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &parseError) else {
            let text = parseError.map { String(cString: $0) } ?? "out of memory"
            PQfreemem(parseError)
            // Quoted fragments may be pieces of the password; single characters like "=" are kept.
            let message = PostgresError.oneLine(text).replacing(#/"([^"]*)"/#) {
                $0.output.1.count > 1 ? "\"…\"" : $0.output.0
            }
            throw PostgresError(code: .invalidConnectionString, message: "invalid connection string: \(message)")
        }
        defer { PQconninfoFree(options) }
        return value(of: "password", in: options)
    }

    /// The wait per server when the connection string sets no `connect_timeout`.
    static let defaultConnectTimeout = Duration.seconds(10)

    /// How a connection attempt ended.
    private enum Attempt {
        case connected
        /// libpq gave up (every server refused, failed or was unreachable): its error text.
        case failed(String)
        /// The server at `host`:`port` was still being tried when its `connect_timeout` ran out.
        case timedOut(host: String, port: String)
    }

    /// Polls the connection attempt to its end, each server (each new socket) within its own timeout.
    private static func establish(_ conn: OpaquePointer) -> Attempt {
        let options = PQconninfo(conn)
        defer { PQconninfoFree(options) }
        // libpq treats 1 as 2 and 0 as "wait forever"; without the option a cron job must not hang
        // on a silent server, so each server gets `defaultConnectTimeout`.
        let timeout: Duration? = switch value(of: "connect_timeout", in: options).flatMap(Int.init) {
        case nil: defaultConnectTimeout
        case let seconds? where seconds > 0: .seconds(max(seconds, 2))
        default: nil
        }
        var socket: SocketIdentity?
        var deadline: ContinuousClock.Instant?
        var state = PGRES_POLLING_WRITING
        while PQstatus(conn) != CONNECTION_BAD {
            switch state {
            case PGRES_POLLING_OK:
                return .connected
            case PGRES_POLLING_READING, PGRES_POLLING_WRITING:
                // A new socket is a new server (or address) being tried: its own deadline. The number
                // alone does not tell: the next server's socket often reuses the closed one's.
                let current = SocketIdentity(PQsocket(conn))
                if current != socket {
                    socket = current
                    deadline = timeout.map { .now + $0 }
                }
                guard wait(for: PQsocket(conn), reading: state == PGRES_POLLING_READING, until: deadline) else {
                    return .timedOut(host: PQhost(conn).map { String(cString: $0) } ?? "",
                                     port: PQport(conn).map { String(cString: $0) } ?? "")
                }
            default:
                break
            }
            state = PQconnectPoll(conn)
        }
        return .failed(String(cString: PQerrorMessage(conn)))
    }

    /// One open socket, told apart from a later one that gets the same descriptor number.
    private struct SocketIdentity: Equatable {
        var descriptor: Int32
        var device: UInt64
        var inode: UInt64

        init(_ descriptor: Int32) {
            var status = stat()
            let known = fstat(descriptor, &status) == 0
            self.descriptor = descriptor
            device = known ? UInt64(status.st_dev) : 0
            inode = known ? UInt64(status.st_ino) : 0
        }
    }

    /// Waits until the socket is ready (or reports an error, which PQconnectPoll then reads);
    /// false when the deadline passes first.
    private static func wait(for socket: Int32, reading: Bool, until deadline: ContinuousClock.Instant?) -> Bool {
        var descriptor = pollfd(fd: socket, events: Int16(reading ? POLLIN : POLLOUT), revents: 0)
        while true {
            var milliseconds: Int32 = -1
            if let deadline {
                let remaining = ContinuousClock.now.duration(to: deadline)
                guard remaining > .zero else { return false }
                milliseconds = Int32(min(Double(Int32.max), (remaining / .milliseconds(1)).rounded(.up)))
            }
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 || (ready < 0 && errno != EINTR) { return true }
        }
    }

    /// Pins the session settings that decoding relies on; nil on success, else the error text.
    private static func configure(_ conn: OpaquePointer) -> String? {
        let result = PQexec(conn, "SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO'")
        defer { PQclear(result) }
        guard let result, PQresultStatus(result) == PGRES_COMMAND_OK else {
            return String(cString: PQerrorMessage(conn))
        }
        return nil
    }

    /// One line naming the server and database, libpq's reason without passwords, and the
    /// SQLSTATE that verbose messages carry (`FATAL:  3D000: database "x" does not exist`).
    private static func connectionError(_ conn: OpaquePointer, libpqMessage: String,
                                        suppliedPassword: String?) -> PostgresError {
        var text = libpqMessage
        for password in [suppliedPassword, PQpass(conn).map { String(cString: $0) }] {
            if let password, !password.isEmpty { text = text.replacingOccurrences(of: password, with: "…") }
        }
        let sqlStatePattern = #/(FATAL|ERROR|PANIC):  ([0-9A-Z]{5}): /#
        let sqlState = text.matches(of: sqlStatePattern).last.map { String($0.output.2) }
        text = text.replacing(sqlStatePattern) { "\($0.output.1):  " }

        let database = PQdb(conn).map { String(cString: $0) } ?? ""
        let host = PQhost(conn).map { String(cString: $0) } ?? ""
        let port = PQport(conn).map { String(cString: $0) } ?? ""
        var target = database.isEmpty ? "PostgreSQL" : "database \"\(database)\""
        if !host.isEmpty { target += " on \(host)" + (port.isEmpty ? "" : ":\(port)") }

        var error = PostgresError(code: .connectionFailed, sqlState: sqlState,
                                  message: "cannot connect to \(target): \(PostgresError.oneLine(text))")
        error.passwordMissing = PQconnectionNeedsPassword(conn) == 1
        return error
    }

    /// The value of one keyword in a libpq option array (frees nothing).
    private static func value(of keyword: String, in options: UnsafeMutablePointer<PQconninfoOption>?) -> String? {
        guard var option = options else { return nil }
        while let name = option.pointee.keyword {
            if String(cString: name) == keyword { return option.pointee.val.map { String(cString: $0) } }
            option += 1
        }
        return nil
    }
}
