-- Version 9: post-interview nudges (issue 11). A nudge is one `slack_messages` row (kind 'nudge')
-- listing one or more outstanding scorecards; each listed (event, interviewer) is an item here,
-- with what its line showed, so a grouped nudge can be edited line by line without an Ashby lookup.
-- The unique (event, interviewer, nudge_number) is the claim a nudge takes before it is sent.
-- And `sync_state` remembers why a resource cannot be pulled (a key without a permission).
-- Folded into database/schema.sql. By hand, in one transaction:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f database/changes/009_feedback_nudges.sql

CREATE TABLE slack_message_items (
    message_id      BIGINT NOT NULL REFERENCES slack_messages (message_id) ON DELETE CASCADE,
    event_id        UUID NOT NULL,
    interviewer_id  UUID NOT NULL,
    -- 1 for the first nudge about this (event, interviewer), 2 for the next…; NULL for other kinds.
    nudge_number    INTEGER CHECK (nudge_number >= 1),
    -- The line's place in its message.
    position        INTEGER NOT NULL,
    candidate_name  TEXT,
    job_title       TEXT,
    interview_title TEXT,
    ended_at        TIMESTAMPTZ NOT NULL,
    feedback_link   TEXT,
    PRIMARY KEY (message_id, event_id, interviewer_id)
);

CREATE UNIQUE INDEX slack_message_items_nudge_claim_idx
    ON slack_message_items (event_id, interviewer_id, nudge_number) WHERE nudge_number IS NOT NULL;

-- Nudges and digests look for interviews that ended in a recent range, on every run.
CREATE INDEX interview_events_end_time_idx ON interview_events (end_time);

ALTER TABLE sync_state ADD COLUMN unavailable_reason TEXT;
ALTER TABLE sync_state ADD COLUMN unavailable_since TIMESTAMPTZ;

INSERT INTO schema_migrations (version, name, description)
VALUES (9, 'feedback_nudges', 'Post-interview nudges listing outstanding scorecards, and why a resource cannot be pulled');
