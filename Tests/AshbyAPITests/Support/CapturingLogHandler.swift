import Logging
import Synchronization

/// A log handler that keeps every line in memory, so tests can check what was logged and what never was.
struct CapturingLogHandler: LogHandler {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]

        /// Message and metadata as one string, for "never contains" checks.
        var text: String {
            ([message] + metadata.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    /// The log shared by every copy of the handler (handlers are values, the log is not).
    final class Store: Sendable {
        private let entries = Mutex<[Entry]>([])

        var all: [Entry] { entries.withLock { $0 } }

        func append(_ entry: Entry) {
            entries.withLock { $0.append(entry) }
        }
    }

    let store: Store
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        store.append(Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
    }

    /// A trace-level logger writing into a fresh store.
    static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "ashby-test") { _ in CapturingLogHandler(store: store) }, store)
    }
}
