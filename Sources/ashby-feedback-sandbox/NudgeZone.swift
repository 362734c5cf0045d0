import Foundation

/// The time zone the sandbox gives its Slack members: one where `now` is a weekday between 10:00 and
/// 16:00, so the demo's nudges fall inside the default working hours (09:00-18:00, Mon-Fri) whenever it
/// runs. On the rare hour no zone is on a weekday then, a zone at that time of day is taken and the env
/// file widens `WORKING_DAYS` to every day (`needsEveryDay`).
struct NudgeZone {
    let identifier: String
    let needsEveryDay: Bool

    init(now: Date) {
        let preferred = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "America/Los_Angeles", "Asia/Kolkata"]
        let zones = preferred + TimeZone.knownTimeZoneIdentifiers.sorted()
        func local(_ identifier: String) -> DateComponents? {
            guard let zone = TimeZone(identifier: identifier) else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            return calendar.dateComponents([.weekday, .hour], from: now)
        }
        func inHours(_ parts: DateComponents) -> Bool { (10..<16).contains(parts.hour ?? -1) }
        if let weekday = zones.first(where: { local($0).map { inHours($0) && (2...6).contains($0.weekday ?? 0) } ?? false }) {
            identifier = weekday
            needsEveryDay = false
        } else {
            identifier = zones.first { local($0).map(inHours) ?? false } ?? "UTC"
            needsEveryDay = true
        }
    }
}
