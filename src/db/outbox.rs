//! The durable outbox of notification mail. A mail is written in the same
//! transaction as what it tells of; a worker leases it, sends it, and marks
//! it sent the moment the server accepted it, so it is never sent twice by
//! the platform. A lease that runs out (the worker died mid-send) frees it.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, Db, Tx};

pub struct NewMail<'a> {
    pub kind: &'a str,
    pub dedupe_key: Option<&'a str>,
    pub user_id: Option<Uuid>,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
}

const INSERT: &str = "INSERT INTO mail_outbox (id, dedupe_key, kind, user_id, recipient, subject, \
     text_body, html_body, status, attempts, next_attempt_at, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $9) ON CONFLICT (dedupe_key) DO NOTHING";

/// Queues a mail in the caller's transaction; `false` when its dedupe key
/// was already used.
pub async fn enqueue(
    tx: &mut Tx,
    mail: &NewMail<'_>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let added = on_tx!(tx, |conn| sqlx::query(INSERT)
        .bind(Uuid::now_v7())
        .bind(mail.dedupe_key)
        .bind(mail.kind)
        .bind(mail.user_id)
        .bind(mail.recipient)
        .bind(mail.subject)
        .bind(mail.text)
        .bind(mail.html)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(added == 1)
}

/// Queues a mail on its own; `false` when its dedupe key was already used.
pub async fn enqueue_once(
    db: &Db,
    mail: &NewMail<'_>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let added = enqueue(&mut tx, mail, now).await?;
    tx.commit().await?;
    Ok(added)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: Uuid,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attempts: i32,
}

/// Leases the next due mail, if any.
pub async fn claim(
    db: &Db,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Option<OutboxRow>, sqlx::Error> {
    let pick = "SELECT id FROM mail_outbox WHERE (status = 'pending' AND next_attempt_at <= $1) \
                OR (status = 'sending' AND locked_until < $1) ORDER BY next_attempt_at, id LIMIT 1";
    let lock = match db {
        Db::Postgres(_) => " FOR UPDATE SKIP LOCKED",
        Db::Sqlite(_) => "",
    };
    let sql = format!(
        "UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, locked_until = $2 \
         WHERE id = ({pick}{lock}) RETURNING id, recipient, subject, text_body, html_body, attempts"
    );
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(now)
        .bind(now + lease)
        .fetch_optional(pool)
        .await)
}

/// Gives every mail being sent back to the queue (after a restart, for a
/// database only this process uses); returns how many. The mail server may
/// have taken one already: it goes again with the same Message-ID.
pub async fn release_sending(db: &Db) -> Result<u64, sqlx::Error> {
    let sql = "UPDATE mail_outbox SET status = 'pending', locked_until = NULL \
               WHERE status = 'sending'";
    on_db!(db, |pool| sqlx::query(sql)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
}

pub async fn mark_sent(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let sql = "UPDATE mail_outbox SET status = 'sent', sent_at = $2, locked_until = NULL, \
               last_error = NULL WHERE id = $1";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(id)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Schedules another attempt at `next`, or gives the mail up.
pub async fn mark_failed(
    db: &Db,
    id: Uuid,
    error: &str,
    next: Option<DateTime<Utc>>,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE mail_outbox SET status = CASE WHEN $3 IS NULL THEN 'failed' ELSE 'pending' END, \
               next_attempt_at = COALESCE($3, next_attempt_at), locked_until = NULL, last_error = $2 \
               WHERE id = $1";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(id)
        .bind(error)
        .bind(next)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Sent mail is kept for a while for support questions, then removed.
pub async fn sweep_sent(db: &Db, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let sql = "DELETE FROM mail_outbox WHERE status IN ('sent', 'failed') AND created_at < $1";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(before)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
}
