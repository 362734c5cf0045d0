import Foundation
import Logging

/// Writes one line per log event to standard error: a JSON object (`ts`, `level`, `event`,
/// `run_id`, then the metadata fields) or, with `.text`, a readable `key=value` line.
///
/// The log message is the event name (e.g. `sync_started`); details travel as metadata so that
/// ops can filter on fields instead of parsing sentences.
public struct LineLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case json, text
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let format: Format
    private let output: LineOutput

    public init(format: Format, level: Logger.Level, output: LineOutput = .standardError) {
        self.format = format
        self.logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let explicit = event.metadata { fields.merge(explicit) { _, new in new } }
        if let error = event.error { fields["error"] = "\(error)" }
        let timestamp = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
        let name = event.message.description
        switch format {
        case .json:
            output.write(Self.jsonLine(timestamp: timestamp, level: event.level, event: name, fields: fields))
        case .text:
            output.write(Self.textLine(timestamp: timestamp, level: event.level, event: name, fields: fields))
        }
    }

    static func jsonLine(timestamp: String, level: Logger.Level, event: String, fields: Logger.Metadata) -> String {
        var line = "{\"ts\":\(jsonString(timestamp)),\"level\":\(jsonString(level.rawValue)),\"event\":\(jsonString(event))"
        if let runID = fields["run_id"] { line += ",\"run_id\":\(jsonValue(runID))" }
        for key in fields.keys.sorted() where key != "run_id" {
            line += ",\(jsonString(key)):\(jsonValue(fields[key]!))"
        }
        return line + "}\n"
    }

    static func textLine(timestamp: String, level: Logger.Level, event: String, fields: Logger.Metadata) -> String {
        var line = "\(timestamp) \(level.rawValue.uppercased()) \(event)"
        let keys = fields.keys.sorted { ($0 == "run_id" ? "" : $0) < ($1 == "run_id" ? "" : $1) }
        for key in keys {
            line += " \(key)=\(textValue(fields[key]!))"
        }
        return line + "\n"
    }

    private static func jsonValue(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string):
            return jsonString(string)
        case .stringConvertible(let convertible):
            switch convertible {
            case let number as Int: return String(number)
            case let number as Int64: return String(number)
            case let number as Double where number.isFinite: return String(number)
            case let flag as Bool: return flag ? "true" : "false"
            default: return jsonString(convertible.description)
            }
        case .array(let values):
            return "[" + values.map(jsonValue).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            return "{" + dictionary.keys.sorted().map { "\(jsonString($0)):\(jsonValue(dictionary[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    private static func textValue(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string):
            return string.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) || string.isEmpty
                ? jsonString(string) : string
        case .stringConvertible(let convertible):
            return textValue(.string(convertible.description))
        case .array, .dictionary:
            return jsonValue(value)
        }
    }

    static func jsonString(_ string: String) -> String {
        var escaped = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case let control where control.value < 0x20:
                escaped += String(format: "\\u%04x", control.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}

/// Where log lines go; each line is written whole, so lines from threads never interleave.
public final class LineOutput: @unchecked Sendable {
    /// Standard error through `write(2)`: a closed stderr drops the line instead of killing the process.
    public static let standardError = LineOutput { line in
        StandardError.write(line)
    }

    private let lock = NSLock()
    private let sink: @Sendable (String) -> Void

    public init(sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    func write(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        sink(line)
    }
}
