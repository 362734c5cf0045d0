import Foundation
import Postgres

extension StatusReport {
    /// A recipient's latest digest: the local day it was for, when it went out, its post state.
    public struct DigestDelivery: Sendable, Codable, Equatable {
        public var recipient: String
        public var day: String
        public var postedAt: Date?
        public var state: String
    }

    /// Overdue feedback now and the latest digest per recipient.
    public struct Digests: Sendable, Codable, Equatable {
        /// (event, interviewer) pairs overdue by more than FEEDBACK_OVERDUE_HOURS, within DIGEST_MAX_AGE_DAYS.
        public var overdueNow: Int
        /// Of those, overdue by more than three days.
        public var overdueOverThreeDays: Int
        public var latest: [DigestDelivery]
    }

    static func readDigests(_ connection: PostgresConnection, settings: DigestSettings, now: Date) throws -> Digests {
        let store = DigestStore(connection: connection)
        let overdue = try store.overdue(now: now, overdueHours: settings.overdueHours, maxAgeDays: settings.maxAgeDays)
        return Digests(
            overdueNow: overdue.count,
            overdueOverThreeDays: overdue.filter { $0.item.overdueMinutes > 3 * 24 * 60 }.count,
            latest: try store.lastDigests(limit: 20))
    }
}
