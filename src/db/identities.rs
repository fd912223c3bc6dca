//! Accounts at sign-in providers, linked to people.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, unless_duplicate, Db, Tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IdentityRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub provider: String,
    pub subject: String,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, user_id, provider, subject, email, created_at, last_used_at";

pub async fn by_subject(
    tx: &mut Tx,
    provider: &str,
    subject: &str,
) -> Result<Option<IdentityRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM identities WHERE provider = $1 AND subject = $2");
    on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(provider)
        .bind(subject)
        .fetch_optional(conn)
        .await)
}

pub async fn for_user(db: &Db, user_id: Uuid) -> Result<Vec<IdentityRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM identities WHERE user_id = $1 ORDER BY created_at");
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

/// Links a provider account to a person; `false` when that provider
/// account is already linked (to anyone) or the person already has one there.
pub async fn insert(
    tx: &mut Tx,
    user_id: Uuid,
    provider: &str,
    subject: &str,
    email: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let sql =
        "INSERT INTO identities (id, user_id, provider, subject, email, created_at, last_used_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $6)";
    let result = on_tx!(tx, |conn| sqlx::query(sql)
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(provider)
        .bind(subject)
        .bind(email)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()));
    unless_duplicate(result)
}

pub async fn touch(
    tx: &mut Tx,
    id: Uuid,
    email: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE identities SET last_used_at = $2, email = COALESCE($3, email) WHERE id = $1";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(id)
        .bind(now)
        .bind(email)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Unlinks the person's account at `provider`; returns whether there was one.
pub async fn delete(db: &Db, user_id: Uuid, provider: &str) -> Result<bool, sqlx::Error> {
    let sql = "DELETE FROM identities WHERE user_id = $1 AND provider = $2";
    let removed = on_db!(db, |pool| sqlx::query(sql)
        .bind(user_id)
        .bind(provider)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(removed > 0)
}
