import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The file node_exporter's textfile collector reads (`METRICS_FILE`, e.g.
/// /var/lib/node_exporter/textfile/ashby_feedback.prom), replaced atomically: the text goes to a
/// temporary file in the same directory, which is then renamed over the old one, so the collector
/// never reads half a file. The temporary name does not end in `.prom`, so it is never collected,
/// and it is removed when anything fails. The file is made world-readable (0644) whatever the
/// umask (the systemd unit sets 0077): node_exporter runs as another user.
public struct MetricsFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func write(_ text: String) throws(MetricsFileError) {
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString.lowercased()).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: temporary.path)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw MetricsFileError(path: path, reason: "cannot write a temporary file beside it (\(Self.reason(error)))")
        }
        guard rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw MetricsFileError(path: path, reason: "cannot replace it (\(reason))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let posix = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return (error as NSError).localizedDescription
    }
}

/// Why the metrics file was not written: one line naming the file (not a secret) and the cause.
public struct MetricsFileError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "METRICS_FILE \(path): \(reason)" }
}
