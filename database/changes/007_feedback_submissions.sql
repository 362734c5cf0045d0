-- Version 7: who actually submitted feedback. One row per Ashby application feedback
-- (applicationFeedback.list), credited to an interviewer (creditedToUser, else submittedByUser);
-- the scorecard's answers are never stored. And each Slack member's time zone, for working hours.
-- Folded into database/schema.sql. By hand, in one transaction:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f database/changes/007_feedback_submissions.sql

CREATE TABLE feedback_submissions (
    feedback_id        UUID PRIMARY KEY,
    application_id     UUID,
    -- The interview event it was given for; NULL for feedback given outside an interview.
    event_id           UUID,
    -- creditedToUser.id when present, else submittedByUser.id.
    interviewer_id     UUID,
    form_definition_id UUID,
    submitted_at       TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX feedback_submissions_event_interviewer_idx ON feedback_submissions (event_id, interviewer_id);

-- IANA zone name (`tz`) and the offset in seconds at fetch time (`tz_offset`); NULL for bots and some guests.
ALTER TABLE slack_users ADD COLUMN tz TEXT;
ALTER TABLE slack_users ADD COLUMN tz_offset INTEGER;

INSERT INTO schema_migrations (version, name, description)
VALUES (7, 'feedback_submissions', 'Feedback submissions per interviewer, and Slack members'' time zones');
