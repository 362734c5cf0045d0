import Foundation

/// A directory of one test's own under the system's temporary directory (`TMPDIR`, else `/tmp`):
/// created empty and unique, removed with everything in it by `remove()`. Tests write files only
/// in one of these, so a run leaves nothing behind and never depends on what an earlier run left.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    /// Creates `<TMPDIR>/<prefix>-<UUID>`.
    public init(_ prefix: String = "ashby-feedback-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public var path: String { url.path }

    /// The path of `name` inside the directory (nothing is created).
    public func file(_ name: String) -> URL {
        url.appendingPathComponent(name)
    }

    /// Removes the directory and its contents; best effort (nothing left to clean up is fine).
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// Runs `body` with a fresh directory, removed afterwards whether `body` returns or throws.
    public static func with<Result>(
        _ prefix: String = "ashby-feedback-test", _ body: (TemporaryDirectory) async throws -> Result
    ) async throws -> Result {
        let directory = try TemporaryDirectory(prefix)
        defer { directory.remove() }
        return try await body(directory)
    }
}
