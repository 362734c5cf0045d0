-- ashby-feedback: the complete current schema, for an EMPTY database.
--
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f database/schema.sql
--   (or: ashby-feedback migrate)
--
-- Every change in database/changes/ is folded in here too, and the versions this file
-- contains are recorded in schema_migrations at the end, so a fresh install and an upgraded
-- database end up identical (compare `pg_dump --schema-only` of both).

-- Version tracking -------------------------------------------------------------------------

CREATE TABLE schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT,
    applied_at  TIMESTAMPTZ DEFAULT NOW()
);

-- Core Ashby data (5 tables) -----------------------------------------------------------------

-- Interview definitions (reference table): interview.list / interview.info.
CREATE TABLE interviews (
    interview_id                UUID PRIMARY KEY,
    title                       TEXT,
    external_title              TEXT,
    feedback_form_definition_id UUID,
    job_id                      UUID,
    is_archived                 BOOLEAN NOT NULL DEFAULT FALSE,
    is_debrief                  BOOLEAN,
    instructions_plain          TEXT,
    instructions_html           TEXT,
    created_at                  TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at                  TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- One row per Ashby interview schedule; `status` is kept as Ashby sends it (unknown values too).
CREATE TABLE interview_schedules (
    schedule_id        UUID PRIMARY KEY,
    application_id     UUID,
    interview_stage_id UUID,
    status             TEXT NOT NULL,
    candidate_id       UUID,
    ashby_created_at   TIMESTAMPTZ,
    ashby_updated_at   TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- The user who scheduled it (`scheduledBy`, version 8): who gets the digest when the
    -- application's hiring team has no recruiter or coordinator.
    scheduled_by_id    UUID,
    scheduled_by_email TEXT,
    scheduled_by_name  TEXT
);

CREATE INDEX interview_schedules_status_idx ON interview_schedules (status);

-- Individual interviews within a schedule. Upserted by id and never deleted: an event that leaves
-- its schedule gets `removed_at`, so the reminder and draft rows that reference it survive every edit.
CREATE TABLE interview_events (
    event_id               UUID PRIMARY KEY,
    schedule_id            UUID NOT NULL REFERENCES interview_schedules (schedule_id) ON DELETE CASCADE,
    interview_id           UUID REFERENCES interviews (interview_id),
    start_time             TIMESTAMPTZ NOT NULL,
    end_time               TIMESTAMPTZ NOT NULL,
    feedback_link          TEXT,
    location               TEXT,
    meeting_link           TEXT,
    has_submitted_feedback BOOLEAN NOT NULL DEFAULT FALSE,
    ashby_created_at       TIMESTAMPTZ,
    ashby_updated_at       TIMESTAMPTZ,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    removed_at             TIMESTAMPTZ  -- version 4: set when the event left its schedule; never reminded
);

CREATE INDEX interview_events_schedule_id_idx ON interview_events (schedule_id);
CREATE INDEX interview_events_start_time_idx ON interview_events (start_time);

-- Interviewers assigned to an event.
CREATE TABLE interview_assignments (
    event_id             UUID NOT NULL REFERENCES interview_events (event_id) ON DELETE CASCADE,
    interviewer_id       UUID NOT NULL,
    email                TEXT,
    first_name           TEXT,
    last_name            TEXT,
    training_role        TEXT,
    is_feedback_required BOOLEAN,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (event_id, interviewer_id)
);

CREATE INDEX interview_assignments_email_idx ON interview_assignments (lower(email));

-- Audit log: every fetched Ashby payload. Schedules get one row each (with schedule_id);
-- other pages one row per page. `action` names the source endpoint, e.g. interviewSchedule.list.
CREATE TABLE ashby_webhook_payloads (
    id          BIGSERIAL PRIMARY KEY,
    schedule_id UUID,
    action      TEXT NOT NULL,
    payload     JSONB NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX ashby_webhook_payloads_schedule_id_idx ON ashby_webhook_payloads (schedule_id);
CREATE INDEX ashby_webhook_payloads_received_at_idx ON ashby_webhook_payloads (received_at);

-- Feedback application (4 tables) ------------------------------------------------------------

CREATE TABLE feedback_form_definitions (
    form_definition_id UUID PRIMARY KEY,
    title              TEXT,
    definition         JSONB,
    is_archived        BOOLEAN NOT NULL DEFAULT FALSE,
    is_default_form    BOOLEAN,
    interview_id       UUID,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Slack directory. `email` is stored lower-cased: at most one row per email, the active account winning.
CREATE TABLE slack_users (
    slack_user_id TEXT PRIMARY KEY,
    email         TEXT UNIQUE,
    real_name     TEXT,
    display_name  TEXT,
    is_bot        BOOLEAN NOT NULL DEFAULT FALSE,
    deleted       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- IANA zone name and offset in seconds at fetch time (version 7); NULL for bots and some guests.
    tz            TEXT,
    tz_offset     INTEGER
);

-- One row per (event, interviewer) reminder. Claimed before the DM is sent (status 'claimed'),
-- then 'sent' with the DM's channel and ts, or 'failed' with a reason, or 'unknown' when the send
-- may have reached Slack without an answer (never resent blindly).
CREATE TABLE feedback_reminders_sent (
    event_id          UUID NOT NULL REFERENCES interview_events (event_id) ON DELETE CASCADE,
    interviewer_id    UUID NOT NULL,
    slack_user_id     TEXT,
    slack_channel_id  TEXT,
    slack_message_ts  TEXT,
    sent_at           TIMESTAMPTZ,
    opened_at         TIMESTAMPTZ,
    submitted_at      TIMESTAMPTZ,
    status            TEXT NOT NULL DEFAULT 'sent'
                      CHECK (status IN ('claimed', 'sent', 'failed', 'unknown')),
    claimed_at        TIMESTAMPTZ,
    claimed_by_run    UUID,
    attempts          INTEGER NOT NULL DEFAULT 0,
    failure_reason    TEXT,
    failure_temporary BOOLEAN,
    last_attempt_at   TIMESTAMPTZ,
    PRIMARY KEY (event_id, interviewer_id)
);

CREATE INDEX feedback_reminders_sent_status_idx ON feedback_reminders_sent (status);

-- Partial form submissions (auto-saved) of the interactive app that shares this database.
CREATE TABLE feedback_drafts (
    event_id       UUID NOT NULL REFERENCES interview_events (event_id) ON DELETE CASCADE,
    interviewer_id UUID NOT NULL,
    form_values    JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (event_id, interviewer_id)
);

-- The sync job's own bookkeeping (version 2) ---------------------------------------------------

-- Per Ashby/Slack resource: the stored sync token and when each kind of pass last completed.
CREATE TABLE sync_state (
    resource                 TEXT PRIMARY KEY,
    sync_token               TEXT,
    token_updated_at         TIMESTAMPTZ,
    last_full_pass_at        TIMESTAMPTZ,
    last_incremental_pass_at TIMESTAMPTZ,
    updated_at               TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- Why the resource cannot be pulled now (a key without a permission), since when (version 8).
    unavailable_reason       TEXT,
    unavailable_since        TIMESTAMPTZ
);

-- Where a pass in progress over an Ashby list stands (version 10): one row per committed page but the
-- last, written in the page's transaction; the highest `page` is where the next run continues.
CREATE TABLE sync_pass_checkpoints (
    resource        TEXT NOT NULL,
    -- The page's number in the pass, counted across the runs it took (restarted attempts included).
    page            INTEGER NOT NULL CHECK (page >= 1),
    -- Records on the pages committed so far (this one included).
    items           INTEGER NOT NULL CHECK (items >= 0),
    -- The page's nextCursor: where the pass continues.
    next_cursor     TEXT NOT NULL,
    -- A full pass, or an incremental one from start_token (the sync token it started from).
    full_pass       BOOLEAN NOT NULL,
    start_token     TEXT,
    -- A filtered backfill's --since (Ashby's createdAfter); NULL for an unfiltered pass.
    created_after   TIMESTAMPTZ,
    -- When the pass began, by the database server's clock (a full pass's reconcile compares the
    -- audit rows' received_at with it).
    pass_started_at TIMESTAMPTZ NOT NULL,
    -- The run that wrote the page.
    run_id          UUID NOT NULL,
    committed_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (resource, page),
    CHECK (full_pass = (start_token IS NULL))
);

-- One row per command run (sync, backfill): outcome, per-resource counts, error.
CREATE TABLE sync_runs (
    run_id      UUID PRIMARY KEY,
    command     TEXT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    finished_at TIMESTAMPTZ,
    outcome     TEXT NOT NULL DEFAULT 'running'
                CHECK (outcome IN ('running', 'succeeded', 'failed', 'skipped')),
    counts      JSONB NOT NULL DEFAULT '{}'::jsonb,
    error       TEXT,
    host        TEXT
);

CREATE INDEX sync_runs_started_at_idx ON sync_runs (started_at DESC);

-- Ashby records that cannot be stored, set aside and reported (version 5); the raw payload stays in
-- ashby_webhook_payloads. A row goes away once the record is stored or a full pass no longer sees it.
CREATE TABLE quarantined_records (
    resource      TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    reason        TEXT NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    last_run_id   UUID,
    PRIMARY KEY (resource, record_id)
);

-- The ledger of posted Slack messages (version 6) -------------------------------------------------

-- One row per message the job posts (kind 'reminder'; later 'nudge', 'digest'): where it is (channel,
-- ts), what it told the reader (announced start, fingerprint of the rendered content, the names it
-- showed), how its post and its last edit went. No foreign key: schedule edits never delete a row.
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

-- Who actually submitted feedback (version 7) ---------------------------------------------------

-- One row per Ashby application feedback (applicationFeedback.list), credited to the interviewer who
-- submitted it (submittedByUser). The scorecard's answers are never stored.
CREATE TABLE feedback_submissions (
    feedback_id        UUID PRIMARY KEY,
    application_id     UUID,
    -- The interview event it was given for; NULL for feedback given outside an interview.
    event_id           UUID,
    -- submittedByUser.id (version 11; creditedToUser.id first before it).
    interviewer_id     UUID,
    form_definition_id UUID,
    submitted_at       TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX feedback_submissions_event_interviewer_idx ON feedback_submissions (event_id, interviewer_id);

-- Who chases overdue feedback (version 8) -------------------------------------------------------

-- A digest's local day (the recipient's, UTC for a channel) and the items it listed, so an edit
-- strikes what cleared without asking Ashby again.
ALTER TABLE slack_messages ADD COLUMN digest_day DATE;
ALTER TABLE slack_messages ADD COLUMN digest_items JSONB;

-- One digest per recipient per local day: the claim a digest takes before it is sent.
CREATE UNIQUE INDEX slack_messages_digest_claim_idx
    ON slack_messages (slack_user_id, digest_day) WHERE kind = 'digest';

-- Post-interview nudges (version 9) ------------------------------------------------------------

-- One line of a message listing several interviews: today the scorecards a nudge asks for. What the
-- line showed is kept, so a grouped nudge is edited line by line without an Ashby lookup; the unique
-- (event, interviewer, nudge_number) is the claim a nudge takes before it is sent.
CREATE TABLE slack_message_items (
    message_id      BIGINT NOT NULL REFERENCES slack_messages (message_id) ON DELETE CASCADE,
    event_id        UUID NOT NULL,
    interviewer_id  UUID NOT NULL,
    -- 1 for the first nudge listing this (event, interviewer), 2 for the next…; NULL for a scorecard
    -- the nudge counted without listing it (no room left in the message), and for other kinds.
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

-- A scorecard without its event (version 11) ---------------------------------------------------

-- The interview a submission was given for: one without `interviewEventId` counts for the events of its
-- application and interview that its submitter is on (FeedbackRules, matched when read).
ALTER TABLE feedback_submissions ADD COLUMN interview_id UUID;

CREATE INDEX feedback_submissions_without_event_idx
    ON feedback_submissions (application_id, interview_id, interviewer_id) WHERE event_id IS NULL;

CREATE INDEX interview_schedules_application_id_idx ON interview_schedules (application_id);

-- Applications, synced (version 12) -----------------------------------------------------------

-- What reminders, edits, nudges, digests and `report` need of an application, pulled by
-- application.list every run (incrementally), so sending a message makes no Ashby call.
CREATE TABLE applications (
    application_id   UUID PRIMARY KEY,
    candidate_id     UUID,
    candidate_name   TEXT,
    job_id           UUID,
    job_title        TEXT,
    -- Active, Archived, Hired, Lead, kept as Ashby sends it.
    status           TEXT,
    -- currentInterviewStage.title.
    stage_title      TEXT,
    -- [{"user_id", "email", "name", "role"}] as the application's hiringTeam lists them (email lower-cased).
    hiring_team      JSONB NOT NULL DEFAULT '[]'::jsonb,
    archived_at      TIMESTAMPTZ,
    -- archiveReason.text.
    archive_reason   TEXT,
    -- Ashby's updatedAt: when the application last changed there.
    ashby_updated_at TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- `candidate.info`'s profileUrl, fetched during the pull for candidates with an interview coming up;
-- a row with a NULL profile_url means Ashby has none for them (not asked again).
CREATE TABLE candidate_profiles (
    candidate_id UUID PRIMARY KEY,
    profile_url  TEXT,
    fetched_at   TIMESTAMPTZ NOT NULL
);

-- Versions contained in this file --------------------------------------------------------------

INSERT INTO schema_migrations (version, name, description) VALUES
    (1, 'initial_schema', 'Core Ashby tables + feedback app tables'),
    (2, 'sync_state_and_runs', 'Sync tokens per resource and a record of every run'),
    (3, 'reminder_delivery_state', 'Claim/sent/failed/unknown state, attempts and failure reason for reminders'),
    (4, 'event_removed_at', 'Events that leave their schedule are marked removed, keeping reminder history and drafts'),
    (5, 'quarantined_records', 'Ashby records that cannot be stored are set aside and reported, not fatal to their page'),
    (6, 'slack_messages', 'A ledger of every posted Slack message, so reminders can be edited and re-sent after a move'),
    (7, 'feedback_submissions', 'Feedback submissions per interviewer, and Slack members'' time zones'),
    (8, 'digests', 'Who scheduled each schedule, cached application facts, one digest per recipient per local day'),
    (9, 'feedback_nudges', 'Post-interview nudges listing outstanding scorecards, and why a resource cannot be pulled'),
    (10, 'pass_checkpoints', 'Where a pass over an Ashby list stands after each committed page, so the next run continues it'),
    (11, 'feedback_without_event', 'Submissions keep their interview, so one without its event still counts'),
    (12, 'applications', 'Applications synced from application.list, candidate profile links; application_lookups dropped');
