import Foundation
import Postgres

/// Interviews whose interviewer got a reminder but has not submitted feedback yet, by how long ago
/// the interview started: a growing "over a week" count is a team habit or a broken link, not a job failure.
public struct OutstandingFeedback: Sendable, Equatable {
    public var underOneDay = 0
    public var oneToSevenDays = 0
    public var overSevenDays = 0

    public static func read(_ connection: PostgresConnection, now: Date) throws -> OutstandingFeedback {
        let row = try connection.query(SQL.byAge, [now]).rows[0]
        return OutstandingFeedback(
            underOneDay: try row["under_1d"].decode(Int.self),
            oneToSevenDays: try row["from_1d_to_7d"].decode(Int.self),
            overSevenDays: try row["over_7d"].decode(Int.self))
    }

    private enum SQL {
        static let byAge = """
            SELECT count(*) FILTER (WHERE e.start_time > $1::timestamptz - interval '1 day') AS under_1d,
                   count(*) FILTER (WHERE e.start_time <= $1::timestamptz - interval '1 day'
                                      AND e.start_time > $1::timestamptz - interval '7 days') AS from_1d_to_7d,
                   count(*) FILTER (WHERE e.start_time <= $1::timestamptz - interval '7 days') AS over_7d
            FROM feedback_reminders_sent r JOIN interview_events e USING (event_id)
            WHERE r.status = 'sent' AND r.submitted_at IS NULL AND NOT e.has_submitted_feedback
              AND e.removed_at IS NULL AND e.start_time <= $1::timestamptz
            """
    }
}
