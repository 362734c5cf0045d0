import Foundation

/// Builds the Prometheus text exposition format (version 0.0.4): per metric family one `# HELP`,
/// one `# TYPE` and its samples, with label values and help text escaped as the format requires.
struct PrometheusText {
    /// One sample of a family: its labels and value.
    struct Sample {
        var labels: [String: String] = [:]
        var value: Double
    }

    private(set) var text = ""

    /// Adds a gauge family; a family without samples is left out. Samples whose value is not finite
    /// are left out too (the format allows NaN, but a gauge here that is not a number is a bug).
    mutating func gauge(_ name: String, help: String, _ samples: [Sample]) {
        let samples = samples.filter(\.value.isFinite)
        guard !samples.isEmpty else { return }
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) gauge\n"
        for sample in samples {
            text += name + Self.labels(sample.labels) + " " + Self.format(sample.value) + "\n"
        }
    }

    mutating func gauge(_ name: String, help: String, _ value: Double) {
        gauge(name, help: help, [Sample(value: value)])
    }

    private static func labels(_ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.keys.sorted().map { "\($0)=\"\(escapeLabel(labels[$0]!))\"" }.joined(separator: ",") + "}"
    }

    /// Whole numbers without a fraction, others with millisecond precision (enough for timestamps).
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.3f", value)
    }

    private static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func escapeLabel(_ text: String) -> String {
        escapeHelp(text).replacingOccurrences(of: "\"", with: "\\\"")
    }
}
