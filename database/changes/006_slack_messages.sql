-- Version 6: a ledger of every Slack message the job posts, so a reminder can be edited when its
-- interview changes and reminded again after a real move (issue 10). One row per posted message;
-- `feedback_reminders_sent` keeps its meaning (one row per (event, interviewer), pointing at the
-- latest DM). No foreign key to interview_events: no schedule edit can ever delete a ledger row.
-- Folded into database/schema.sql. By hand, in one transaction:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f database/changes/006_slack_messages.sql

CREATE TABLE slack_messages (
    message_id           BIGSERIAL PRIMARY KEY,
    kind                 TEXT NOT NULL CHECK (kind IN ('reminder', 'nudge', 'digest')),
    event_id             UUID,
    interviewer_id       UUID,
    slack_user_id        TEXT NOT NULL,
    channel_id           TEXT,
    message_ts           TEXT,
    announced_start_time TIMESTAMPTZ,
    fingerprint          TEXT,
    candidate_name       TEXT,
    job_title            TEXT,
    candidate_profile_url TEXT,
    post_state           TEXT NOT NULL DEFAULT 'posted'
                         CHECK (post_state IN ('claimed', 'posted', 'failed', 'unknown')),
    post_failure_reason  TEXT,
    post_failure_temporary BOOLEAN,
    claimed_at           TIMESTAMPTZ,
    claimed_by_run       UUID,
    posted_at            TIMESTAMPTZ,
    edit_state           TEXT CHECK (edit_state IN ('edited', 'pending', 'failed')),
    edit_reason          TEXT,
    edit_error           TEXT,
    edit_attempts        INTEGER NOT NULL DEFAULT 0,
    last_edit_attempt_at TIMESTAMPTZ,
    edited_at            TIMESTAMPTZ,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- One reminder per (event, interviewer, announced start): the claim of a post, so two runs (or a
-- run after a crash) can never post the same reminder twice.
CREATE UNIQUE INDEX slack_messages_reminder_claim_idx
    ON slack_messages (event_id, interviewer_id, announced_start_time) WHERE kind = 'reminder';
CREATE INDEX slack_messages_event_idx ON slack_messages (event_id);

-- Every reminder already sent becomes an editable ledger row. What it showed is unknown apart
-- from its start, taken to be the event's current one; fingerprint NULL means "adopt without
-- editing while the facts still match, edit once they differ".
INSERT INTO slack_messages
    (kind, event_id, interviewer_id, slack_user_id, channel_id, message_ts, announced_start_time,
     post_state, posted_at, created_at)
SELECT 'reminder', r.event_id, r.interviewer_id, r.slack_user_id, r.slack_channel_id, r.slack_message_ts,
       e.start_time, 'posted', coalesce(r.sent_at, now()), coalesce(r.sent_at, now())
FROM feedback_reminders_sent r
JOIN interview_events e ON e.event_id = r.event_id
WHERE r.status = 'sent' AND r.slack_user_id IS NOT NULL
  AND r.slack_channel_id IS NOT NULL AND r.slack_message_ts IS NOT NULL;

INSERT INTO schema_migrations (version, name, description)
VALUES (6, 'slack_messages', 'A ledger of every posted Slack message, so reminders can be edited and re-sent after a move');
