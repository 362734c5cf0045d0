-- Version 4: an event that disappears from its schedule is marked removed instead of deleted.
-- Deleting it cascaded into feedback_reminders_sent and feedback_drafts: an event that moved to
-- another schedule (or came back) lost its reminder history and was reminded twice, and the
-- interactive app lost its drafts. Removed events never get reminders.
-- Folded into database/schema.sql. By hand, in one transaction:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f database/changes/004_event_removed_at.sql

ALTER TABLE interview_events ADD COLUMN removed_at TIMESTAMPTZ;

INSERT INTO schema_migrations (version, name, description)
VALUES (4, 'event_removed_at', 'Events that leave their schedule are marked removed, keeping reminder history and drafts');
