import Foundation

/// One live line on a terminal — resource, pages, items, elapsed time — rewritten in place with `\r`
/// and cleared at the end. Log lines written through `printAbove(_:)` appear above it, so the two
/// never garble each other.
///
/// Only for a person at a terminal: the CLI creates it when standard error is a TTY and
/// `--no-progress` is absent, never under cron, systemd or Kubernetes.
public final class ProgressLine: RunObserver, @unchecked Sendable {
    /// Carriage return, then "erase to end of line" (ANSI EL).
    static let eraseLine = "\r\u{1B}[K"

    private let lock = NSLock()
    private let write: @Sendable (String) -> Void
    private let now: @Sendable () -> Date
    private var started: Date
    private var shown: String?

    /// - Parameters:
    ///   - write: where the terminal is (standard error in the CLI).
    ///   - now: the clock measuring elapsed time (fixed in tests).
    public init(write: @escaping @Sendable (String) -> Void = StandardError.write, now: @escaping @Sendable () -> Date = Date.init) {
        self.write = write
        self.now = now
        self.started = now()
    }

    public func runStarted() {
        lock.withLock { started = now() }
    }

    public func progress(_ update: RunProgress) {
        lock.withLock {
            let elapsed = Int(now().timeIntervalSince(started).rounded(.down))
            let line = "\(update.resource): page \(update.pages), \(update.items) item\(update.items == 1 ? "" : "s"), \(elapsed)s"
            shown = line
            write(Self.eraseLine + line)
        }
    }

    /// Writes a whole line (ending in a newline) above the live line.
    public func printAbove(_ line: String) {
        lock.withLock {
            if let shown {
                write(Self.eraseLine + line + shown)
            } else {
                write(line)
            }
        }
    }

    /// Removes the live line, leaving the cursor at the start of an empty line.
    public func clear() {
        lock.withLock {
            guard shown != nil else { return }
            shown = nil
            write(Self.eraseLine)
        }
    }
}
