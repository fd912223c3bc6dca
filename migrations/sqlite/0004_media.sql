-- Photos and videos of campaigns, and the durable job queue that processes them.

CREATE TABLE media (
    id                BLOB PRIMARY KEY,
    campaign_id       BLOB NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('image', 'video')),
    status            TEXT NOT NULL CHECK (status IN ('processing', 'ready', 'failed')),
    error             TEXT,
    -- The type found in the file's own bytes.
    source_type       TEXT NOT NULL,
    source_bytes      INTEGER NOT NULL,
    width             INTEGER,
    height            INTEGER,
    alt_text          TEXT NOT NULL,
    consent_confirmed INTEGER NOT NULL,
    position          INTEGER NOT NULL,
    blurhash          TEXT,
    dominant_color    TEXT,
    uploaded_by       BLOB REFERENCES users (id) ON DELETE SET NULL,
    -- Set when an approval of the campaign made this item public; media
    -- added later stays private until the next approval.
    published_at      TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX media_campaign_id ON media (campaign_id, position);

-- Work to do, durable across restarts. A worker claims a job by setting
-- locked_until; a job whose lock ran out is claimed again.
CREATE TABLE jobs (
    id           BLOB PRIMARY KEY,
    kind         TEXT NOT NULL,
    subject_id   BLOB NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts     INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    run_at       TEXT NOT NULL,
    locked_until TEXT,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs (status, run_at);
