import Foundation
import Postgres

/// The SQL of post-interview nudges: which scorecards are outstanding, the claim of a nudge (a
/// `slack_messages` row of kind `nudge` plus one `slack_message_items` row per scorecard it is about),
/// and the posted nudges to edit when a scorecard comes in. Posting outcomes and edits are recorded
/// with `MessageLedger`, as for reminders.
///
/// A nudge lists the oldest scorecards due, as many as Slack's limits allow (`NudgeMessage.listable`),
/// and counts the others without listing them. Each listed one is an item with its `nudge_number`:
/// it counts toward `FEEDBACK_NUDGE_MAX`. Each unlisted one is an item with a NULL `nudge_number`: it
/// is not nudged, but its cadence starts over as if it were (no second nudge the same working day),
/// so a backlog is told once a day in one DM rather than spread over the next runs; later nudges list
/// it as the older ones come in or reach their maximum. An edit counts the unlisted that are still missing.
struct NudgeStore {
    /// An (event, interviewer) whose interview is over and whose scorecard is not in.
    struct Outstanding: Sendable, Equatable {
        var eventID: String
        var interviewerID: String
        var slackUserID: String
        var email: String
        /// The recipient's Slack time zone.
        var timeZone: SlackTimeZone
        var endTime: Date
        var feedbackLink: String?
        var interviewTitle: String?
        var applicationID: String?
        /// From the synced applications: nil while the application is not synced.
        var candidateName: String?
        var jobTitle: String?
        /// The application's status (`Active`, `Archived`, `Hired`, `Lead`); nil while unknown (not
        /// synced yet, or the key lacks `candidatesRead`): nobody is nudged about it then.
        var applicationStatus: String?
        /// Nudges that listed it (toward `FEEDBACK_NUDGE_MAX`).
        var nudgesSoFar: Int
        /// When the latest nudge that listed or counted it was claimed: its next one waits a working day.
        var lastNudgeAt: Date?
    }

    /// A posted nudge with its lines as they stand today.
    struct PostedNudge: Sendable {
        var messageID: Int64
        var slackUserID: String
        var channel: String
        var ts: String
        var fingerprint: String?
        /// The scorecards it lists, in order.
        var lines: [OutstandingScorecard] = []
        /// The scorecards it counted without listing them that are still missing.
        var unlistedWaiting = 0
    }

    /// A scorecard a nudge is about: listed as the `nudgeNumber`-th nudge about it, or, with a nil
    /// `nudgeNumber`, counted as waiting without being listed.
    struct Line: Sendable {
        var scorecard: OutstandingScorecard
        var nudgeNumber: Int?
    }

    /// A nudge this run claimed: its ledger row, the lines it won, and how many it counts unlisted.
    struct Claim: Sendable {
        var messageID: Int64
        var lines: [OutstandingScorecard]
        var unlisted: Int
    }

    let connection: PostgresConnection

    /// Outstanding scorecards of interviews that ended in (`oldestEnd`, `now`] with fewer than
    /// `maxNudges` nudges claimed, per recipient in order of their end.
    func outstanding(now: Date, oldestEnd: Date, maxNudges: Int) throws -> [Outstanding] {
        try connection.query(SQL.outstanding, [now, oldestEnd, maxNudges]).rows.map { row in
            Outstanding(
                eventID: try row["event_id"].decode(String.self),
                interviewerID: try row["interviewer_id"].decode(String.self),
                slackUserID: try row["slack_user_id"].decode(String.self),
                email: try row["email"].decode(String.self),
                timeZone: SlackTimeZone(name: try row["tz"].decode(String?.self), offset: try row["tz_offset"].decode(Int?.self)),
                endTime: try row["end_time"].decode(Date.self),
                feedbackLink: try row["feedback_link"].decode(String?.self),
                interviewTitle: try row["title"].decode(String?.self),
                applicationID: try row["application_id"].decode(String?.self),
                candidateName: try row["candidate_name"].decode(String?.self),
                jobTitle: try row["job_title"].decode(String?.self),
                applicationStatus: try row["application_status"].decode(String?.self),
                nudgesSoFar: try row["nudges"].decode(Int.self),
                lastNudgeAt: try row["last_nudge_at"].decode(Date?.self))
        }
    }

    /// Claims one nudge to `slackUserID` about `lines` (each listed one the next nudge of its
    /// scorecard), in one committed transaction. Listed lines another run claimed first are left out;
    /// returns the message row, the listed lines it won and the count of unlisted ones, or nil when it
    /// won no listed line.
    func claim(slackUserID: String, lines: [Line], runID: UUID, now: Date) throws -> Claim? {
        struct LostClaim: Error {}
        do {
            return try connection.transaction {
                let messageID = try connection.query(SQL.claimMessage, [slackUserID, now, runID]).rows[0][0].decode(Int64.self)
                let scorecards = lines.map(\.scorecard)
                let won = try connection.query(SQL.claimItems, [
                    messageID, scorecards.map(\.eventID), scorecards.map(\.interviewerID), lines.map(\.nudgeNumber),
                    Array(0..<lines.count), scorecards.map(\.candidateName), scorecards.map(\.jobTitle),
                    scorecards.map(\.interviewTitle), scorecards.map(\.endedAt), scorecards.map(\.feedbackLink),
                ]).rows
                let wonKeys = Set(try won.filter { try $0[2].decode(Bool.self) }.map {
                    "\(try $0[0].decode(String.self))/\(try $0[1].decode(String.self))"
                })
                let kept = lines.filter { $0.nudgeNumber != nil }.map(\.scorecard)
                    .filter { wonKeys.contains("\($0.eventID)/\($0.interviewerID)") }
                guard !kept.isEmpty else { throw LostClaim() }
                return Claim(messageID: messageID, lines: kept, unlisted: won.count - wonKeys.count)
            }
        } catch is LostClaim {
            return nil
        }
    }

