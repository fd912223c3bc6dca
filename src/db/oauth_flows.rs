//! Authorization-code flows in progress: taken exactly once by the callback.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{on_db, Db};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FlowRow {
    pub browser_hash: Vec<u8>,
    pub provider: String,
    pub pkce_verifier: String,
    pub nonce: String,
    pub redirect: String,
    pub link_user_id: Option<Uuid>,
    pub expires_at: DateTime<Utc>,
}

pub struct NewFlow<'a> {
    pub state_hash: &'a [u8],
    pub browser_hash: &'a [u8],
    pub provider: &'a str,
    pub pkce_verifier: &'a str,
    pub nonce: &'a str,
    pub redirect: &'a str,
    pub link_user_id: Option<Uuid>,
}

pub async fn insert(
    db: &Db,
    flow: &NewFlow<'_>,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO oauth_flows (id, state_hash, browser_hash, provider, pkce_verifier, \
               nonce, redirect, link_user_id, created_at, expires_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(Uuid::now_v7())
        .bind(flow.state_hash)
        .bind(flow.browser_hash)
        .bind(flow.provider)
        .bind(flow.pkce_verifier)
        .bind(flow.nonce)
        .bind(flow.redirect)
        .bind(flow.link_user_id)
        .bind(now)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Removes and returns the flow for a state, when the browser that started
/// it finishes it, so a state works once and only there: a callback opened
/// in another browser spends nothing.
pub async fn take(
    db: &Db,
    state_hash: &[u8],
    browser_hash: &[u8],
) -> Result<Option<FlowRow>, sqlx::Error> {
    let sql = "DELETE FROM oauth_flows WHERE state_hash = $1 AND browser_hash = $2 \
               RETURNING browser_hash, provider, pkce_verifier, nonce, redirect, link_user_id, \
               expires_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(state_hash)
        .bind(browser_hash)
        .fetch_optional(pool)
        .await)
}

/// Whether a flow with this state is waiting (in whichever browser).
pub async fn exists(db: &Db, state_hash: &[u8]) -> Result<bool, sqlx::Error> {
    let sql = "SELECT EXISTS (SELECT 1 FROM oauth_flows WHERE state_hash = $1)";
    on_db!(db, |pool| sqlx::query_scalar(sql)
        .bind(state_hash)
        .fetch_one(pool)
        .await)
}
