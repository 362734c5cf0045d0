-- Version 12: applications are synced, not looked up (issue 20). `application.list` is pulled every run,
-- incrementally with its sync token like the other lists, into `applications`: what reminders, edits,
-- nudges, digests and `report` need of an application (candidate, job, status, current stage, hiring
-- team, when it changed), read from the database, so sending a message makes no Ashby call. The
-- candidate's profile link, which `application.list` lacks, is fetched during the pull
-- (`candidate.info`, for candidates with an interview coming up) into `candidate_profiles`.
-- `application_lookups`, the per-application cache `application.info` filled while digests were sent,
-- goes: the new table replaces it (the first run after this change pulls `application.list` in full).
-- Folded into database/schema.sql. By hand, in one transaction:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f database/changes/012_applications.sql

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

DROP TABLE application_lookups;

INSERT INTO schema_migrations (version, name, description)
VALUES (12, 'applications', 'Applications synced from application.list, candidate profile links; application_lookups dropped');
