import Foundation
import Postgres

/// `ashby-feedback report`: how fast interviewers turn scorecards around, per interviewer, per job and
/// overall, over the interviews that ended in the last `days` days. Computed in SQL from the stored
/// tables only (no Ashby call).
///
/// An interview *needed* feedback from an interviewer when `FeedbackRules.neededPairs` lists the pair
/// (its schedule's events take place, the event was not removed, the assignment requires feedback and
/// it is not a debrief). Hours run from the interview's end to that interviewer's first submission that
/// counts for it (`FeedbackRules.firstSubmittedAt`, with or without its event); *on time* means within
/// `FEEDBACK_OVERDUE_HOURS`. An event-level "feedback submitted" flag on a one-interviewer event counts
/// as submitted, without hours (Ashby gives no time for it).
public struct TurnaroundReport: Sendable, Codable, Equatable {
    /// One line of the report: an interviewer, a job, or everything.
    public struct Line: Sendable, Codable, Equatable {
        public var interviewerName: String?
        public var interviewerEmail: String?
        public var jobTitle: String?
        public var interviewsNeedingFeedback: Int
        public var submitted: Int
        public var onTime: Int
        public var medianHoursToFeedback: Double?
        public var p90HoursToFeedback: Double?
        public var outstanding: Int
    }

    public var generatedAt: Date
    public var days: Int
    public var overdueHours: Int
    public var overall: Line
    public var interviewers: [Line]
    public var jobs: [Line]

    public static func read(_ connection: PostgresConnection, days: Int, overdueHours: Int, now: Date = Date()) throws -> TurnaroundReport {
        try SchemaVersion.requireCurrent(connection)
        var overall = Line(interviewsNeedingFeedback: 0, submitted: 0, onTime: 0, outstanding: 0)
        var interviewers: [Line] = []
        var jobs: [Line] = []
        for row in try connection.query(SQL.report, [now, days, overdueHours]).rows {
            let median = try row["median_hours"].decode(Double?.self)
            let p90 = try row["p90_hours"].decode(Double?.self)
            let line = Line(
                interviewerName: try row["interviewer_name"].decode(String?.self),
                interviewerEmail: try row["interviewer_email"].decode(String?.self),
                jobTitle: try row["job_title"].decode(String?.self),
                interviewsNeedingFeedback: try row["needed"].decode(Int.self),
                submitted: try row["submitted"].decode(Int.self),
                onTime: try row["on_time"].decode(Int.self),
                medianHoursToFeedback: median.map(Self.rounded),
                p90HoursToFeedback: p90.map(Self.rounded),
                outstanding: try row["outstanding"].decode(Int.self))
            switch try row["scope"].decode(String.self) {
            case "interviewer": interviewers.append(line)
            case "job": jobs.append(line)
            default: overall = line
            }
        }
        return TurnaroundReport(generatedAt: now, days: days, overdueHours: overdueHours, overall: overall, interviewers: interviewers, jobs: jobs)
    }

    private static func rounded(_ hours: Double) -> Double {
        (hours * 10).rounded() / 10
    }

    private enum SQL {
        static let report = """
            WITH needed AS (
                SELECT p.interviewer_id, p.interviewer_name, lower(p.email) AS interviewer_email,
                       -- The job as the synced application names it, else as a DM showed it, else the job id.
                       coalesce(ap.job_title,
                                (SELECT m.job_title FROM slack_messages m
                                 WHERE m.event_id = p.event_id AND m.job_title IS NOT NULL ORDER BY m.message_id LIMIT 1),
                                coalesce(ap.job_id, p.job_id)::text) AS job,
                       p.end_time, p.submitted_at, p.submitted AS is_submitted
                FROM \(FeedbackRules.neededPairs(asOf: "$1")) p
                \(ApplicationFacts.join(applicationID: "p.application_id"))
                WHERE p.end_time <= $1::timestamptz AND p.end_time > $1::timestamptz - make_interval(days => $2::int)
            ), timed AS (
                SELECT *, extract(epoch FROM submitted_at - end_time) / 3600.0 AS hours FROM needed
            )
            SELECT CASE WHEN grouping(interviewer_id) = 0 THEN 'interviewer' WHEN grouping(job) = 0 THEN 'job' ELSE 'overall' END AS scope,
                   CASE WHEN grouping(interviewer_id) = 0 THEN max(interviewer_name) END AS interviewer_name,
                   CASE WHEN grouping(interviewer_id) = 0 THEN max(interviewer_email) END AS interviewer_email,
                   CASE WHEN grouping(job) = 0 THEN coalesce(job, 'unknown job') END AS job_title,
                   count(*)::int AS needed,
                   count(*) FILTER (WHERE is_submitted)::int AS submitted,
                   count(*) FILTER (WHERE submitted_at <= end_time + make_interval(hours => $3::int))::int AS on_time,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) AS median_hours,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY hours) AS p90_hours,
                   count(*) FILTER (WHERE NOT is_submitted)::int AS outstanding
            FROM timed
            GROUP BY GROUPING SETS ((interviewer_id), (job), ())
            ORDER BY scope, interviewer_name NULLS LAST, job_title NULLS LAST
            """
    }
}
