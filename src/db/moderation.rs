//! The moderation queue, the append-only audit trail and saved feedback.
//!
//! Scope filters take the caller's id as `$1` and keep the programmes the
//! caller may moderate (`FACILITATED`) or audit (`MANAGED`), on alias `p`.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, Db, Tx};
use crate::domain::{AuditAction, CampaignStatus, Locale};

/// Programmes the person facilitates, or whose city they manage, or all for an admin.
pub const FACILITATED: &str = "(EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = $1 AND ( \
     g.role = 'admin' OR (g.role = 'city_admin' AND g.city_id = p.city_id) \
     OR (g.role = 'facilitator' AND g.programme_id = p.id))))";

/// Programmes of the cities the person manages, or all for an admin.
pub const MANAGED: &str = "(EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = $1 AND ( \
     g.role = 'admin' OR (g.role = 'city_admin' AND g.city_id = p.city_id))))";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueueRow {
    pub id: Uuid,
    pub slug: String,
    pub version: i32,
    pub submitted_at: DateTime<Utc>,
    pub programme_id: Uuid,
    pub programme_name: String,
    pub programme_locale: Locale,
    pub team_name: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub hashtag: Option<String>,
    pub audience: Option<String>,
    pub location: Option<String>,
    /// Whether an earlier version is public (this is an update).
    pub is_update: bool,
}

/// Submitted campaigns the person may moderate, oldest submission first,
/// after the `(submitted_at, id)` cursor.
pub async fn queue(
    db: &Db,
    user_id: Uuid,
    programme_id: Option<Uuid>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<QueueRow>, sqlx::Error> {
    let sql = format!(
        "SELECT c.id, c.slug, c.version, c.submitted_at, c.programme_id, p.name AS programme_name, \
         p.locale AS programme_locale, t.name AS team_name, d.title, d.summary, d.body, d.hashtag, \
         d.audience, d.location, (c.published_at IS NOT NULL) AS is_update \
         FROM campaigns c JOIN programmes p ON p.id = c.programme_id JOIN teams t ON t.id = c.team_id \
         JOIN campaign_contents d ON d.campaign_id = c.id AND d.kind = 'draft' \
         WHERE c.status = 'submitted' AND {FACILITATED} AND ($2 IS NULL OR c.programme_id = $2) \
         AND ($3 IS NULL OR c.submitted_at > $3 OR (c.submitted_at = $3 AND c.id > $4)) \
         ORDER BY c.submitted_at, c.id LIMIT $5"
    );
    let (at, id) = after.unzip();
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(user_id)
        .bind(programme_id)
        .bind(at)
        .bind(id)
        .bind(limit)
        .fetch_all(pool)
        .await)
}

/// Submitted campaigns and open reports waiting for each facilitator, for digests.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WaitingRow {
    pub user_id: Uuid,
    pub email: String,
    pub locale: Locale,
    pub submitted: i64,
    pub open_reports: i64,
}

pub async fn waiting_per_facilitator(db: &Db) -> Result<Vec<WaitingRow>, sqlx::Error> {
    let sql = "SELECT u.id AS user_id, u.email, u.locale, \
         (SELECT COUNT(*) FROM campaigns c WHERE c.status = 'submitted' AND c.programme_id IN \
            (SELECT g2.programme_id FROM role_grants g2 WHERE g2.user_id = u.id AND g2.role = 'facilitator')) AS submitted, \
         (SELECT COUNT(*) FROM campaign_reports r WHERE r.status = 'open' AND r.programme_id IN \
            (SELECT g3.programme_id FROM role_grants g3 WHERE g3.user_id = u.id AND g3.role = 'facilitator')) AS open_reports \
         FROM users u WHERE u.deleted_at IS NULL AND u.email IS NOT NULL AND EXISTS \
         (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = 'facilitator')";
    on_db!(db, |pool| sqlx::query_as(sql).fetch_all(pool).await)
}

/// One decision for the audit trail.
pub struct AuditEntry<'a> {
    pub campaign_id: Uuid,
    pub programme_id: Uuid,
    pub city_id: Uuid,
    pub actor_id: Uuid,
    pub action: AuditAction,
    pub from_status: CampaignStatus,
    pub to_status: CampaignStatus,
    pub campaign_version: i32,
    pub title: &'a str,
    pub changed_fields: &'a [&'a str],
    pub reason: Option<&'a str>,
    pub report_id: Option<Uuid>,
    /// For reach decisions: the report and the number verified.
    pub reach_report_id: Option<Uuid>,
    pub people_verified: Option<i32>,
}

