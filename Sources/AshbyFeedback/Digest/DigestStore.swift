import Foundation
import Postgres

/// The SQL of digests: which feedback is overdue at `now` (with its application's names and hiring team
/// from the synced `applications`, in the same query), the Slack members who may receive a digest, and
/// the digest rows of the message ledger (kind `digest`, one per recipient per local day).
struct DigestStore {
    /// An overdue (event, interviewer) pair with who scheduled it and its application's hiring team.
    struct Overdue: Sendable, Equatable {
        var item: DigestItem
        var scheduledByEmail: String?
        /// Nil while the application is not synced (the team is unknown: the item waits).
        var hiringTeam: [HiringTeamMember]?
    }

    /// A Slack member who can receive a digest, with their time zone.
    struct Member: Sendable, Equatable {
        var slackUserID: String
        var timeZone: SlackTimeZone
    }

    /// A posted digest that may still need an edit.
    struct Posted: Sendable {
        var messageID: Int64
        var channel: String
        var ts: String
        var fingerprint: String?
        var items: [DigestItem]
    }

    let connection: PostgresConnection

    // MARK: What is overdue

    /// Every pair owing feedback (`FeedbackRules.owedPairs` at `now`) whose interview ended more than
    /// `overdueHours` before `now` and less than `maxAgeDays` before it, with its application's names,
    /// stage and hiring team. Oldest first.
    func overdue(now: Date, overdueHours: Int, maxAgeDays: Int) throws -> [Overdue] {
        var teams: [String: [HiringTeamMember]] = [:]
        return try connection.query(SQL.overdue, [now, overdueHours, maxAgeDays]).rows.map { row in
            let end = try row["end_time"].decode(Date.self)
            let deadline = end.addingTimeInterval(Double(overdueHours) * 3600)
            var team: [HiringTeamMember]?
            if let json = try row["hiring_team"].decode(String?.self) {
                // Decoded once per application: an application's items share its team.
                team = try teams[json] ?? JSONDecoder().decode([HiringTeamMember].self, from: Data(json.utf8))
                teams[json] = team
            }
            return Overdue(
                item: DigestItem(
                    eventID: try row["event_id"].decode(String.self),
                    interviewerID: try row["interviewer_id"].decode(String.self),
                    applicationID: try row["application_id"].decode(String?.self),
                    candidateName: try row["candidate_name"].decode(String?.self),
                    jobTitle: try row["job_title"].decode(String?.self),
                    stageTitle: try row["stage_title"].decode(String?.self),
                    interviewTitle: try row["title"].decode(String?.self),
                    interviewerName: try row["interviewer_name"].decode(String?.self),
                    endTime: end,
                    feedbackLink: try row["feedback_link"].decode(String?.self),
                    overdueMinutes: Int(now.timeIntervalSince(deadline) / 60)),
                scheduledByEmail: try row["scheduled_by_email"].decode(String?.self),
                hiringTeam: team)
        }
    }

    /// For the listed pairs, those that no longer need chasing at `now`, and why.
    func clearances(_ keys: [DigestItemKey], now: Date) throws -> [DigestItemKey: DigestClearance] {
        guard !keys.isEmpty else { return [:] }
        var result: [DigestItemKey: DigestClearance] = [:]
        for row in try connection.query(SQL.clearances, [keys.map(\.eventID), keys.map(\.interviewerID), now]).rows {
            let key = DigestItemKey(eventID: try row["event_id"].decode(String.self), interviewerID: try row["interviewer_id"].decode(String.self))
            if try row["submitted"].decode(Bool.self) {
                result[key] = .submitted
            } else if try row["cancelled"].decode(Bool.self) {
                result[key] = .cancelled
            }
        }
        return result
    }

    /// Active, non-bot Slack members by (lower-cased) email.
    func members(emails: [String]) throws -> [String: Member] {
        guard !emails.isEmpty else { return [:] }
        var result: [String: Member] = [:]
        for row in try connection.query(SQL.members, [emails]).rows {
            result[try row["email"].decode(String.self)] = Member(
                slackUserID: try row["slack_user_id"].decode(String.self),
                timeZone: SlackTimeZone(name: try row["tz"].decode(String?.self), offset: try row["tz_offset"].decode(Int?.self)))
        }
        return result
    }

    // MARK: The ledger's digest rows

    /// Claims `recipient`'s digest of local `day` ("2026-12-01") listing `items`; nil when it was
    /// already claimed, posted or may have been posted. A post that failed temporarily is claimed again.
    func claim(recipient: String, day: String, items: [DigestItem], runID: UUID, now: Date) throws -> Int64? {
        try connection.query(SQL.claim, [recipient, day, try Self.encode(items), now, runID]).rows.first?[0].decode(Int64.self)
    }

    func recordPosted(messageID: Int64, channel: String, ts: String, fingerprint: String, now: Date) throws {
        try connection.execute(SQL.recordPosted, [messageID, channel, ts, fingerprint, now])
    }

