-- Version 2: the sync job's own bookkeeping (sync tokens per resource, a record of every run).
-- Folded into database/schema.sql. By hand, in one transaction:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f database/changes/002_sync_state_and_runs.sql

CREATE TABLE sync_state (
    resource                 TEXT PRIMARY KEY,
    sync_token               TEXT,
    token_updated_at         TIMESTAMPTZ,
    last_full_pass_at        TIMESTAMPTZ,
    last_incremental_pass_at TIMESTAMPTZ,
    updated_at               TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

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

INSERT INTO schema_migrations (version, name, description)
VALUES (2, 'sync_state_and_runs', 'Sync tokens per resource and a record of every run');
