import AshbyAPI
import Foundation
import Postgres

/// Writes interview definitions and feedback form definitions, a page per statement.
///
/// Each upsert only touches rows whose columns differ (`IS DISTINCT FROM`), so re-pulling
/// unchanged definitions rewrites nothing; `RETURNING (xmax = 0)` tells inserts from updates.
/// Text is compared in its stored form (a NUL bound as U+FFFD, `PostgresText`), JSON made storable first.
struct ReferenceStore {
    let connection: PostgresConnection

    func upsertInterviews(_ interviews: [AshbyInterview]) throws -> TableCounts {
        let rows = try deduplicated(interviews, id: \.id, what: "interview")
        guard !rows.isEmpty else { return TableCounts() }
        let result = try connection.query(SQL.upsertInterviews, [
            rows.map { $0.id.lowercased() }, rows.map(\.title), rows.map(\.externalTitle),
            try rows.map { try InvalidPayload.checkedOptionalUUID($0.feedbackFormDefinitionId, "interview \($0.id): feedbackFormDefinitionId") },
            try rows.map { try InvalidPayload.checkedOptionalUUID($0.jobId, "interview \($0.id): jobId") },
            rows.map(\.isArchived), rows.map(\.isDebrief),
            rows.map(\.instructionsPlain), rows.map(\.instructionsHtml),
        ])
        return try TableCounts(fetched: interviews.count, upserted: result)
    }

    /// Rows for interviews Ashby could not describe, so events referencing them can still be stored;
    /// a later `interview.list` pass fills them in.
    func insertPlaceholderInterviews(_ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        try connection.enqueue(SQL.insertPlaceholderInterviews, [ids])
    }

    func upsertForms(_ forms: [AshbyFeedbackFormDefinition]) throws -> TableCounts {
        let rows = try deduplicated(forms, id: \.id, what: "feedback form")
        guard !rows.isEmpty else { return TableCounts() }
        let result = try connection.query(SQL.upsertForms, [
            rows.map { $0.id.lowercased() }, rows.map(\.title), rows.map { $0.formDefinition.map(StorableText.jsonb) },
            rows.map(\.isArchived), rows.map(\.isDefaultForm),
            try rows.map { try InvalidPayload.checkedOptionalUUID($0.interviewId, "feedback form \($0.id): interviewId") },
        ])
        return try TableCounts(fetched: forms.count, upserted: result)
    }


    /// One item per id (the last copy wins): a statement may not upsert the same row twice.
    private func deduplicated<Item>(_ items: [Item], id: KeyPath<Item, String>, what: String) throws(InvalidPayload) -> [Item] {
        var latest: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let key = try InvalidPayload.checkedUUID(item[keyPath: id], "\(what) \(item[keyPath: id]): id")
            latest[key] = index
        }
        return latest.values.sorted().map { items[$0] }
    }

    private enum SQL {
        static let upsertInterviews = """
            INSERT INTO interviews AS i
                (interview_id, title, external_title, feedback_form_definition_id, job_id, is_archived, is_debrief,
                 instructions_plain, instructions_html)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::boolean[], $7::boolean[],
                                 $8::text[], $9::text[])
            ON CONFLICT (interview_id) DO UPDATE SET
                title = EXCLUDED.title, external_title = EXCLUDED.external_title,
                feedback_form_definition_id = EXCLUDED.feedback_form_definition_id, job_id = EXCLUDED.job_id,
                is_archived = EXCLUDED.is_archived, is_debrief = EXCLUDED.is_debrief,
                instructions_plain = EXCLUDED.instructions_plain, instructions_html = EXCLUDED.instructions_html,
                updated_at = now()
            WHERE (i.title, i.external_title, i.feedback_form_definition_id, i.job_id, i.is_archived, i.is_debrief,
                   i.instructions_plain, i.instructions_html)
                IS DISTINCT FROM
                  (EXCLUDED.title, EXCLUDED.external_title, EXCLUDED.feedback_form_definition_id, EXCLUDED.job_id,
                   EXCLUDED.is_archived, EXCLUDED.is_debrief, EXCLUDED.instructions_plain, EXCLUDED.instructions_html)
            RETURNING (xmax = 0) AS inserted
            """
        static let insertPlaceholderInterviews = """
            INSERT INTO interviews (interview_id) SELECT unnest($1::uuid[]) ON CONFLICT (interview_id) DO NOTHING
            """
        static let upsertForms = """
            INSERT INTO feedback_form_definitions AS f
                (form_definition_id, title, definition, is_archived, is_default_form, interview_id)
            SELECT id, title, definition::jsonb, is_archived, is_default_form, interview_id
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::boolean[], $5::boolean[], $6::uuid[])
                AS page(id, title, definition, is_archived, is_default_form, interview_id)
            ON CONFLICT (form_definition_id) DO UPDATE SET
                title = EXCLUDED.title, definition = EXCLUDED.definition, is_archived = EXCLUDED.is_archived,
                is_default_form = EXCLUDED.is_default_form, interview_id = EXCLUDED.interview_id, updated_at = now()
            WHERE (f.title, f.definition, f.is_archived, f.is_default_form, f.interview_id)
                IS DISTINCT FROM
                  (EXCLUDED.title, EXCLUDED.definition, EXCLUDED.is_archived, EXCLUDED.is_default_form, EXCLUDED.interview_id)
            RETURNING (xmax = 0) AS inserted
            """
    }
}
