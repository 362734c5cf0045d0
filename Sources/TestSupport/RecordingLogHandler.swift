import Logging
import Synchronization

/// A log handler that keeps every entry in memory, so tests can check what was (and was not) logged.
/// Shared by every test target (handlers are values; the log lives in `Store`).
public struct RecordingLogHandler: LogHandler {
    public struct Entry: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]

        /// Message and metadata in one string, for "never contains" checks.
        public var text: String {
            ([message] + metadata.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    /// Shared by every copy of the handler (handlers are values; the log is not).
    public final class Store: Sendable {
        private let entries = Mutex<[Entry]>([])

        public var all: [Entry] {
            entries.withLock { $0 }
        }

        func append(_ entry: Entry) {
            entries.withLock { $0.append(entry) }
        }
    }

    let store: Store
    public var logLevel: Logger.Level = .trace
    public var metadata: Logger.Metadata = [:]

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        store.append(Entry(
            level: event.level,
            message: event.message.description,
            metadata: merged.mapValues { "\($0)" }
        ))
    }

    /// A logger writing into a fresh store.
    public static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "test") { _ in RecordingLogHandler(store: store) }, store)
    }
}
