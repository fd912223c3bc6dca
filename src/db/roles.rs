//! Role grants: admin (platform), `city_admin` (one city), facilitator (one programme).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, Db, Tx};
use crate::domain::RoleKind;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoleRow {
    pub role: RoleKind,
    pub city_id: Option<Uuid>,
    pub city_slug: Option<String>,
    pub city_name: Option<String>,
    pub programme_id: Option<Uuid>,
    pub programme_name: Option<String>,
}

/// A person holding a role, for lists of admins and facilitators.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HolderRow {
    pub user_id: Uuid,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub granted_at: DateTime<Utc>,
}

/// Every role a person holds, with the city each one reaches.
pub async fn for_user(db: &Db, user_id: Uuid) -> Result<Vec<RoleRow>, sqlx::Error> {
    let sql = "SELECT r.role, COALESCE(r.city_id, p.city_id) AS city_id, c.slug AS city_slug, \
               c.name AS city_name, r.programme_id, p.name AS programme_name FROM role_grants r \
               LEFT JOIN programmes p ON p.id = r.programme_id \
               LEFT JOIN cities c ON c.id = COALESCE(r.city_id, p.city_id) \
               WHERE r.user_id = $1 ORDER BY r.role, r.created_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

/// Grants a role; granting one that is already held changes nothing.
pub async fn grant(
    tx: &mut Tx,
    user_id: Uuid,
    role: RoleKind,
    city_id: Option<Uuid>,
    programme_id: Option<Uuid>,
    granted_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let sql = "INSERT INTO role_grants (id, user_id, role, city_id, programme_id, granted_by, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING";
    let inserted = on_tx!(tx, |conn| sqlx::query(sql)
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(role)
        .bind(city_id)
        .bind(programme_id)
        .bind(granted_by)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(inserted > 0)
}

/// Removes a scoped role; returns whether one was held.
pub async fn revoke(
    db: &Db,
    user_id: Uuid,
    role: RoleKind,
    city_id: Option<Uuid>,
    programme_id: Option<Uuid>,
) -> Result<bool, sqlx::Error> {
    let sql = "DELETE FROM role_grants WHERE user_id = $1 AND role = $2 \
               AND (city_id = $3 OR ($3 IS NULL AND city_id IS NULL)) \
               AND (programme_id = $4 OR ($4 IS NULL AND programme_id IS NULL))";
    let removed = on_db!(db, |pool| sqlx::query(sql)
        .bind(user_id)
        .bind(role)
        .bind(city_id)
        .bind(programme_id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(removed > 0)
}

/// Who holds `role` in the given city or programme.
pub async fn holders(
    db: &Db,
    role: RoleKind,
    city_id: Option<Uuid>,
    programme_id: Option<Uuid>,
) -> Result<Vec<HolderRow>, sqlx::Error> {
    let sql = "SELECT u.id AS user_id, u.email, u.display_name, r.created_at AS granted_at \
               FROM role_grants r JOIN users u ON u.id = r.user_id \
               WHERE r.role = $1 AND (city_id = $2 OR ($2 IS NULL AND city_id IS NULL)) \
               AND (programme_id = $3 OR ($3 IS NULL AND programme_id IS NULL)) \
               AND u.deleted_at IS NULL ORDER BY r.created_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(role)
        .bind(city_id)
        .bind(programme_id)
        .fetch_all(pool)
        .await)
}
