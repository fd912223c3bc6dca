//! One-time sign-in links: hashed at rest, single use, short-lived.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, Db, Tx};
use crate::domain::Locale;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkRow {
    pub email: String,
    pub locale: Locale,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    /// The hash of the asking browser's cookie, and its coarse device name.
    pub browser_hash: Option<Vec<u8>>,
    pub device: Option<String>,
}

/// A new link: for whom, and the browser that asked for it.
pub struct NewLink<'a> {
    pub email: &'a str,
    pub token_hash: &'a [u8],
    pub locale: Locale,
    pub browser_hash: &'a [u8],
    pub device: Option<&'a str>,
}

pub async fn create(
    db: &Db,
    link: &NewLink<'_>,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO sign_in_links (id, email, token_hash, locale, created_at, expires_at, \
               browser_hash, device) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(Uuid::now_v7())
        .bind(link.email)
        .bind(link.token_hash)
        .bind(link.locale)
        .bind(now)
        .bind(expires_at)
        .bind(link.browser_hash)
        .bind(link.device)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Marks a link used if it is unused and unexpired; returns it when that succeeded.
/// One statement, so two concurrent uses cannot both succeed.
pub async fn consume(
    tx: &mut Tx,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<LinkRow>, sqlx::Error> {
    let sql = "UPDATE sign_in_links SET used_at = $2 \
               WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
               RETURNING email, locale, expires_at, used_at, browser_hash, device";
    on_tx!(tx, |conn| sqlx::query_as(sql)
        .bind(token_hash)
        .bind(now)
        .fetch_optional(conn)
        .await)
}

/// Looks a link up whatever its state, to tell "used" and "expired" apart from "unknown".
pub async fn by_hash(db: &Db, token_hash: &[u8]) -> Result<Option<LinkRow>, sqlx::Error> {
    let sql = "SELECT email, locale, expires_at, used_at, browser_hash, device FROM sign_in_links \
               WHERE token_hash = $1";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(token_hash)
        .fetch_optional(pool)
        .await)
}
