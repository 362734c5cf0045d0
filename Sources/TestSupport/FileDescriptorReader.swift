import Foundation

/// Reads a file descriptor to its end, retrying reads interrupted by a signal. Foundation's
/// `readDataToEndOfFile()` traps on `EINTR`, which a child exiting (SIGCHLD) can cause while another
/// thread reads its pipe.
public enum FileDescriptorReader {
    public static func readToEnd(_ handle: FileHandle) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                return data
            }
        }
    }
}
