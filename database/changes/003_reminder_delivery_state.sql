-- Version 3: reminders are claimed before the DM is sent, so a crash or a second run can never
-- send one twice. Rows written by earlier versions were sent, hence the 'sent' default.
-- Folded into database/schema.sql. By hand, in one transaction:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f database/changes/003_reminder_delivery_state.sql

ALTER TABLE feedback_reminders_sent
    ADD COLUMN status            TEXT NOT NULL DEFAULT 'sent'
                                 CHECK (status IN ('claimed', 'sent', 'failed', 'unknown')),
    ADD COLUMN claimed_at        TIMESTAMPTZ,
    ADD COLUMN claimed_by_run    UUID,
    ADD COLUMN attempts          INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN failure_reason    TEXT,
    ADD COLUMN failure_temporary BOOLEAN,
    ADD COLUMN last_attempt_at   TIMESTAMPTZ;

CREATE INDEX feedback_reminders_sent_status_idx ON feedback_reminders_sent (status);

INSERT INTO schema_migrations (version, name, description)
VALUES (3, 'reminder_delivery_state', 'Claim/sent/failed/unknown state, attempts and failure reason for reminders');
