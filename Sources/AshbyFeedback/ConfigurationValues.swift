import Foundation

/// Raw `KEY=VALUE` settings read the same way for every variable: surrounding whitespace and line
/// breaks trimmed (secrets mounted from files end in a newline), an empty value counting as unset.
///
/// A value that still holds a control character, or does not parse, is an error naming the
/// variable only: the value may be a secret, and error lines end up in cron mail.
struct ConfigurationValues {
    private let values: [String: String]

    init(_ values: [String: String]) {
        self.values = values
    }

    /// The trimmed value, nil when unset or blank.
    func text(_ key: String) throws(ConfigurationError) -> String? {
        guard let value = values[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ConfigurationError("\(key) contains a control character (a line break or tab inside the value): remove it")
        }
        return value
    }

    /// A whole number inside `range`, or `defaultValue` when unset.
    func wholeNumber(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let text = try text(key) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError("\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// An http(s) base URL without a trailing slash, or `defaultValue` when unset.
    func baseURL(_ key: String, default defaultValue: String) throws(ConfigurationError) -> String {
        let text = try text(key) ?? defaultValue
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host != nil else {
            throw ConfigurationError("\(key) must be an http(s) URL such as https://api.example.com")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
