internal import CLibPQ

/// The options of one connection attempt, read back from libpq (`PQconninfo`), so that the server
/// being tried when its `connect_timeout` ran out can be left out of the next attempt.
///
/// libpq's rule for a multi-host connection string (`host=a,b port=5432,5433`,
/// `postgresql://h1:p1,h2:p2/db`): a server that cannot be reached in time is given up for the next
/// one. libpq applies it only inside its blocking `PQconnectdb`; a connection driven with
/// `PQconnectPoll` (as `PostgresConnection` does, for the SQLSTATE of a refused login) must give the
/// server up itself. libpq moves past refused and unreachable servers by itself either way.
struct ConnectionServers {
    /// Every option set for the attempt (defaults included), as `PQconnectStartParams` takes them.
    private(set) var settings: [(keyword: String, value: String)] = []

    init(_ conn: OpaquePointer) {
        guard let options = PQconninfo(conn) else { return }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                settings.append((String(cString: keyword), String(cString: value)))
            }
            option += 1
        }
    }

    /// These settings without the server `host`:`port` (`PQhost`, `PQport` of the attempt), or nil when
    /// it is the only server or cannot be told apart in the lists.
    func without(host: String, port: String) -> [(keyword: String, value: String)]? {
        let hosts = list("host"), addresses = list("hostaddr"), ports = list("port")
        let count = max(hosts.count, addresses.count)
        guard count > 1 else { return nil }
        // A list of one entry applies to every server (libpq's rule for `port`).
        func entry(_ list: [String], _ index: Int) -> String {
            list.count == count ? list[index] : list.count == 1 ? list[0] : ""
        }
        let position = (0..<count).first { index in
            let name = entry(hosts, index).isEmpty ? entry(addresses, index) : entry(hosts, index)
            let itsPort = entry(ports, index)
            return name == host && (itsPort.isEmpty || itsPort == port)
        }
        guard let position else { return nil }
        return settings.map { keyword, value in
            guard ["host", "hostaddr", "port"].contains(keyword) else { return (keyword, value) }
            var entries = list(keyword)
            guard entries.count == count else { return (keyword, value) }
            entries.remove(at: position)
            return (keyword, entries.joined(separator: ","))
        }
    }

    /// The comma-separated entries of `keyword` (empty when it is not set).
    private func list(_ keyword: String) -> [String] {
        guard let value = settings.first(where: { $0.keyword == keyword })?.value else { return [] }
        return value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
}
