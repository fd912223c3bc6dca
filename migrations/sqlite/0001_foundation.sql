-- Foundation: people, sessions, sign-in links, rate limits, cities, programmes, roles.

CREATE TABLE users (
    id              BLOB PRIMARY KEY,
    -- Lower-cased; NULL once the account is erased.
    email           TEXT UNIQUE,
    display_name    TEXT,
    -- Only the year is stored, never a date of birth.
    birth_year      INTEGER,
    locale          TEXT NOT NULL DEFAULT 'en',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    last_sign_in_at TEXT,
    deleted_at      TEXT
);

CREATE TABLE sessions (
    id           BLOB PRIMARY KEY,
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- SHA-256 of the bearer token; the token itself is never stored.
    token_hash   BLOB NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE sign_in_links (
    id         BLOB PRIMARY KEY,
    email      TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    locale     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX sign_in_links_email ON sign_in_links (email);
CREATE INDEX sign_in_links_expires_at ON sign_in_links (expires_at);

-- Fixed-window counters shared by every instance; subjects are hashed.
CREATE TABLE rate_limit_windows (
    bucket       TEXT NOT NULL,
    subject_hash BLOB NOT NULL,
    window_start TEXT NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (bucket, subject_hash, window_start)
);
CREATE INDEX rate_limit_windows_start ON rate_limit_windows (window_start);

CREATE TABLE cities (
    id         BLOB PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    country    TEXT NOT NULL CHECK (country IN ('DK', 'FI', 'IS', 'NO', 'SE')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE programmes (
    id                 BLOB PRIMARY KEY,
    city_id            BLOB NOT NULL REFERENCES cities (id) ON DELETE RESTRICT,
    slug               TEXT NOT NULL,
    name               TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('kominn', 'allin', 'custom')),
    description        TEXT NOT NULL,
    starts_on          TEXT NOT NULL,
    ends_on            TEXT NOT NULL,
    locale             TEXT NOT NULL,
    changemaker_target INTEGER CHECK (changemaker_target IS NULL OR changemaker_target > 0),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (city_id, slug),
    CHECK (ends_on >= starts_on)
);

CREATE TABLE role_grants (
    id           BLOB PRIMARY KEY,
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT NOT NULL,
    city_id      BLOB REFERENCES cities (id) ON DELETE CASCADE,
    programme_id BLOB REFERENCES programmes (id) ON DELETE CASCADE,
    granted_by   BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
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
