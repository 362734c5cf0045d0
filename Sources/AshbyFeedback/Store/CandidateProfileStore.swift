import Foundation
import Postgres

/// `candidate_profiles`: each candidate's Ashby profile link (`candidate.info` `profileUrl`, which
/// `application.list` lacks), fetched during the pull for candidates with an interview coming up, so
/// a reminder shows it without asking Ashby.
struct CandidateProfileStore {
    /// One candidate's link as fetched; nil when Ashby has none for them (the row says "asked").
    struct Profile: Sendable, Equatable {
        var candidateID: String
        var profileURL: String?
    }

    let connection: PostgresConnection

    /// Candidates of applications with an event starting in (`from`, `until`] in a schedule whose events
    /// take place, whose profile was never fetched: soonest interview first, at most `limit`.
    func missing(from: Date, until: Date, limit: Int) throws -> [String] {
        try connection.query(SQL.missing, [from, until, limit]).rows.map { try $0[0].decode(String.self) }
    }

    /// Stores fetched profiles in one statement (a candidate fetched again replaces its row).
    func save(_ profiles: [Profile], now: Date) throws -> TableCounts {
        guard !profiles.isEmpty else { return TableCounts() }
        let result = try connection.query(SQL.save, [profiles.map(\.candidateID), profiles.map(\.profileURL), now])
        return try TableCounts(fetched: profiles.count, upserted: result)
    }

    private enum SQL {
        static let missing = """
            SELECT ap.candidate_id::text
            FROM interview_events e
            JOIN interview_schedules s ON s.schedule_id = e.schedule_id AND \(ScheduleRules.takesPlace)
            JOIN applications ap ON ap.application_id = s.application_id
            WHERE e.start_time > $1 AND e.start_time <= $2 AND e.removed_at IS NULL AND ap.candidate_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM candidate_profiles cp WHERE cp.candidate_id = ap.candidate_id)
            GROUP BY ap.candidate_id
            ORDER BY min(e.start_time), ap.candidate_id
            LIMIT $3
            """
        static let save = """
            INSERT INTO candidate_profiles AS c (candidate_id, profile_url, fetched_at)
            SELECT id, url, $3::timestamptz FROM unnest($1::uuid[], $2::text[]) AS page(id, url)
            ON CONFLICT (candidate_id) DO UPDATE SET profile_url = EXCLUDED.profile_url, fetched_at = EXCLUDED.fetched_at
            RETURNING (xmax = 0) AS inserted
            """
    }
}
