-- In-app notifications: one row per person per event the platform tells of,
-- written in the same transaction as the event (and as its mail, when the
-- person wants the mail too). The app words them in the person's language.
CREATE TABLE notifications (
    id         BLOB PRIMARY KEY,
    user_id    BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- decision, reach_decision, invite, team_member, report
    kind       TEXT NOT NULL,
    -- What it is about, by name: a campaign's title or a team's name.
    title      TEXT NOT NULL,
    -- The decision, the report's reason, the member's name.
    outcome    TEXT,
    -- The facilitator's feedback or note.
    note       TEXT,
    -- For a verified reach report: the people verified.
    figure     INTEGER,
    -- Where it leads in the app, a path such as /campaigns/{id}.
    link       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX notifications_newest ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- Which kinds a person also wants by email; a kind without a row is mailed.
CREATE TABLE mail_preferences (
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    email   INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind)
);
