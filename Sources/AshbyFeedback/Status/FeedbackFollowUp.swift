import Foundation
import Postgres

/// What `status` shows about feedback after the interviews: scorecards still missing by how long
/// ago their interview ended, and the nudges of the last 24 hours by outcome.
public struct FeedbackFollowUp: Sendable, Codable, Equatable {
    /// Scorecards owed (`FeedbackRules.owedPairs`, interview over), by age of the end.
    public var outstandingUnderOneDay = 0
    public var outstandingOneToThreeDays = 0
    public var outstandingOlder = 0
    /// Nudges claimed in the last 24 hours by post state: `posted`, `failed`, `unknown`, `claimed`.
    public var nudgesLastDay: [String: Int] = [:]

    public var nudgesSent: Int { nudgesLastDay["posted"] ?? 0 }
    public var nudgesFailed: Int { (nudgesLastDay["failed"] ?? 0) + (nudgesLastDay["unknown"] ?? 0) }

    static func read(_ connection: PostgresConnection, now: Date) throws -> FeedbackFollowUp {
        let row = try connection.query(SQL.outstanding, [now]).rows[0]
        return FeedbackFollowUp(
            outstandingUnderOneDay: try row["under_1d"].decode(Int.self),
            outstandingOneToThreeDays: try row["from_1d_to_3d"].decode(Int.self),
            outstandingOlder: try row["older"].decode(Int.self),
            nudgesLastDay: try NudgeStore(connection: connection).postStates(since: now.addingTimeInterval(-86_400)))
    }

    private enum SQL {
        static let outstanding = """
            SELECT count(*) FILTER (WHERE p.end_time > $1::timestamptz - interval '1 day') AS under_1d,
                   count(*) FILTER (WHERE p.end_time <= $1::timestamptz - interval '1 day'
                                      AND p.end_time > $1::timestamptz - interval '3 days') AS from_1d_to_3d,
                   count(*) FILTER (WHERE p.end_time <= $1::timestamptz - interval '3 days') AS older
            FROM \(FeedbackRules.owedPairs()) p
            WHERE p.end_time <= $1
            """
    }
}
