#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Standard error as the job writes it: with `write(2)` in a loop, never through `FileHandle`.
///
/// `FileHandle.write` raises an Objective-C-style exception when the descriptor is closed or its
/// pipe has no reader (EPIPE), which kills the process with SIGILL — possibly between claiming a
/// reminder and recording its outcome. A line that cannot be written is dropped instead: losing a
/// log line is better than losing the run.
public enum StandardError {
    /// Writes all of `text`, retrying after interrupted and partial writes; drops the rest on any error.
    public static func write(_ text: String) {
        write(text, to: STDERR_FILENO)
    }

    /// Whether standard error is a terminal (a person watching), as opposed to a file, pipe or journal.
    public static var isTerminal: Bool {
        isatty(STDERR_FILENO) == 1
    }

    static func write(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return  // EPIPE, EBADF, a full disk: the line is dropped.
                }
            }
        }
    }
}