    /// A post that failed and may be tried again: its lines are released, so a later run claims them anew.
    func releaseLines(messageID: Int64) throws {
        try connection.execute(SQL.releaseItems, [messageID])
    }

    /// Posted nudges claimed after `since`, with each line's scorecard marked submitted when it came in.
    func posted(since: Date) throws -> [PostedNudge] {
        var nudges: [PostedNudge] = []
        for row in try connection.query(SQL.posted, [since]).rows {
            let messageID = try row["message_id"].decode(Int64.self)
            if nudges.last?.messageID != messageID {
                nudges.append(PostedNudge(
                    messageID: messageID, slackUserID: try row["slack_user_id"].decode(String.self),
                    channel: try row["channel_id"].decode(String.self), ts: try row["message_ts"].decode(String.self),
                    fingerprint: try row["fingerprint"].decode(String?.self)))
            }
            let line = OutstandingScorecard(
                eventID: try row["event_id"].decode(String.self),
                interviewerID: try row["interviewer_id"].decode(String.self),
                candidateName: try row["candidate_name"].decode(String?.self),
                jobTitle: try row["job_title"].decode(String?.self),
                interviewTitle: try row["interview_title"].decode(String?.self),
                endedAt: try row["ended_at"].decode(Date.self),
                feedbackLink: try row["feedback_link"].decode(String?.self),
                submitted: try row["submitted"].decode(Bool.self))
            if try row["listed"].decode(Bool.self) {
                nudges[nudges.count - 1].lines.append(line)
            } else if !line.submitted {
                nudges[nudges.count - 1].unlistedWaiting += 1
            }
        }
        return nudges
    }

    /// Nudges claimed since `since`, by post state (for `status`: posted, failed, unknown, claimed).
    func postStates(since: Date) throws -> [String: Int] {
        var states: [String: Int] = [:]
        for row in try connection.query(SQL.postStates, [since]).rows {
            states[try row["post_state"].decode(String.self)] = try row["n"].decode(Int.self)
        }
        return states
    }

    private enum SQL {
        static let outstanding = """
            SELECT p.event_id::text, p.interviewer_id::text, u.slack_user_id, u.email, u.tz, u.tz_offset, p.end_time,
                   p.feedback_link, p.title, p.application_id::text, \(ApplicationFacts.names), ap.status AS application_status,
                   coalesce(n.nudges, 0) AS nudges, n.last_nudge_at
            FROM \(FeedbackRules.owedPairs()) p
            JOIN slack_users u ON u.email = lower(p.email) AND NOT u.deleted AND NOT u.is_bot
            \(ApplicationFacts.join(applicationID: "p.application_id"))
            LEFT JOIN LATERAL (
                SELECT count(it.nudge_number)::int AS nudges, max(m.claimed_at) AS last_nudge_at
                FROM slack_message_items it JOIN slack_messages m ON m.message_id = it.message_id AND m.kind = 'nudge'
                WHERE it.event_id = p.event_id AND it.interviewer_id = p.interviewer_id
            ) n ON true
            WHERE p.end_time <= $1 AND p.end_time > $2 AND coalesce(n.nudges, 0) < $3
            ORDER BY u.slack_user_id, p.end_time, p.event_id, p.interviewer_id
            """
        static let claimMessage = """
            INSERT INTO slack_messages (kind, slack_user_id, post_state, claimed_at, claimed_by_run)
            VALUES ('nudge', $1, 'claimed', $2::timestamptz, $3::uuid) RETURNING message_id
            """
        static let claimItems = """
            INSERT INTO slack_message_items
                (message_id, event_id, interviewer_id, nudge_number, position, candidate_name, job_title,
                 interview_title, ended_at, feedback_link)
            SELECT $1::bigint, * FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::int[], $6::text[], $7::text[], $8::text[],
                                     $9::timestamptz[], $10::text[])
            ON CONFLICT DO NOTHING
            RETURNING event_id::text, interviewer_id::text, nudge_number IS NOT NULL
            """
        static let releaseItems = "DELETE FROM slack_message_items WHERE message_id = $1"
        static let posted = """
            SELECT m.message_id, m.slack_user_id, m.channel_id, m.message_ts, m.fingerprint,
                   it.event_id::text, it.interviewer_id::text, it.candidate_name, it.job_title, it.interview_title,
                   it.ended_at, it.feedback_link, it.nudge_number IS NOT NULL AS listed,
                   \(FeedbackRules.submitted(event: "it.event_id", interviewer: "it.interviewer_id")) AS submitted
            FROM slack_messages m JOIN slack_message_items it ON it.message_id = m.message_id
            WHERE m.kind = 'nudge' AND m.post_state = 'posted' AND m.channel_id IS NOT NULL AND m.message_ts IS NOT NULL
              AND m.edit_state IS DISTINCT FROM 'failed' AND m.claimed_at > $1
            ORDER BY m.message_id, it.position
            """
        static let postStates = """
            SELECT post_state, count(*) AS n FROM slack_messages
            WHERE kind = 'nudge' AND claimed_at > $1 GROUP BY post_state
            """
    }
}
