import Foundation

/// The three forms of `report`: a readable table, JSON with snake_case keys, and CSV a spreadsheet
/// (or Python's csv module) loads as is.
public enum TurnaroundFormat {
    public static func json(_ report: TurnaroundReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    /// One row per line, the first column saying which kind (`overall`, `interviewer`, `job`).
    public static func csv(_ report: TurnaroundReport) -> String {
        var rows = [[
            "scope", "interviewer_name", "interviewer_email", "job_title", "interviews_needing_feedback", "submitted",
            "on_time", "median_hours_to_feedback", "p90_hours_to_feedback", "outstanding",
        ]]
        for (scope, line) in lines(report) {
            rows.append([
                scope, line.interviewerName ?? "", line.interviewerEmail ?? "", line.jobTitle ?? "",
                "\(line.interviewsNeedingFeedback)", "\(line.submitted)", "\(line.onTime)", hours(line.medianHoursToFeedback),
                hours(line.p90HoursToFeedback), "\(line.outstanding)",
            ])
        }
        return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    public static func table(_ report: TurnaroundReport) -> String {
        var output = ["Feedback turnaround, interviews ended in the last \(report.days) days (on time = within \(report.overdueHours) h):", ""]
        let header = ["", "needed", "submitted", "on time", "median h", "p90 h", "outstanding"]
        var rows: [[String]] = []
        for (scope, line) in lines(report) {
            let label = switch scope {
            case "interviewer": [line.interviewerName, line.interviewerEmail.map { "<\($0)>" }].compactMap { $0 }.joined(separator: " ")
            case "job": "job: \(line.jobTitle ?? "unknown")"
            default: "overall"
            }
            rows.append([
                label, "\(line.interviewsNeedingFeedback)", "\(line.submitted)", "\(line.onTime)",
                hours(line.medianHoursToFeedback).isEmpty ? "-" : hours(line.medianHoursToFeedback),
                hours(line.p90HoursToFeedback).isEmpty ? "-" : hours(line.p90HoursToFeedback), "\(line.outstanding)",
            ])
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            let cells = row.enumerated().map { index, cell in
                index == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }
            output.append(cells.joined(separator: "  "))
        }
        return output.joined(separator: "\n")
    }

    private static func lines(_ report: TurnaroundReport) -> [(String, TurnaroundReport.Line)] {
        [("overall", report.overall)] + report.interviewers.map { ("interviewer", $0) } + report.jobs.map { ("job", $0) }
    }

    private static func hours(_ value: Double?) -> String {
        value.map { String(format: "%.1f", $0) } ?? ""
    }

    /// RFC 4180: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or `@` is
    /// prefixed with `'` so a spreadsheet never runs a name as a formula.
    private static func field(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { ",\"\r\n".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
