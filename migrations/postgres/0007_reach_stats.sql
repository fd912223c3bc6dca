-- Reach reports, the changemaker ledger, view counts and the rollups every
-- figure is read from.

-- When a campaign was first submitted and first published: the days its
-- figures are counted on. `counted_*` record where the rollups count it now.
ALTER TABLE campaigns ADD COLUMN first_submitted_at TIMESTAMPTZ;
ALTER TABLE campaigns ADD COLUMN first_published_at TIMESTAMPTZ;
ALTER TABLE campaigns ADD COLUMN counted_submitted_on DATE;
ALTER TABLE campaigns ADD COLUMN counted_approved_on DATE;
UPDATE campaigns SET first_submitted_at = submitted_at, first_published_at = published_at;

-- Who joined and who was trained, per programme. A row outlives the account:
-- on deletion `user_id` is cleared and only a random `person_key` remains,
-- so a person trained in two programmes still counts once.
CREATE TABLE changemaker_ledger (
    programme_id  UUID NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    person_key    UUID NOT NULL,
    user_id       UUID REFERENCES users (id) ON DELETE SET NULL,
    enrolled_on   DATE NOT NULL,
    trained_on    DATE,
    -- The person's first enrolment, and their first training, anywhere.
    first_enrolled BOOLEAN NOT NULL,
    first_trained  BOOLEAN NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (programme_id, person_key),
    UNIQUE (programme_id, user_id)
);
CREATE INDEX changemaker_ledger_person ON changemaker_ledger (person_key);
CREATE INDEX changemaker_ledger_user ON changemaker_ledger (user_id);

CREATE TABLE reach_reports (
    id              UUID PRIMARY KEY,
    campaign_id     UUID NOT NULL REFERENCES campaigns (id),
    programme_id    UUID NOT NULL REFERENCES programmes (id),
    team_id         UUID NOT NULL REFERENCES teams (id),
    author_id       UUID REFERENCES users (id) ON DELETE SET NULL,
    -- A retried create with the same key from the same person finds this row.
    idempotency_key TEXT,
    request_hash    BYTEA,
    channel         TEXT NOT NULL CHECK (channel IN ('event', 'social_media', 'school', 'media', 'online', 'other')),
    people_reached  INTEGER NOT NULL CHECK (people_reached BETWEEN 1 AND 1000000),
    people_verified INTEGER CHECK (people_verified IS NULL OR people_verified BETWEEN 0 AND people_reached),
    occurred_on     DATE NOT NULL,
    description     TEXT NOT NULL,
    evidence_url    TEXT,
    -- The pre-screen findings, a JSON array.
    flags           TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'verified', 'declined')),
    note            TEXT,
    decided_by      UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    decided_at      TIMESTAMPTZ,
    UNIQUE (author_id, idempotency_key)
);
CREATE INDEX reach_reports_campaign ON reach_reports (campaign_id, created_at);
CREATE INDEX reach_reports_programme ON reach_reports (programme_id, status, created_at);

-- Views of public pages per campaign per local day; nothing about the viewer.
CREATE TABLE campaign_views (
    campaign_id UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    day         DATE NOT NULL,
    views       BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, day)
);

-- The rollups: what happened per programme per local day, and per month.
CREATE TABLE stats_daily (
    programme_id        UUID NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    day                 DATE NOT NULL,
    enrolled            BIGINT NOT NULL DEFAULT 0,
    enrolled_first      BIGINT NOT NULL DEFAULT 0,
    trained             BIGINT NOT NULL DEFAULT 0,
    trained_first       BIGINT NOT NULL DEFAULT 0,
    teams               BIGINT NOT NULL DEFAULT 0,
    campaigns_submitted BIGINT NOT NULL DEFAULT 0,
    campaigns_approved  BIGINT NOT NULL DEFAULT 0,
    reach_reported      BIGINT NOT NULL DEFAULT 0,
    reach_verified      BIGINT NOT NULL DEFAULT 0,
    views               BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (programme_id, day)
);
CREATE INDEX stats_daily_day ON stats_daily (day);

CREATE TABLE stats_monthly (
    programme_id        UUID NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    -- The first day of the month.
    day                 DATE NOT NULL,
    enrolled            BIGINT NOT NULL DEFAULT 0,
    enrolled_first      BIGINT NOT NULL DEFAULT 0,
    trained             BIGINT NOT NULL DEFAULT 0,
    trained_first       BIGINT NOT NULL DEFAULT 0,
    teams               BIGINT NOT NULL DEFAULT 0,
    campaigns_submitted BIGINT NOT NULL DEFAULT 0,
    campaigns_approved  BIGINT NOT NULL DEFAULT 0,
    reach_reported      BIGINT NOT NULL DEFAULT 0,
    reach_verified      BIGINT NOT NULL DEFAULT 0,
    views               BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (programme_id, day)
);

-- Reach decisions join the append-only audit trail.
ALTER TABLE moderation_audit DROP CONSTRAINT moderation_audit_action_check;
ALTER TABLE moderation_audit ADD CONSTRAINT moderation_audit_action_check CHECK (action IN
    ('approve', 'request_changes', 'reject', 'archive', 'unpublish', 'dismiss_report',
     'verify_reach', 'decline_reach'));
ALTER TABLE moderation_audit ADD COLUMN reach_report_id UUID;
ALTER TABLE moderation_audit ADD COLUMN people_verified INTEGER;
