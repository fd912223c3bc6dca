-- Moderation: the append-only audit trail of decisions, public reports,
-- saved feedback, and the durable outbox of notification mail.

-- Set when a facilitator takes a published campaign down after a report; the
-- next approval publishes it again.
ALTER TABLE campaigns ADD COLUMN hidden_at TEXT;

-- Every moderation decision: who, when, what, why. Rows are only ever added:
-- the triggers below refuse updates and deletes. An actor who deletes their
-- account stays referenced; their user row is what is anonymised.
CREATE TABLE moderation_audit (
    id               BLOB PRIMARY KEY,
    campaign_id      BLOB NOT NULL REFERENCES campaigns (id),
    programme_id     BLOB NOT NULL REFERENCES programmes (id),
    city_id          BLOB NOT NULL REFERENCES cities (id),
    actor_id         BLOB REFERENCES users (id),
    action           TEXT NOT NULL CHECK (action IN ('approve', 'request_changes', 'reject',
                         'archive', 'unpublish', 'dismiss_report')),
    from_status      TEXT NOT NULL,
    to_status        TEXT NOT NULL,
    -- The campaign version the decision was taken on.
    campaign_version INTEGER NOT NULL,
    -- The title as it was decided on, and the fields that differed from the
    -- published version (a JSON array of field names).
    title            TEXT NOT NULL,
    changed_fields   TEXT NOT NULL,
    reason           TEXT,
    report_id        BLOB,
    created_at       TEXT NOT NULL
);
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

-- Reports from the public. Nothing about the reporter is stored.
CREATE TABLE campaign_reports (
    id              BLOB PRIMARY KEY,
    campaign_id     BLOB NOT NULL REFERENCES campaigns (id),
    programme_id    BLOB NOT NULL REFERENCES programmes (id),
    reason          TEXT NOT NULL CHECK (reason IN ('hate', 'personal_data', 'bullying', 'spam', 'other')),
    details         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'dismissed', 'unpublished')),
    created_at      TEXT NOT NULL,
    resolved_at     TEXT,
    resolved_by     BLOB REFERENCES users (id) ON DELETE SET NULL,
    resolution_note TEXT
);
CREATE INDEX campaign_reports_programme ON campaign_reports (programme_id, status, created_at);
CREATE INDEX campaign_reports_campaign ON campaign_reports (campaign_id, status);

-- Saved answers facilitators of a programme reuse when they give feedback.
CREATE TABLE feedback_templates (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_by   BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX feedback_templates_programme ON feedback_templates (programme_id, created_at);

-- Notification mail, written in the same transaction as what it tells of and
-- sent by a worker that retries with backoff while the mail server is down.
CREATE TABLE mail_outbox (
    id              BLOB PRIMARY KEY,
    -- Makes a mail that several instances might write (a digest for one
    -- person and period) exist once.
    dedupe_key      TEXT UNIQUE,
    kind            TEXT NOT NULL,
    user_id         BLOB REFERENCES users (id),
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    locked_until    TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_user_id ON mail_outbox (user_id);
