//! What the platform holds about one person, for export and for erasure.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, Db, Tx};
use crate::domain::RoleKind;

/// A value bound to an erasure statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bind {
    UserId,
    Email,
    Now,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct SessionExport {
    /// The browser and system it started on, when known.
    pub device: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct LinkExport {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RoleExport {
    pub role: RoleKind,
    pub city_id: Option<Uuid>,
    pub programme_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct FlowExport {
    pub provider: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn sessions(db: &Db, user_id: Uuid) -> Result<Vec<SessionExport>, sqlx::Error> {
    let sql = "SELECT device, created_at, last_seen_at, expires_at, revoked_at FROM sessions \
               WHERE user_id = $1 ORDER BY created_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

pub async fn sign_in_links(db: &Db, email: &str) -> Result<Vec<LinkExport>, sqlx::Error> {
    let sql = "SELECT created_at, expires_at, used_at FROM sign_in_links WHERE email = $1 \
               ORDER BY created_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(email)
        .fetch_all(pool)
        .await)
}

pub async fn role_grants(db: &Db, user_id: Uuid) -> Result<Vec<RoleExport>, sqlx::Error> {
    let sql = "SELECT role, city_id, programme_id, created_at FROM role_grants WHERE user_id = $1 \
               ORDER BY created_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

pub async fn oauth_flows(db: &Db, user_id: Uuid) -> Result<Vec<FlowExport>, sqlx::Error> {
    let sql = "SELECT provider, created_at, expires_at FROM oauth_flows WHERE link_user_id = $1";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

/// A row linking the person to a team or campaign, for the export.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct LinkRow {
    pub id: Uuid,
    pub name: String,
    pub detail: Option<String>,
    pub at: DateTime<Utc>,
}

pub async fn team_memberships(db: &Db, user_id: Uuid) -> Result<Vec<LinkRow>, sqlx::Error> {
    let sql = "SELECT t.id, t.name, m.role AS detail, m.joined_at AS at FROM team_members m \
               JOIN teams t ON t.id = m.team_id WHERE m.user_id = $1 ORDER BY m.joined_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

pub async fn teams_started(db: &Db, user_id: Uuid) -> Result<Vec<LinkRow>, sqlx::Error> {
    let sql = "SELECT id, name, join_code AS detail, created_at AS at FROM teams \
               WHERE created_by = $1 ORDER BY created_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

pub async fn team_invites(
    db: &Db,
    user_id: Uuid,
    email: Option<&str>,
) -> Result<Vec<LinkRow>, sqlx::Error> {
    let sql = "SELECT i.id, t.name, i.email AS detail, i.created_at AS at FROM team_invites i \
               JOIN teams t ON t.id = i.team_id WHERE i.invited_by = $1 OR i.email = $2 \
               ORDER BY i.created_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .bind(email)
        .fetch_all(pool)
        .await)
}

pub async fn campaigns_started(db: &Db, user_id: Uuid) -> Result<Vec<LinkRow>, sqlx::Error> {
    let sql =
        "SELECT c.id, d.title AS name, c.status AS detail, c.created_at AS at FROM campaigns c \
               JOIN campaign_contents d ON d.campaign_id = c.id AND d.kind = 'draft' \
               WHERE c.created_by = $1 ORDER BY c.created_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

pub async fn campaign_edits(db: &Db, user_id: Uuid) -> Result<Vec<LinkRow>, sqlx::Error> {
    let sql = "SELECT campaign_id AS id, title AS name, kind AS detail, updated_at AS at \
               FROM campaign_contents WHERE updated_by = $1 ORDER BY updated_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

pub async fn campaign_actions(db: &Db, user_id: Uuid) -> Result<Vec<LinkRow>, sqlx::Error> {
    let sql = "SELECT campaign_id AS id, action AS name, note AS detail, created_at AS at \
               FROM campaign_events WHERE actor_id = $1 ORDER BY created_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

pub async fn trainings_marked(db: &Db, user_id: Uuid) -> Result<Vec<LinkRow>, sqlx::Error> {
    let sql = "SELECT e.programme_id AS id, p.name, CAST(e.trained_on AS TEXT) AS detail, \
               e.enrolled_at AS at FROM enrolments e JOIN programmes p ON p.id = e.programme_id \
               WHERE e.trained_marked_by = $1 ORDER BY e.enrolled_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

pub async fn media_uploaded(db: &Db, user_id: Uuid) -> Result<Vec<LinkRow>, sqlx::Error> {
    let sql = "SELECT id, alt_text AS name, status AS detail, created_at AS at FROM media \
               WHERE uploaded_by = $1 ORDER BY created_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

/// Runs one export query: `$1` is the person's id.
async fn links(db: &Db, sql: &str, user_id: Uuid) -> Result<Vec<LinkRow>, sqlx::Error> {
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

pub async fn moderation_decisions(db: &Db, user_id: Uuid) -> Result<Vec<LinkRow>, sqlx::Error> {
    let sql = "SELECT campaign_id AS id, action AS name, reason AS detail, created_at AS at \
               FROM moderation_audit WHERE actor_id = $1 ORDER BY created_at";
    links(db, sql, user_id).await
}

pub async fn reports_resolved(db: &Db, user_id: Uuid) -> Result<Vec<LinkRow>, sqlx::Error> {
    let sql = "SELECT id, status AS name, resolution_note AS detail, resolved_at AS at \
               FROM campaign_reports WHERE resolved_by = $1 ORDER BY resolved_at";
    links(db, sql, user_id).await
}

pub async fn feedback_templates(db: &Db, user_id: Uuid) -> Result<Vec<LinkRow>, sqlx::Error> {
    let sql = "SELECT id, title AS name, body AS detail, created_at AS at \
               FROM feedback_templates WHERE created_by = $1 ORDER BY created_at";
    links(db, sql, user_id).await
}

pub async fn notification_mail(db: &Db, user_id: Uuid) -> Result<Vec<LinkRow>, sqlx::Error> {
    let sql = "SELECT id, subject AS name, status AS detail, created_at AS at \
               FROM mail_outbox WHERE user_id = $1 ORDER BY created_at";
    links(db, sql, user_id).await
}

pub async fn notifications(db: &Db, user_id: Uuid) -> Result<Vec<LinkRow>, sqlx::Error> {
    let sql = "SELECT id, title AS name, kind || COALESCE(': ' || outcome, '') AS detail, \
               created_at AS at FROM notifications WHERE user_id = $1 ORDER BY created_at";
    links(db, sql, user_id).await
}

pub async fn reach_reports(db: &Db, user_id: Uuid) -> Result<Vec<LinkRow>, sqlx::Error> {
    let sql = "SELECT id, description AS name, \
               CAST(people_reached AS TEXT) || ' ' || status AS detail, created_at AS at \
               FROM reach_reports WHERE author_id = $1 OR decided_by = $1 ORDER BY created_at";
    links(db, sql, user_id).await
}

pub async fn changemaker_record(db: &Db, user_id: Uuid) -> Result<Vec<LinkRow>, sqlx::Error> {
    let sql = "SELECT l.programme_id AS id, p.name, CAST(l.trained_on AS TEXT) AS detail, \
               l.created_at AS at FROM changemaker_ledger l JOIN programmes p ON p.id = l.programme_id \
               WHERE l.user_id = $1 ORDER BY l.created_at";
    links(db, sql, user_id).await
}

/// Runs one erasure statement, binding the values it names in order.
pub async fn erase_step(
    tx: &mut Tx,
    sql: &str,
    binds: &[Bind],
    user_id: Uuid,
    email: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |conn| {
        let mut query = sqlx::query(sql);
        for bind in binds {
            query = match bind {
                Bind::UserId => query.bind(user_id),
                Bind::Email => query.bind(email),
                Bind::Now => query.bind(now),
            };
        }
        query.execute(conn).await.map(|r| r.rows_affected())
    })
}

/// Every table and its columns, for the completeness check of the registry.
pub async fn schema(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    let sql = match db {
        Db::Sqlite(_) => {
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx_%'"
        }
        Db::Postgres(_) => {
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx_%'"
        }
    };
    on_db!(db, |pool| sqlx::query_as(sql).fetch_all(pool).await)
}
