-- Version 10: a pass longer than one run's budget still finishes (issue 18). Each committed page of
-- a pass over an Ashby list (all but its last) adds a row here in the page's own transaction, so the
-- row with the highest `page` is exactly where the committed data ends: the next run continues the
-- pass from its `next_cursor`. The rows of a resource go when its pass completes (with the new sync
-- token) or when a run starts a pass of another kind.
-- Folded into database/schema.sql. By hand, in one transaction:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f database/changes/010_pass_checkpoints.sql

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

INSERT INTO schema_migrations (version, name, description)
VALUES (10, 'pass_checkpoints', 'Where a pass over an Ashby list stands after each committed page, so the next run continues it');
