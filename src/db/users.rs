//! People and their profile.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, Db, Tx};
use crate::domain::Locale;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub birth_year: Option<i32>,
    pub locale: Locale,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str =
    "id, email, display_name, birth_year, locale, created_at, updated_at, last_sign_in_at";

/// Fields to change on a profile; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct ProfileChange<'a> {
    pub display_name: Option<&'a str>,
    pub birth_year: Option<i32>,
    pub locale: Option<Locale>,
}

pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1 AND deleted_at IS NULL");
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)
}

pub async fn by_email(db: &Db, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email = $1 AND deleted_at IS NULL");
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(email)
        .fetch_optional(pool)
        .await)
}

/// Finds the person with `email`, creating an account for it when there is none.
pub async fn find_or_create_by_email(
    tx: &mut Tx,
    email: &str,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<UserRow, sqlx::Error> {
    let insert = "INSERT INTO users (id, email, locale, created_at, updated_at) \
                  VALUES ($1, $2, $3, $4, $4) ON CONFLICT (email) DO NOTHING";
    let select = format!("SELECT {COLUMNS} FROM users WHERE email = $1");
    on_tx!(tx, |conn| {
        sqlx::query(insert)
            .bind(Uuid::now_v7())
            .bind(email)
            .bind(locale)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        sqlx::query_as(&select)
            .bind(email)
            .fetch_one(&mut *conn)
            .await
    })
}

pub async fn record_sign_in(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let sql = "UPDATE users SET last_sign_in_at = $2 WHERE id = $1";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(id)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn update_profile(
    db: &Db,
    id: Uuid,
    change: &ProfileChange<'_>,
    now: DateTime<Utc>,
) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!(
        "UPDATE users SET display_name = COALESCE($2, display_name), \
         birth_year = COALESCE($3, birth_year), locale = COALESCE($4, locale), updated_at = $5 \
         WHERE id = $1 AND deleted_at IS NULL RETURNING {COLUMNS}"
    );
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .bind(change.display_name)
        .bind(change.birth_year)
        .bind(change.locale)
        .bind(now)
        .fetch_optional(pool)
        .await)
}

/// A new account without an email address (signed in through a provider
/// that gave no verified address).
pub async fn create_without_email(
    tx: &mut Tx,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<UserRow, sqlx::Error> {
    let sql = format!(
        "INSERT INTO users (id, locale, created_at, updated_at) VALUES ($1, $2, $3, $3) \
         RETURNING {COLUMNS}"
    );
    on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(Uuid::now_v7())
        .bind(locale)
        .bind(now)
        .fetch_one(conn)
        .await)
}

pub async fn set_display_name_if_empty(
    tx: &mut Tx,
    id: Uuid,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE users SET display_name = $2, updated_at = $3 \
               WHERE id = $1 AND display_name IS NULL";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(id)
        .bind(name)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
