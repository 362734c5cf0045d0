-- Version 8 (to be renumbered 009 at merge, after the nudges' 008): who chases overdue feedback
-- (issue 12). The user who scheduled each schedule (`scheduledBy`), the `application.info` facts a
-- digest needs (candidate, job, stage, hiring team) cached per application, and the ledger columns
-- that make a digest unique per recipient (a Slack user, or the DIGEST_CHANNEL) per local day.
-- Folded into database/schema.sql. By hand, in one transaction:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f database/changes/008_digests.sql

ALTER TABLE interview_schedules ADD COLUMN scheduled_by_id UUID;
ALTER TABLE interview_schedules ADD COLUMN scheduled_by_email TEXT;
ALTER TABLE interview_schedules ADD COLUMN scheduled_by_name TEXT;

-- `application.info` as a digest needs it, refreshed at most a few times a day per application, so a
-- run every 5 minutes does not ask Ashby about every application with overdue feedback.
CREATE TABLE application_lookups (
    application_id UUID PRIMARY KEY,
    candidate_name TEXT,
    job_id         UUID,
    job_title      TEXT,
    stage_title    TEXT,
    -- [{"user_id", "email", "name", "role"}] as application.info's hiringTeam lists them.
    hiring_team    JSONB NOT NULL DEFAULT '[]'::jsonb,
    fetched_at     TIMESTAMPTZ NOT NULL
);

-- A digest's local day (the recipient's, UTC for a channel) and the items it listed, so an edit
-- strikes what cleared without asking Ashby again.
ALTER TABLE slack_messages ADD COLUMN digest_day DATE;
ALTER TABLE slack_messages ADD COLUMN digest_items JSONB;

-- One digest per recipient per local day: the claim a digest takes before it is sent.
CREATE UNIQUE INDEX slack_messages_digest_claim_idx
    ON slack_messages (slack_user_id, digest_day) WHERE kind = 'digest';

INSERT INTO schema_migrations (version, name, description)
VALUES (8, 'digests', 'Who scheduled each schedule, cached application facts, one digest per recipient per local day');
