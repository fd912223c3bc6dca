-- Teams, the training ledger and campaigns.

-- The training ledger: one mark per programme participant.
ALTER TABLE enrolments ADD COLUMN trained_on TEXT;
ALTER TABLE enrolments ADD COLUMN trained_marked_by BLOB REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX enrolments_trained ON enrolments (user_id) WHERE trained_on IS NOT NULL;

CREATE TABLE teams (
    id         BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    -- Unique across the platform, so a code alone finds its team.
    join_code  TEXT NOT NULL UNIQUE,
    created_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX teams_programme_id ON teams (programme_id);

CREATE TABLE team_members (
    team_id      BLOB NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    programme_id BLOB NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('lead', 'member')),
    joined_at    TEXT NOT NULL,
    PRIMARY KEY (team_id, user_id),
    -- One team per person in a programme.
    UNIQUE (programme_id, user_id)
);
CREATE UNIQUE INDEX team_members_one_lead ON team_members (team_id) WHERE role = 'lead';
CREATE INDEX team_members_user_id ON team_members (user_id);

CREATE TABLE team_invites (
    id         BLOB PRIMARY KEY,
    team_id    BLOB NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    invited_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX team_invites_team_id ON team_invites (team_id);

CREATE TABLE campaigns (
    id           BLOB PRIMARY KEY,
    team_id      BLOB NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    programme_id BLOB NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    -- Stable: made once from the first title, never changed.
    slug         TEXT NOT NULL UNIQUE,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved',
                     'changes_requested', 'rejected', 'archived')),
    -- Optimistic concurrency: every change bumps it; writers pass the one they read.
    version      INTEGER NOT NULL,
    created_by   BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    submitted_at TEXT,
    published_at TEXT
);
CREATE INDEX campaigns_team_id ON campaigns (team_id);
CREATE INDEX campaigns_programme_status ON campaigns (programme_id, status);

-- The team's working draft, and the version the public sees (once approved).
CREATE TABLE campaign_contents (
    campaign_id BLOB NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('draft', 'published')),
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL,
    body        TEXT NOT NULL,
    theme       TEXT NOT NULL CHECK (theme IN ('urban_spaces', 'online_life', 'families',
                    'youth', 'civil_servants', 'community')),
    hashtag     TEXT,
    audience    TEXT,
    starts_on   TEXT,
    ends_on     TEXT,
    location    TEXT,
    updated_by  BLOB REFERENCES users (id) ON DELETE SET NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (campaign_id, kind)
);

-- What happened to a campaign: the history its team sees.
CREATE TABLE campaign_events (
    id          BLOB PRIMARY KEY,
    campaign_id BLOB NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    actor_id    BLOB REFERENCES users (id) ON DELETE SET NULL,
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    note        TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX campaign_events_campaign_id ON campaign_events (campaign_id, created_at);
