import Foundation

/// Unbuffered output, so a log file or a pipe sees each line as soon as it is printed (`print` buffers
/// whole blocks when stdout is not a terminal, and the demo waits for "sandbox ready").
enum Console {
    static func line(_ text: String) {
        write(text, to: .standardOutput)
    }

    static func error(_ text: String) {
        write(text, to: .standardError)
    }

    /// A reader that went away (closed pipe) is not worth crashing over: the write is dropped.
    private static func write(_ text: String, to handle: FileHandle) {
        try? handle.write(contentsOf: Data((text + "\n").utf8))
    }
}
