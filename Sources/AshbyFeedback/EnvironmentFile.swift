import Foundation

/// Reads `KEY=VALUE` files for cron's bare environment.
///
/// Blank lines and `#` comments are ignored; an optional `export ` prefix and matching single or
/// double quotes around the value are accepted. Errors name the file and line number but never the
/// line's content, which may hold a secret.
public enum EnvironmentFile {
    public static func load(path: String) throws(ConfigurationError) -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("cannot read env file \(path): \(Self.reason(error))")
        }
        return try parse(text, source: path)
    }

    public static func parse(_ text: String, source: String) throws(ConfigurationError) -> [String: String] {
        var values: [String: String] = [:]
        for (index, rawLine) in lines(of: text).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError("\(source) line \(index + 1): expected KEY=VALUE")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard isValidKey(key) else {
                throw ConfigurationError("\(source) line \(index + 1): invalid variable name")
            }
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            } else if let first = value.first, first == "\"" || first == "'" {
                throw ConfigurationError("\(source) line \(index + 1): unterminated quote")
            }
            values[key] = value
        }
        return values
    }

    /// The lines of `text`, split at every newline form (`\r\n`, `\n`, `\r`), so a file saved on
    /// Windows reads like any other and line numbers match an editor's. Swift treats `\r\n` as one
    /// Character, which `split(separator: "\n")` never matches: a CRLF file was one long line.
    static func lines(of text: String) -> [Substring] {
        var lines: [Substring] = []
        var lineStart = text.unicodeScalars.startIndex
        var index = lineStart
        let scalars = text.unicodeScalars
        while index < scalars.endIndex {
            let scalar = scalars[index]
            guard scalar == "\n" || scalar == "\r" else {
                index = scalars.index(after: index)
                continue
            }
            lines.append(Substring(scalars[lineStart..<index]))
            index = scalars.index(after: index)
            if scalar == "\r", index < scalars.endIndex, scalars[index] == "\n" { index = scalars.index(after: index) }
            lineStart = index
        }
        lines.append(Substring(scalars[lineStart...]))
        return lines
    }

    private static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, first == "_" || (first.properties.isAlphabetic && first.isASCII) else { return false }
        return key.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        switch nsError.code {
        case NSFileReadNoSuchFileError: return "no such file"
        case NSFileReadNoPermissionError: return "permission denied"
        default: return "unreadable"
        }
    }
}
