import Foundation

/// When feedback counts as overdue and who hears about it, once a day (`FEEDBACK_OVERDUE_HOURS`,
/// `DIGEST_TIME`, `DIGEST_MAX_AGE_DAYS`, `DIGEST_CHANNEL`, `DIGEST_ROLES`).
public struct DigestSettings: Sendable, Equatable {
    /// Feedback is overdue this many hours after the interview's end (also "on time" in `report`).
    public var overdueHours: Int
    /// Minutes after local midnight from which the day's digest goes out; nil: digests are off.
    public var timeMinute: Int?
    /// Interviews that ended longer ago than this drop out of digests.
    public var maxAgeDays: Int
    /// A channel id: one combined digest goes there (at `timeMinute` UTC) instead of DMs.
    public var channel: String?
    /// Hiring-team roles that get the digest, lower-cased (matched case-insensitively).
    public var roles: Set<String>

    public static let standard = DigestSettings(
        overdueHours: 24, timeMinute: 9 * 60 + 30, maxAgeDays: 14, channel: nil,
        roles: ["recruiter", "recruiting coordinator"])

    public init(overdueHours: Int, timeMinute: Int?, maxAgeDays: Int, channel: String?, roles: Set<String>) {
        self.overdueHours = overdueHours
        self.timeMinute = timeMinute
        self.maxAgeDays = maxAgeDays
        self.channel = channel
        self.roles = roles
    }

    /// True when `role` (a hiring-team role as Ashby sends it) is one that gets the digest.
    public func chases(role: String?) -> Bool {
        guard let role else { return false }
        return roles.contains(role.trimmingCharacters(in: .whitespaces).lowercased())
    }
}

extension DigestSettings {
    /// Reads the digest's variables; every error names the variable, never its value.
    init(_ settings: ConfigurationValues) throws(ConfigurationError) {
        self = .standard
        overdueHours = try settings.wholeNumber("FEEDBACK_OVERDUE_HOURS", default: 24, in: 1...720)
        maxAgeDays = try settings.wholeNumber("DIGEST_MAX_AGE_DAYS", default: 14, in: 1...365)
        if let time = try settings.text("DIGEST_TIME") {
            if time.lowercased() == "off" {
                timeMinute = nil
            } else {
                let parts = time.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2,
                      let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
                else { throw ConfigurationError("DIGEST_TIME must be a time like 09:30 (24-hour clock) or off") }
                timeMinute = hour * 60 + minute
            }
        }
        if let channel = try settings.text("DIGEST_CHANNEL") {
            guard channel.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }), let first = channel.first, "CGD".contains(first) else {
                throw ConfigurationError("DIGEST_CHANNEL must be a Slack channel id such as C0123456789 (not a #name)")
            }
            self.channel = channel
        }
        if let roles = try settings.text("DIGEST_ROLES") {
            let parsed = Set(roles.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
            guard !parsed.isEmpty else { throw ConfigurationError("DIGEST_ROLES must list hiring-team roles, e.g. Recruiter,Recruiting Coordinator") }
            self.roles = parsed
        }
    }
}
