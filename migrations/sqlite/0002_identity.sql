-- Sign-in through OAuth2 / OpenID Connect providers, and programme enrolment.

-- A person's account at a provider: found by (provider, subject).
CREATE TABLE identities (
    id           BLOB PRIMARY KEY,
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider     TEXT NOT NULL,
    subject      TEXT NOT NULL,
    email        TEXT,
    created_at   TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    UNIQUE (provider, subject)
);
CREATE INDEX identities_user_id ON identities (user_id);

-- An authorization-code flow in progress: single use, short-lived, bound to
-- the browser that started it by a cookie whose hash is kept here.
CREATE TABLE oauth_flows (
    id            BLOB PRIMARY KEY,
    state_hash    BLOB NOT NULL UNIQUE,
    browser_hash  BLOB NOT NULL,
    provider      TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    redirect      TEXT NOT NULL,
    link_user_id  BLOB REFERENCES users (id) ON DELETE CASCADE,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
CREATE INDEX oauth_flows_expires_at ON oauth_flows (expires_at);
CREATE INDEX oauth_flows_link_user_id ON oauth_flows (link_user_id);

CREATE TABLE enrolments (
    programme_id BLOB NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    enrolled_at  TEXT NOT NULL,
    PRIMARY KEY (programme_id, user_id)
);
CREATE INDEX enrolments_user_id ON enrolments (user_id);
