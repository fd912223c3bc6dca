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

pub async fn create(
    tx: &mut Tx,
    user_id: Uuid,
    token_hash: &[u8],
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    let sql =
        "INSERT INTO sessions (id, user_id, token_hash, created_at, last_seen_at, expires_at) \
               VALUES ($1, $2, $3, $4, $4, $5)";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(id)
        .bind(user_id)
        .bind(token_hash)
        .bind(now)
        .bind(expires_at)
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
