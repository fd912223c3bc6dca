-- Foundation: people, sessions, sign-in links, rate limits, cities, programmes, roles.

CREATE TABLE users (
    id              UUID PRIMARY KEY,
    -- Lower-cased; NULL once the account is erased.
    email           TEXT UNIQUE,
    display_name    TEXT,
    -- Only the year is stored, never a date of birth.
    birth_year      INTEGER,
    locale          TEXT NOT NULL DEFAULT 'en',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    last_sign_in_at TIMESTAMPTZ,
    deleted_at      TIMESTAMPTZ
);

CREATE TABLE sessions (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- SHA-256 of the bearer token; the token itself is never stored.
    token_hash   BYTEA NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE sign_in_links (
    id         UUID PRIMARY KEY,
    email      TEXT NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    locale     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX sign_in_links_email ON sign_in_links (email);
CREATE INDEX sign_in_links_expires_at ON sign_in_links (expires_at);

-- Fixed-window counters shared by every instance; subjects are hashed.
CREATE TABLE rate_limit_windows (
    bucket       TEXT NOT NULL,
    subject_hash BYTEA NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (bucket, subject_hash, window_start)
);
CREATE INDEX rate_limit_windows_start ON rate_limit_windows (window_start);

CREATE TABLE cities (
    id         UUID PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    country    TEXT NOT NULL CHECK (country IN ('DK', 'FI', 'IS', 'NO', 'SE')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE programmes (
    id                 UUID PRIMARY KEY,
    city_id            UUID NOT NULL REFERENCES cities (id) ON DELETE RESTRICT,
    slug               TEXT NOT NULL,
    name               TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('kominn', 'allin', 'custom')),
    description        TEXT NOT NULL,
    starts_on          DATE NOT NULL,
    ends_on            DATE NOT NULL,
    locale             TEXT NOT NULL,
    changemaker_target INTEGER CHECK (changemaker_target IS NULL OR changemaker_target > 0),
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    UNIQUE (city_id, slug),
    CHECK (ends_on >= starts_on)
);

CREATE TABLE role_grants (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT NOT NULL,
    city_id      UUID REFERENCES cities (id) ON DELETE CASCADE,
    programme_id UUID REFERENCES programmes (id) ON DELETE CASCADE,
    granted_by   UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    CHECK (
        (role = 'admin' AND city_id IS NULL AND programme_id IS NULL)
        OR (role = 'city_admin' AND city_id IS NOT NULL AND programme_id IS NULL)
        OR (role = 'facilitator' AND city_id IS NULL AND programme_id IS NOT NULL)
    )
);
CREATE UNIQUE INDEX role_grants_admin ON role_grants (user_id) WHERE role = 'admin';
CREATE UNIQUE INDEX role_grants_city_admin ON role_grants (user_id, city_id) WHERE role = 'city_admin';
CREATE UNIQUE INDEX role_grants_facilitator ON role_grants (user_id, programme_id) WHERE role = 'facilitator';
CREATE INDEX role_grants_city ON role_grants (city_id);
CREATE INDEX role_grants_programme ON role_grants (programme_id);
