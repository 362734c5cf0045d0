import Foundation

/// When people are at work (`WORKING_HOURS` on `WORKING_DAYS`), judged in each person's own time
/// zone (`SlackTimeZone`): nudges and digests reach people only then, never at 3 a.m. their time.
public struct WorkingHours: Sendable, Equatable {
    /// Minutes after local midnight when the working day starts and ends (end exclusive).
    public var startMinute: Int
    public var endMinute: Int
    /// Working weekdays, 1 = Sunday … 7 = Saturday (Foundation's `Calendar` numbering).
    public var weekdays: Set<Int>

    public static let standard = WorkingHours(startMinute: 9 * 60, endMinute: 18 * 60, weekdays: [2, 3, 4, 5, 6])

    public init(startMinute: Int, endMinute: Int, weekdays: Set<Int>) {
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.weekdays = weekdays
    }

    /// UTC: the zone of the digest channel, and `DEFAULT_TIME_ZONE` unless set.
    public static let utc = TimeZone(secondsFromGMT: 0)!

    /// True when `date` falls on a working day inside working hours, in `zone`.
    public func contains(_ date: Date, in zone: TimeZone) -> Bool {
        let local = Self.calendar(zone).dateComponents([.weekday, .hour, .minute], from: date)
        let minute = (local.hour ?? 0) * 60 + (local.minute ?? 0)
        return weekdays.contains(local.weekday ?? 0) && minute >= startMinute && minute < endMinute
    }

    /// The local calendar day of `date` in `zone`, e.g. "2026-12-01": one digest per person per day.
    public func localDay(of date: Date, in zone: TimeZone) -> String {
        let day = Self.calendar(zone).dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", day.year ?? 0, day.month ?? 0, day.day ?? 0)
    }

    /// `date`'s local time of day in `zone`, in minutes after midnight.
    public func minuteOfDay(_ date: Date, in zone: TimeZone) -> Int {
        let local = Self.calendar(zone).dateComponents([.hour, .minute], from: date)
        return (local.hour ?? 0) * 60 + (local.minute ?? 0)
    }

    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}

extension WorkingHours {
    /// Parses `WORKING_HOURS` ("09:00-18:00") and `WORKING_DAYS` ("Mon-Fri", "Mon-Sun", "Mon,Wed,Fri").
    /// The error names the variable, never its value.
    static func parse(hours: String?, days: String?) throws(ConfigurationError) -> WorkingHours {
        var result = WorkingHours.standard
        if let hours {
            let parts = hours.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let start = minute(parts[0]), let end = minute(parts[1]), start < end else {
                throw ConfigurationError("WORKING_HOURS must look like 09:00-18:00 (start before end, 24-hour clock)")
            }
            result.startMinute = start
            result.endMinute = end
        }
        if let days {
            var weekdays = Set<Int>()
            for item in days.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                let range = item.split(separator: "-").map { weekday(String($0).trimmingCharacters(in: .whitespaces)) }
                guard !range.isEmpty, range.count <= 2, let first = range.first ?? nil, let last = range.last ?? nil else {
                    throw ConfigurationError("WORKING_DAYS must list days like Mon-Fri, Mon-Sun or Mon,Wed,Fri")
                }
                // Monday-first ranges: Mon-Fri, Mon-Sun, Sat-Sun (wrapping past Sunday is refused).
                let order = [2, 3, 4, 5, 6, 7, 1]
                guard let from = order.firstIndex(of: first), let to = order.firstIndex(of: last), from <= to else {
                    throw ConfigurationError("WORKING_DAYS must list days like Mon-Fri, Mon-Sun or Mon,Wed,Fri")
                }
                weekdays.formUnion(order[from...to])
            }
            result.weekdays = weekdays
        }
        return result
    }

    private static func minute(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 24 * 60 else { return nil }
        return hour * 60 + minute
    }

    private static func weekday(_ text: String) -> Int? {
        ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7][String(text.lowercased().prefix(3))]
    }
}
