//! Cities of the alliance.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{is_unique_violation, on_db, Db};
use crate::domain::Country;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CityRow {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub country: Country,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, slug, name, country, created_at, updated_at";

/// Why a city could not be written.
#[derive(Debug, thiserror::Error)]
pub enum CityWriteError {
    #[error("slug taken")]
    SlugTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub async fn list(db: &Db) -> Result<Vec<CityRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM cities ORDER BY country, name");
    on_db!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)
}

pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<CityRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM cities WHERE slug = $1");
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(slug)
        .fetch_optional(pool)
        .await)
}

pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<CityRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM cities WHERE id = $1");
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)
}

pub async fn insert(
    db: &Db,
    slug: &str,
    name: &str,
    country: Country,
    now: DateTime<Utc>,
) -> Result<CityRow, CityWriteError> {
    let sql = format!(
        "INSERT INTO cities (id, slug, name, country, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING {COLUMNS}"
    );
    let result = on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(Uuid::now_v7())
        .bind(slug)
        .bind(name)
        .bind(country)
        .bind(now)
        .fetch_one(pool)
        .await);
    result.map_err(|err| {
        if is_unique_violation(&err) {
            CityWriteError::SlugTaken
        } else {
            CityWriteError::Db(err)
        }
    })
}

pub async fn update(
    db: &Db,
    id: Uuid,
    name: Option<&str>,
    country: Option<Country>,
    now: DateTime<Utc>,
) -> Result<CityRow, sqlx::Error> {
    let sql = format!(
        "UPDATE cities SET name = COALESCE($2, name), country = COALESCE($3, country), \
         updated_at = $4 WHERE id = $1 RETURNING {COLUMNS}"
    );
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .bind(name)
        .bind(country)
        .bind(now)
        .fetch_one(pool)
        .await)
}