/// Appends a decision. There is no function to change or remove one, and the
/// database refuses it too.
pub async fn append_audit(
    tx: &mut Tx,
    entry: &AuditEntry<'_>,
    now: DateTime<Utc>,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    let fields = serde_json::to_string(entry.changed_fields).unwrap_or_else(|_| "[]".to_owned());
    let sql = "INSERT INTO moderation_audit (id, campaign_id, programme_id, city_id, actor_id, action, \
               from_status, to_status, campaign_version, title, changed_fields, reason, report_id, created_at, reach_report_id, people_verified) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(id)
        .bind(entry.campaign_id)
        .bind(entry.programme_id)
        .bind(entry.city_id)
        .bind(entry.actor_id)
        .bind(entry.action)
        .bind(entry.from_status)
        .bind(entry.to_status)
        .bind(entry.campaign_version)
        .bind(entry.title)
        .bind(&fields)
        .bind(entry.reason)
        .bind(entry.report_id)
        .bind(now)
        .bind(entry.reach_report_id)
        .bind(entry.people_verified)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(id)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub campaign_slug: String,
    pub programme_id: Uuid,
    pub programme_name: String,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub actor_deleted: bool,
    pub action: AuditAction,
    pub from_status: CampaignStatus,
    pub to_status: CampaignStatus,
    pub campaign_version: i32,
    pub title: String,
    pub changed_fields: String,
    pub reason: Option<String>,
    pub report_id: Option<Uuid>,
    pub reach_report_id: Option<Uuid>,
    pub people_verified: Option<i32>,
    pub created_at: DateTime<Utc>,
}

/// Decisions in the programmes the person may audit, newest first, before the cursor.
pub async fn audit(
    db: &Db,
    user_id: Uuid,
    programme_id: Option<Uuid>,
    before: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let sql = format!(
        "SELECT a.id, a.campaign_id, c.slug AS campaign_slug, a.programme_id, p.name AS programme_name, \
         a.actor_id, CASE WHEN u.deleted_at IS NULL THEN COALESCE(u.display_name, u.email) END AS actor_name, \
         (u.id IS NULL OR u.deleted_at IS NOT NULL) AS actor_deleted, a.action, a.from_status, \
         a.to_status, a.campaign_version, a.title, a.changed_fields, a.reason, a.report_id, \
         a.reach_report_id, a.people_verified, a.created_at \
         FROM moderation_audit a JOIN campaigns c ON c.id = a.campaign_id \
         JOIN programmes p ON p.id = a.programme_id LEFT JOIN users u ON u.id = a.actor_id \
         WHERE {MANAGED} AND ($2 IS NULL OR a.programme_id = $2) \
         AND ($3 IS NULL OR a.created_at < $3 OR (a.created_at = $3 AND a.id < $4)) \
         ORDER BY a.created_at DESC, a.id DESC LIMIT $5"
    );
    let (at, id) = before.unzip();
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(user_id)
        .bind(programme_id)
        .bind(at)
        .bind(id)
        .bind(limit)
        .fetch_all(pool)
        .await)
}

/// Takes a published campaign out of every public place (or, with `None`,
/// lets it back in).
pub async fn set_hidden(
    tx: &mut Tx,
    campaign_id: Uuid,
    hidden_at: Option<DateTime<Utc>>,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE campaigns SET hidden_at = $2 WHERE id = $1";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(campaign_id)
        .bind(hidden_at)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TemplateRow {
    pub id: Uuid,
    pub programme_id: Uuid,
    pub title: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

pub async fn templates(db: &Db, programme_id: Uuid) -> Result<Vec<TemplateRow>, sqlx::Error> {
    let sql = "SELECT id, programme_id, title, body, created_at FROM feedback_templates \
               WHERE programme_id = $1 ORDER BY created_at, id";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(programme_id)
        .fetch_all(pool)
        .await)
}

pub async fn template(db: &Db, id: Uuid) -> Result<Option<TemplateRow>, sqlx::Error> {
    let sql =
        "SELECT id, programme_id, title, body, created_at FROM feedback_templates WHERE id = $1";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(id)
        .fetch_optional(pool)
        .await)
}

pub async fn count_templates(db: &Db, programme_id: Uuid) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM feedback_templates WHERE programme_id = $1";
    on_db!(db, |pool| sqlx::query_scalar(sql)
        .bind(programme_id)
        .fetch_one(pool)
        .await)
}

pub async fn insert_template(
    db: &Db,
    row: &TemplateRow,
    created_by: Uuid,
) -> Result<(), sqlx::Error> {
    let sql =
        "INSERT INTO feedback_templates (id, programme_id, title, body, created_by, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(row.id)
        .bind(row.programme_id)
        .bind(&row.title)
        .bind(&row.body)
        .bind(created_by)
        .bind(row.created_at)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete_template(db: &Db, id: Uuid) -> Result<(), sqlx::Error> {
    let sql = "DELETE FROM feedback_templates WHERE id = $1";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
