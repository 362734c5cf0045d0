import Foundation

/// A strict reader of the Prometheus text format as the metrics file uses it (gauges only): every
/// sample must follow its family's `# HELP` and `# TYPE`, names must be valid, values finite.
struct PrometheusParser {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    var samples: [Sample] = []

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    static func parse(_ text: String) throws -> PrometheusParser {
        guard text.hasSuffix("\n") else { throw Invalid(description: "the text does not end with a newline") }
        var parsed = PrometheusParser()
        var help: Set<String> = [], type: Set<String> = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            func fail(_ why: String) -> Invalid { Invalid(description: "line \(number + 1) \(why): \(line)") }
            let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            if line.hasPrefix("# HELP ") {
                guard words.count == 4, isName(words[2]), help.insert(words[2]).inserted else { throw fail("bad HELP") }
            } else if line.hasPrefix("# TYPE ") {
                guard words.count == 4, isName(words[2]), words[3] == "gauge", help.contains(words[2]),
                      type.insert(words[2]).inserted else { throw fail("bad TYPE") }
            } else {
                let sample = try parseSample(String(line), fail: fail)
                guard help.contains(sample.name), type.contains(sample.name) else { throw fail("sample without HELP and TYPE") }
                guard sample.value.isFinite else { throw fail("value not finite") }
                parsed.samples.append(sample)
            }
        }
        return parsed
    }

    private static func parseSample(_ line: String, fail: (String) -> Invalid) throws -> Sample {
        guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { throw fail("no value") }
        var series = String(line[..<space])
        var labels: [String: String] = [:]
        if let brace = series.firstIndex(of: "{") {
            guard series.hasSuffix("}") else { throw fail("unclosed labels") }
            let body = series[series.index(after: brace)..<series.index(before: series.endIndex)]
            for pair in body.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, isName(parts[0]), parts[1].hasPrefix("\""), parts[1].hasSuffix("\""), parts[1].count >= 2 else {
                    throw fail("bad label")
                }
                labels[parts[0]] = String(parts[1].dropFirst().dropLast())
            }
            series = String(series[..<brace])
        }
        guard isName(series) else { throw fail("bad metric name") }
        return Sample(name: series, labels: labels, value: value)
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || first == "_" || first == ":" else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == ":") }
    }
}
