//! Programmes run by a city.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{is_unique_violation, on_db, Db};
use crate::domain::{Locale, ProgrammeKind};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProgrammeRow {
    pub id: Uuid,
    pub city_id: Uuid,
    pub city_slug: String,
    pub slug: String,
    pub name: String,
    pub kind: ProgrammeKind,
    pub description: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub locale: Locale,
    pub changemaker_target: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT p.id, p.city_id, c.slug AS city_slug, p.slug, p.name, p.kind, \
    p.description, p.starts_on, p.ends_on, p.locale, p.changemaker_target, p.created_at, \
    p.updated_at FROM programmes p JOIN cities c ON c.id = p.city_id";

/// The writable fields of a programme.
#[derive(Debug, Clone)]
pub struct ProgrammeFields {
    pub slug: String,
    pub name: String,
    pub kind: ProgrammeKind,
    pub description: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub locale: Locale,
    pub changemaker_target: Option<i32>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProgrammeWriteError {
    #[error("slug taken")]
    SlugTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn classify(err: sqlx::Error) -> ProgrammeWriteError {
    if is_unique_violation(&err) {
        ProgrammeWriteError::SlugTaken
    } else {
        ProgrammeWriteError::Db(err)
    }
}

pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<ProgrammeRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE p.id = $1");
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)
}

/// A page of a city's programmes, newest first, after the `before` id if given.
pub async fn page_for_city(
    db: &Db,
    city_id: Uuid,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Vec<ProgrammeRow>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE p.city_id = $1 AND ($2 IS NULL OR p.id < $2) ORDER BY p.id DESC LIMIT $3"
    );
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(city_id)
        .bind(before)
        .bind(limit)
        .fetch_all(pool)
        .await)
}

pub async fn insert(
    db: &Db,
    city_id: Uuid,
    fields: &ProgrammeFields,
    now: DateTime<Utc>,
) -> Result<Uuid, ProgrammeWriteError> {
    let id = Uuid::now_v7();
    let sql = "INSERT INTO programmes (id, city_id, slug, name, kind, description, starts_on, \
               ends_on, locale, changemaker_target, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(id)
        .bind(city_id)
        .bind(&fields.slug)
        .bind(&fields.name)
        .bind(fields.kind)
        .bind(&fields.description)
        .bind(fields.starts_on)
        .bind(fields.ends_on)
        .bind(fields.locale)
        .bind(fields.changemaker_target)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
    .map_err(classify)?;
    Ok(id)
}

/// Replaces every writable field (the service merges a PATCH first).
pub async fn update(
    db: &Db,
    id: Uuid,
    fields: &ProgrammeFields,
    now: DateTime<Utc>,
) -> Result<(), ProgrammeWriteError> {
    let sql = "UPDATE programmes SET slug = $2, name = $3, kind = $4, description = $5, \
               starts_on = $6, ends_on = $7, locale = $8, changemaker_target = $9, updated_at = $10 \
               WHERE id = $1";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(id)
        .bind(&fields.slug)
        .bind(&fields.name)
        .bind(fields.kind)
        .bind(&fields.description)
        .bind(fields.starts_on)
        .bind(fields.ends_on)
        .bind(fields.locale)
        .bind(fields.changemaker_target)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
    .map_err(classify)?;
    Ok(())
}
