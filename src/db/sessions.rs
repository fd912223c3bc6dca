//! Sessions: only the SHA-256 of a token is stored.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::Locale;

use super::{on_db, on_tx, Db, Tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The person's language, for what the request answers.
    pub locale: Locale,
}

/// A new session: when it starts and expires, and the device's coarse name.
pub struct NewSession<'a> {
    pub user_id: Uuid,
    pub token_hash: &'a [u8],
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub device: Option<&'a str>,
}

pub async fn create(tx: &mut Tx, new: &NewSession<'_>) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    let sql = "INSERT INTO sessions \
               (id, user_id, token_hash, created_at, last_seen_at, expires_at, device) \
               VALUES ($1, $2, $3, $4, $4, $5, $6)";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(id)
        .bind(new.user_id)
        .bind(new.token_hash)
        .bind(new.now)
        .bind(new.expires_at)
        .bind(new.device)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(id)
}

/// The live session for a token hash: not revoked, not expired, its person not erased.
pub async fn live_by_hash(
    db: &Db,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<SessionRow>, sqlx::Error> {
    let sql = "SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, u.locale \
               FROM sessions s JOIN users u ON u.id = s.user_id \
               WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 \
               AND u.deleted_at IS NULL";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(token_hash)
        .bind(now)
        .fetch_optional(pool)
        .await)
}

/// Slides a session's expiry forward.
pub async fn renew(
    db: &Db,
    id: Uuid,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE sessions SET last_seen_at = $2, expires_at = $3 \
               WHERE id = $1 AND revoked_at IS NULL";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(id)
        .bind(now)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn revoke(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let sql = "UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(id)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A session as its person sees it in their list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionInfoRow {
    pub id: Uuid,
    pub device: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// A person's live sessions, the most recently used first.
pub async fn live_for_user(
    db: &Db,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<SessionInfoRow>, sqlx::Error> {
    let sql = "SELECT id, device, created_at, last_seen_at FROM sessions \
               WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 \
               ORDER BY last_seen_at DESC, id DESC";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .bind(now)
        .fetch_all(pool)
        .await)
}

/// Ends one of the person's own live sessions; `false` when they have no such session.
pub async fn revoke_own(
    db: &Db,
    id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE sessions SET revoked_at = $3 \
               WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3";
    let ended = on_db!(db, |pool| sqlx::query(sql)
        .bind(id)
        .bind(user_id)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(ended > 0)
}

/// Ends every live session of the person; returns how many.
pub async fn revoke_all(db: &Db, user_id: Uuid, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let sql = "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(user_id)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
}
