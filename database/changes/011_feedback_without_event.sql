-- Version 11: a scorecard without its event still counts (issue 19). `applicationFeedback.list` items
-- may lack `interviewEventId`; such a submission counts for the events of its application and interview
-- that its submitter is on (matched when read, so a submission stored before its event counts once the
-- event arrives). For that, each submission keeps its `interviewId`, and both lookups are indexed: a
-- submission without an event by (application, interview, interviewer), and an application's schedules.
-- Folded into database/schema.sql. By hand, in one transaction:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f database/changes/011_feedback_without_event.sql

ALTER TABLE feedback_submissions ADD COLUMN interview_id UUID;

CREATE INDEX feedback_submissions_without_event_idx
    ON feedback_submissions (application_id, interview_id, interviewer_id) WHERE event_id IS NULL;

CREATE INDEX interview_schedules_application_id_idx ON interview_schedules (application_id);

-- Submissions stored before this version have no interview_id, and the interviewer was taken from
-- creditedToUser when present (Ashby documents only submittedByUser). Forgetting the sync token makes
-- the next run read applicationFeedback.list in full and rewrite every row from submittedByUser with
-- its interview; the token never moves past data that was not written.
UPDATE sync_state SET sync_token = NULL, token_updated_at = NULL WHERE resource = 'feedback_submissions';

INSERT INTO schema_migrations (version, name, description)
VALUES (11, 'feedback_without_event', 'Submissions keep their interview, so one without its event still counts');
