import Postgres

/// Writes the Slack directory (`slack_users`) in two statements, touching only changed rows.
struct SlackUserStore {
    let connection: PostgresConnection

    func upsert(_ entries: [SlackDirectory.Entry]) throws -> TableCounts {
        guard !entries.isEmpty else { return TableCounts() }
        let ids = entries.map(\.slackUserID)
        let emails = entries.map(\.email)
        // An email that moved to another account is released first (emails are unique).
        try connection.execute(SQL.releaseMovedEmails, [ids, emails])
        let result = try connection.query(SQL.upsert, [
            ids, emails, entries.map(\.realName), entries.map(\.displayName), entries.map(\.deleted),
            entries.map(\.tz), entries.map(\.tzOffset),
        ])
        return try TableCounts(fetched: entries.count, upserted: result)
    }

    private enum SQL {
        static let releaseMovedEmails = """
            UPDATE slack_users s SET email = NULL, updated_at = now()
            FROM unnest($1::text[], $2::text[]) AS d(slack_user_id, email)
            WHERE s.email = d.email AND s.slack_user_id <> d.slack_user_id
            """
        static let upsert = """
            INSERT INTO slack_users AS s (slack_user_id, email, real_name, display_name, is_bot, deleted, tz, tz_offset)
            SELECT id, email, real_name, display_name, false, deleted, tz, tz_offset
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::integer[])
                AS d(id, email, real_name, display_name, deleted, tz, tz_offset)
            ON CONFLICT (slack_user_id) DO UPDATE SET
                email = EXCLUDED.email, real_name = EXCLUDED.real_name, display_name = EXCLUDED.display_name,
                is_bot = EXCLUDED.is_bot, deleted = EXCLUDED.deleted, tz = EXCLUDED.tz, tz_offset = EXCLUDED.tz_offset,
                updated_at = now()
            WHERE (s.email, s.real_name, s.display_name, s.is_bot, s.deleted, s.tz, s.tz_offset)
                IS DISTINCT FROM (EXCLUDED.email, EXCLUDED.real_name, EXCLUDED.display_name, EXCLUDED.is_bot,
                                  EXCLUDED.deleted, EXCLUDED.tz, EXCLUDED.tz_offset)
            RETURNING (xmax = 0) AS inserted
            """
    }
}
