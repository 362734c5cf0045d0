import Postgres

/// Writes the Slack directory (`slack_users`), touching only changed rows.
///
/// `tz_offset` moves at every daylight-saving change while `tz` stays, so it is not part of the
/// change check: a DST change rewrites no row. Only for members whose `tz` this build does not know
/// (`SlackTimeZone.isFallback`) is the offset what their zone is read from; theirs follows Slack.
struct SlackUserStore {
    /// What one write did: its counts, and the members whose rows it inserted or changed.
    struct Written: Sendable {
        var counts: TableCounts
        var memberIDs: Set<String>
    }

    let connection: PostgresConnection

    func upsert(_ entries: [SlackDirectory.Entry]) throws -> Written {
        guard !entries.isEmpty else { return Written(counts: TableCounts(), memberIDs: []) }
        let ids = entries.map(\.slackUserID)
        let emails = entries.map(\.email)
        // An email that moved to another account is released first (emails are unique).
        try connection.execute(SQL.releaseMovedEmails, [ids, emails])
        let result = try connection.query(SQL.upsert, [
            ids, emails, entries.map(\.realName), entries.map(\.displayName), entries.map(\.deleted),
            entries.map(\.tz), entries.map(\.tzOffset),
        ])
        var counts = try TableCounts(fetched: entries.count, upserted: result)
        var written = Set(try result.rows.map { try $0["slack_user_id"].decode(String.self) })
        let fallback = entries.filter(\.timeZone.isFallback)
        if !fallback.isEmpty {
            let moved = try connection.query(SQL.followOffsets, [fallback.map(\.slackUserID), fallback.map(\.tzOffset)])
                .rows.map { try $0["slack_user_id"].decode(String.self) }
            counts.updated += moved.count
            counts.unchanged -= moved.count
            written.formUnion(moved)
        }
        return Written(counts: counts, memberIDs: written)
    }

    private enum SQL {
        static let releaseMovedEmails = """
            UPDATE slack_users s SET email = NULL, updated_at = now()
            FROM unnest($1::text[], $2::text[]) AS d(slack_user_id, email)
            WHERE s.email = d.email AND s.slack_user_id <> d.slack_user_id
            """
        /// `tz_offset` is written with a changed row, but a change of it alone is no change.
        static let upsert = """
            INSERT INTO slack_users AS s (slack_user_id, email, real_name, display_name, is_bot, deleted, tz, tz_offset)
            SELECT id, email, real_name, display_name, false, deleted, tz, tz_offset
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::integer[])
                AS d(id, email, real_name, display_name, deleted, tz, tz_offset)
            ON CONFLICT (slack_user_id) DO UPDATE SET
                email = EXCLUDED.email, real_name = EXCLUDED.real_name, display_name = EXCLUDED.display_name,
                is_bot = EXCLUDED.is_bot, deleted = EXCLUDED.deleted, tz = EXCLUDED.tz, tz_offset = EXCLUDED.tz_offset,
                updated_at = now()
            WHERE (s.email, s.real_name, s.display_name, s.is_bot, s.deleted, s.tz)
                IS DISTINCT FROM (EXCLUDED.email, EXCLUDED.real_name, EXCLUDED.display_name, EXCLUDED.is_bot,
                                  EXCLUDED.deleted, EXCLUDED.tz)
            RETURNING (xmax = 0) AS inserted, s.slack_user_id
            """
        /// The offsets of members whose zone is read from them (`tz` unknown here or missing).
        static let followOffsets = """
            UPDATE slack_users s SET tz_offset = d.tz_offset, updated_at = now()
            FROM unnest($1::text[], $2::integer[]) AS d(slack_user_id, tz_offset)
            WHERE s.slack_user_id = d.slack_user_id AND s.tz_offset IS DISTINCT FROM d.tz_offset
            RETURNING s.slack_user_id
            """
    }
}
