-- Sign-in through OAuth2 / OpenID Connect providers, and programme enrolment.

-- A person's account at a provider: found by (provider, subject).
CREATE TABLE identities (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider     TEXT NOT NULL,
    subject      TEXT NOT NULL,
    email        TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL,
    UNIQUE (provider, subject)
);
CREATE INDEX identities_user_id ON identities (user_id);

-- An authorization-code flow in progress: single use, short-lived, bound to
-- the browser that started it by a cookie whose hash is kept here.
CREATE TABLE oauth_flows (
    id            UUID PRIMARY KEY,
    state_hash    BYTEA NOT NULL UNIQUE,
    browser_hash  BYTEA NOT NULL,
    provider      TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    redirect      TEXT NOT NULL,
    link_user_id  UUID REFERENCES users (id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX oauth_flows_expires_at ON oauth_flows (expires_at);
CREATE INDEX oauth_flows_link_user_id ON oauth_flows (link_user_id);

CREATE TABLE enrolments (
    programme_id UUID NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    enrolled_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (programme_id, user_id)
);
CREATE INDEX enrolments_user_id ON enrolments (user_id);
