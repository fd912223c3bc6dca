-- Reach reports, the changemaker ledger, view counts and the rollups every
-- figure is read from.

-- When a campaign was first submitted and first published: the days its
-- figures are counted on. `counted_*` record where the rollups count it now.
ALTER TABLE campaigns ADD COLUMN first_submitted_at TEXT;
ALTER TABLE campaigns ADD COLUMN first_published_at TEXT;
ALTER TABLE campaigns ADD COLUMN counted_submitted_on TEXT;
ALTER TABLE campaigns ADD COLUMN counted_approved_on TEXT;
UPDATE campaigns SET first_submitted_at = submitted_at, first_published_at = published_at;

-- Who joined and who was trained, per programme. A row outlives the account:
-- on deletion `user_id` is cleared and only a random `person_key` remains,
-- so a person trained in two programmes still counts once.
CREATE TABLE changemaker_ledger (
    programme_id  BLOB NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    person_key    BLOB NOT NULL,
    user_id       BLOB REFERENCES users (id) ON DELETE SET NULL,
    enrolled_on   TEXT NOT NULL,
    trained_on    TEXT,
    -- The person's first enrolment, and their first training, anywhere.
    first_enrolled INTEGER NOT NULL,
    first_trained  INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (programme_id, person_key),
    UNIQUE (programme_id, user_id)
);
CREATE INDEX changemaker_ledger_person ON changemaker_ledger (person_key);
CREATE INDEX changemaker_ledger_user ON changemaker_ledger (user_id);

CREATE TABLE reach_reports (
    id              BLOB PRIMARY KEY,
    campaign_id     BLOB NOT NULL REFERENCES campaigns (id),
    programme_id    BLOB NOT NULL REFERENCES programmes (id),
    team_id         BLOB NOT NULL REFERENCES teams (id),
    author_id       BLOB REFERENCES users (id) ON DELETE SET NULL,
    -- A retried create with the same key from the same person finds this row.
    idempotency_key TEXT,
    request_hash    BLOB,
    channel         TEXT NOT NULL CHECK (channel IN ('event', 'social_media', 'school', 'media', 'online', 'other')),
    people_reached  INTEGER NOT NULL CHECK (people_reached BETWEEN 1 AND 1000000),
    people_verified INTEGER CHECK (people_verified IS NULL OR people_verified BETWEEN 0 AND people_reached),
    occurred_on     TEXT NOT NULL,
    description     TEXT NOT NULL,
    evidence_url    TEXT,
    -- The pre-screen findings, a JSON array.
    flags           TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'verified', 'declined')),
    note            TEXT,
    decided_by      BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    decided_at      TEXT,
    UNIQUE (author_id, idempotency_key)
);
CREATE INDEX reach_reports_campaign ON reach_reports (campaign_id, created_at);
CREATE INDEX reach_reports_programme ON reach_reports (programme_id, status, created_at);

-- Views of public pages per campaign per local day; nothing about the viewer.
CREATE TABLE campaign_views (
    campaign_id BLOB NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    views       INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, day)
);

-- The rollups: what happened per programme per local day, and per month.
CREATE TABLE stats_daily (
    programme_id        BLOB NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    day                 TEXT NOT NULL,
    enrolled            INTEGER NOT NULL DEFAULT 0,
    enrolled_first      INTEGER NOT NULL DEFAULT 0,
    trained             INTEGER NOT NULL DEFAULT 0,
    trained_first       INTEGER NOT NULL DEFAULT 0,
    teams               INTEGER NOT NULL DEFAULT 0,
    campaigns_submitted INTEGER NOT NULL DEFAULT 0,
    campaigns_approved  INTEGER NOT NULL DEFAULT 0,
    reach_reported      INTEGER NOT NULL DEFAULT 0,
    reach_verified      INTEGER NOT NULL DEFAULT 0,
    views               INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (programme_id, day)
);
CREATE INDEX stats_daily_day ON stats_daily (day);

CREATE TABLE stats_monthly (
    programme_id        BLOB NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    -- The first day of the month.
    day                 TEXT NOT NULL,
    enrolled            INTEGER NOT NULL DEFAULT 0,
    enrolled_first      INTEGER NOT NULL DEFAULT 0,
    trained             INTEGER NOT NULL DEFAULT 0,
    trained_first       INTEGER NOT NULL DEFAULT 0,
    teams               INTEGER NOT NULL DEFAULT 0,
    campaigns_submitted INTEGER NOT NULL DEFAULT 0,
    campaigns_approved  INTEGER NOT NULL DEFAULT 0,
    reach_reported      INTEGER NOT NULL DEFAULT 0,
    reach_verified      INTEGER NOT NULL DEFAULT 0,
    views               INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (programme_id, day)
);

-- Reach decisions join the append-only audit trail. SQLite cannot change a
-- CHECK constraint, so the table is rebuilt with its rows; dropping a table
-- fires no trigger, and the append-only triggers are made again.
CREATE TABLE moderation_audit_next (
    id               BLOB PRIMARY KEY,
    campaign_id      BLOB NOT NULL REFERENCES campaigns (id),
    programme_id     BLOB NOT NULL REFERENCES programmes (id),
    city_id          BLOB NOT NULL REFERENCES cities (id),
    actor_id         BLOB REFERENCES users (id),
    action           TEXT NOT NULL CHECK (action IN ('approve', 'request_changes', 'reject',
                         'archive', 'unpublish', 'dismiss_report', 'verify_reach', 'decline_reach')),
    from_status      TEXT NOT NULL,
    to_status        TEXT NOT NULL,
    campaign_version INTEGER NOT NULL,
    title            TEXT NOT NULL,
    changed_fields   TEXT NOT NULL,
    reason           TEXT,
    report_id        BLOB,
    created_at       TEXT NOT NULL,
    reach_report_id  BLOB,
    people_verified  INTEGER
);
INSERT INTO moderation_audit_next (id, campaign_id, programme_id, city_id, actor_id, action,
    from_status, to_status, campaign_version, title, changed_fields, reason, report_id, created_at)
SELECT id, campaign_id, programme_id, city_id, actor_id, action, from_status, to_status,
    campaign_version, title, changed_fields, reason, report_id, created_at FROM moderation_audit;
DROP TABLE moderation_audit;
ALTER TABLE moderation_audit_next RENAME TO moderation_audit;
CREATE INDEX moderation_audit_programme ON moderation_audit (programme_id, created_at);
CREATE INDEX moderation_audit_city ON moderation_audit (city_id, created_at);
CREATE INDEX moderation_audit_campaign ON moderation_audit (campaign_id, created_at);
CREATE TRIGGER moderation_audit_no_update BEFORE UPDATE ON moderation_audit
BEGIN
    SELECT RAISE(ABORT, 'moderation_audit is append-only');
END;
CREATE TRIGGER moderation_audit_no_delete BEFORE DELETE ON moderation_audit
BEGIN
    SELECT RAISE(ABORT, 'moderation_audit is append-only');
END;
