import Foundation
import SlackAPI
import Testing

/// `cron/slack-app-manifest.yaml` creates the Slack app the job needs: exactly the bot scopes its
/// methods use (`SlackClient.botScopes`, so the two cannot drift), DMs possible, no interactivity.
@Suite struct SlackAppManifestTests {
    static let manifest = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("cron/slack-app-manifest.yaml")

    /// The manifest's values by dotted path (`settings.interactivity.is_enabled`), list items as arrays.
    static func values() throws -> (scalars: [String: String], lists: [String: [String]]) {
        try ManifestLines(String(contentsOf: manifest, encoding: .utf8)).values()
    }

    @Test func botScopesAreExactlyTheOnesTheCodeUses() throws {
        let (_, lists) = try Self.values()
        #expect(lists["oauth_config.scopes.bot"]?.sorted() == SlackClient.botScopes.sorted())
        #expect(lists["oauth_config.scopes.user"] == nil, "no user token")
    }

    @Test func interactivityIsOffAndDirectMessagesWork() throws {
        let (scalars, _) = try Self.values()
        #expect(scalars["settings.interactivity.is_enabled"] == "false")
        #expect(scalars["settings.interactivity.request_url"] == nil)
        #expect(scalars["features.app_home.messages_tab_enabled"] == "true")
        #expect(scalars["features.bot_user.display_name"]?.isEmpty == false)
        #expect(scalars["display_information.name"]?.isEmpty == false)
        #expect(scalars["settings.socket_mode_enabled"] == "false")
        #expect(scalars["settings.token_rotation_enabled"] == "false", "the job keeps one xoxb token")
    }

    @Test func theLineReaderFollowsNesting() {
        let yaml = "a:\n  b:\n    - x # note\n    - \"y\"\n  c: 1\n# top\nd: two\n"
        let (scalars, lists) = ManifestLines(yaml).values()
        #expect(lists["a.b"] == ["x", "y"])
        #expect(scalars["a.c"] == "1" && scalars["d"] == "two")
        #expect(scalars["a.b"] == nil)
    }
}

/// A line reader for the block-style YAML of the manifest (`key:`, `key: value`, `- item`, comments),
/// enough to read it without a YAML dependency.
private struct ManifestLines {
    let text: String

    init(_ text: String) { self.text = text }

    func values() -> (scalars: [String: String], lists: [String: [String]]) {
        var scalars: [String: String] = [:]
        var lists: [String: [String]] = [:]
        var path: [(indent: Int, key: String)] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = Self.uncommented(String(raw))
            let content = line.trimmingCharacters(in: .whitespaces)
            guard !content.isEmpty else { continue }
            let indent = line.prefix { $0 == " " }.count
            if content.hasPrefix("- ") {
                lists[path.map(\.key).joined(separator: "."), default: []].append(Self.unquoted(String(content.dropFirst(2))))
                continue
            }
            guard let colon = content.firstIndex(of: ":") else { continue }
            while let last = path.last, last.indent >= indent { path.removeLast() }
            let key = String(content[..<colon])
            let value = content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if value.isEmpty {
                path.append((indent, key))
            } else {
                scalars[(path.map(\.key) + [key]).joined(separator: ".")] = Self.unquoted(value)
            }
        }
        return (scalars, lists)
    }

    /// The line without a ` #` comment (a `#` inside quotes, like a colour, is kept).
    private static func uncommented(_ line: String) -> String {
        if line.trimmingCharacters(in: .whitespaces).hasPrefix("#") { return "" }
        var inQuotes = false
        var previous: Character = " "
        for (offset, character) in line.enumerated() {
            if character == "\"" { inQuotes.toggle() }
            if character == "#" && !inQuotes && previous == " " { return String(line.prefix(offset)) }
            previous = character
        }
        return line
    }

    private static func unquoted(_ value: String) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 2, trimmed.hasPrefix("\""), trimmed.hasSuffix("\"") else { return trimmed }
        return String(trimmed.dropFirst().dropLast())
    }
}
