import AshbyAPI
import Foundation
import Postgres

/// `feedback_submissions`: who submitted feedback for which application, interview and interview event
/// (never the answers), written a page at a time in one statement. The event is stored as Ashby sends it
/// (often absent); which event a submission counts for is decided when read (`FeedbackRules.submitted`).
struct SubmissionStore {
    /// One submission as stored: ids checked to be UUIDs.
    struct Row: Sendable, Equatable {
        var feedbackID: String
        var applicationID: String?
        var interviewID: String?
        var eventID: String?
        var interviewerID: String?
        var formDefinitionID: String?
        var submittedAt: Date?

        /// The stored form of a feedback, or why it cannot be stored (an id that is not a UUID).
        init(_ feedback: AshbyApplicationFeedback) throws(InvalidPayload) {
            let what = "feedback \(feedback.id)"
            feedbackID = try InvalidPayload.checkedUUID(feedback.id, "\(what): id")
            applicationID = try InvalidPayload.checkedOptionalUUID(feedback.applicationId, "\(what): applicationId")
            interviewID = try InvalidPayload.checkedOptionalUUID(feedback.interviewId, "\(what): interviewId")
            eventID = try InvalidPayload.checkedOptionalUUID(feedback.interviewEventId, "\(what): interviewEventId")
            interviewerID = try InvalidPayload.checkedOptionalUUID(feedback.submittedByUserId, "\(what): submittedByUser.id")
            formDefinitionID = try InvalidPayload.checkedOptionalUUID(
                feedback.feedbackFormDefinitionId, "\(what): feedbackFormDefinitionId")
            submittedAt = feedback.submittedAt
        }
    }

    let connection: PostgresConnection

    /// Inserts new submissions and updates changed ones; unchanged rows are not rewritten.
    func upsert(_ rows: [Row]) throws -> TableCounts {
        guard !rows.isEmpty else { return TableCounts() }
        let result = try connection.query(SQL.upsert, [
            rows.map(\.feedbackID), rows.map(\.applicationID), rows.map(\.eventID), rows.map(\.interviewerID),
            rows.map(\.formDefinitionID), rows.map(\.submittedAt), rows.map(\.interviewID),
        ])
        return try TableCounts(fetched: rows.count, upserted: result)
    }

    private enum SQL {
        static let upsert = """
            INSERT INTO feedback_submissions AS s
                (feedback_id, application_id, event_id, interviewer_id, form_definition_id, submitted_at, interview_id)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::timestamptz[], $7::uuid[])
            ON CONFLICT (feedback_id) DO UPDATE SET
                application_id = EXCLUDED.application_id, event_id = EXCLUDED.event_id,
                interviewer_id = EXCLUDED.interviewer_id, form_definition_id = EXCLUDED.form_definition_id,
                submitted_at = EXCLUDED.submitted_at, interview_id = EXCLUDED.interview_id, updated_at = now()
            WHERE (s.application_id, s.event_id, s.interviewer_id, s.form_definition_id, s.submitted_at, s.interview_id)
                IS DISTINCT FROM (EXCLUDED.application_id, EXCLUDED.event_id, EXCLUDED.interviewer_id,
                                  EXCLUDED.form_definition_id, EXCLUDED.submitted_at, EXCLUDED.interview_id)
            RETURNING (xmax = 0) AS inserted
            """
    }
}
