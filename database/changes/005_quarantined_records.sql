-- Version 5: Ashby records that cannot be stored (a missing required field, an id that is not a
-- UUID) are set aside instead of failing their whole page on every run. One row per record that is
-- currently set aside; its raw payload stays in ashby_webhook_payloads. The row goes away when the
-- record is stored later, or when a full pass no longer sees it. `status` is unhealthy while any exist.
-- Folded into database/schema.sql. By hand, in one transaction:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f database/changes/005_quarantined_records.sql

CREATE TABLE quarantined_records (
    resource      TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    reason        TEXT NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    last_run_id   UUID,
    PRIMARY KEY (resource, record_id)
);

INSERT INTO schema_migrations (version, name, description)
VALUES (5, 'quarantined_records', 'Ashby records that cannot be stored are set aside and reported, not fatal to their page');