    /// Digests posted after `since` whose last edit did not fail for good, oldest first.
    func posted(since: Date) throws -> [Posted] {
        try connection.query(SQL.posted, [since]).rows.map { row in
            Posted(
                messageID: try row["message_id"].decode(Int64.self),
                channel: try row["channel_id"].decode(String.self),
                ts: try row["message_ts"].decode(String.self),
                fingerprint: try row["fingerprint"].decode(String?.self),
                items: try Self.decode(try row["digest_items"].decode(String.self)))
        }
    }

    /// Each recipient's latest digest, newest first (for `status`).
    func lastDigests(limit: Int) throws -> [StatusReport.DigestDelivery] {
        try connection.query(SQL.lastDigests, [limit]).rows.map { row in
            StatusReport.DigestDelivery(
                recipient: try row["slack_user_id"].decode(String.self), day: try row["day"].decode(String.self),
                postedAt: try row["posted_at"].decode(Date?.self), state: try row["post_state"].decode(String.self))
        }
    }

    static func encode(_ items: [DigestItem]) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(items), as: UTF8.self)
    }

    static func decode(_ json: String) throws -> [DigestItem] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode([DigestItem].self, from: Data(json.utf8))
    }

    enum SQL {
        static let overdue = """
            SELECT p.event_id::text, p.interviewer_id::text, p.application_id::text, p.scheduled_by_email, p.title,
                   p.interviewer_name, p.end_time, p.feedback_link, \(ApplicationFacts.names), ap.stage_title,
                   ap.hiring_team::text AS hiring_team
            FROM \(FeedbackRules.owedPairs(asOf: "$1")) p
            \(ApplicationFacts.join(applicationID: "p.application_id"))
            WHERE p.end_time < $1::timestamptz - make_interval(hours => $2::int)
              AND p.end_time > $1::timestamptz - make_interval(days => $3::int)
            ORDER BY p.end_time, p.event_id, p.interviewer_id
            """
        /// A pair no longer among the pairs that need feedback (cancelled, on hold, removed, taken off
        /// the panel, no longer required) is cleared as `cancelled`: "no longer needed".
        static let clearances = """
            SELECT k.event_id::text, k.interviewer_id::text,
                   coalesce(\(FeedbackRules.submitted(event: "k.event_id", interviewer: "k.interviewer_id", asOf: "$3")), false) AS submitted,
                   p.event_id IS NULL AS cancelled
            FROM unnest($1::uuid[], $2::uuid[]) AS k(event_id, interviewer_id)
            LEFT JOIN \(FeedbackRules.neededPairs(asOf: "$3")) p ON p.event_id = k.event_id AND p.interviewer_id = k.interviewer_id
            """
        static let members = """
            SELECT email, slack_user_id, tz, tz_offset FROM slack_users
            WHERE email = ANY($1::text[]) AND NOT deleted AND NOT is_bot
            """
        static let claim = """
            INSERT INTO slack_messages AS m (kind, slack_user_id, digest_day, digest_items, post_state, claimed_at, claimed_by_run)
            VALUES ('digest', $1, $2::date, $3::jsonb, 'claimed', $4::timestamptz, $5::uuid)
            ON CONFLICT (slack_user_id, digest_day) WHERE kind = 'digest' DO UPDATE SET
                post_state = 'claimed', digest_items = EXCLUDED.digest_items, claimed_at = EXCLUDED.claimed_at,
                claimed_by_run = EXCLUDED.claimed_by_run, post_failure_reason = NULL, post_failure_temporary = NULL
            WHERE m.post_state = 'failed' AND m.post_failure_temporary
            RETURNING message_id
            """
        static let recordPosted = """
            UPDATE slack_messages SET post_state = 'posted', channel_id = $2, message_ts = $3, fingerprint = $4,
                posted_at = $5::timestamptz, post_failure_reason = NULL, post_failure_temporary = NULL
            WHERE message_id = $1
            """
        static let posted = """
            SELECT message_id, channel_id, message_ts, fingerprint, digest_items::text FROM slack_messages
            WHERE kind = 'digest' AND post_state = 'posted' AND channel_id IS NOT NULL AND message_ts IS NOT NULL
              AND digest_items IS NOT NULL AND posted_at > $1::timestamptz AND edit_state IS DISTINCT FROM 'failed'
            ORDER BY posted_at, message_id
            """
        static let lastDigests = """
            SELECT * FROM (
                SELECT DISTINCT ON (slack_user_id) slack_user_id, digest_day::text AS day, posted_at, post_state, claimed_at
                FROM slack_messages WHERE kind = 'digest'
                ORDER BY slack_user_id, digest_day DESC, message_id DESC
            ) latest ORDER BY coalesce(posted_at, claimed_at) DESC NULLS LAST, slack_user_id LIMIT $1
            """
    }
}
