//! Reports from the public about published campaigns.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{moderation::FACILITATED, on_db, on_tx, Db, Tx};
use crate::domain::{ReportReason, ReportStatus};

/// A campaign the public can see: approved content, not taken down or archived.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicCampaignRow {
    pub id: Uuid,
    pub slug: String,
    pub programme_id: Uuid,
    pub programme_name: String,
    pub city_id: Uuid,
    pub city_slug: String,
    pub city_name: String,
    pub team_name: String,
    pub published_at: DateTime<Utc>,
    /// Whose calendar its views are dated by.
    pub country: crate::domain::Country,
}

/// What makes a campaign public, on alias `c`.
pub const PUBLIC: &str =
    "c.published_at IS NOT NULL AND c.hidden_at IS NULL AND c.status <> 'archived'";

pub async fn public_by_slug(db: &Db, slug: &str) -> Result<Option<PublicCampaignRow>, sqlx::Error> {
    let sql = format!(
        "SELECT c.id, c.slug, c.programme_id, p.name AS programme_name, p.city_id, \
         ci.slug AS city_slug, ci.name AS city_name, t.name AS team_name, c.published_at, ci.country \
         FROM campaigns c JOIN programmes p ON p.id = c.programme_id JOIN cities ci ON ci.id = p.city_id \
         JOIN teams t ON t.id = c.team_id WHERE c.slug = $1 AND {PUBLIC}"
    );
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(slug)
        .fetch_optional(pool)
        .await)
}

pub struct NewReport<'a> {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub programme_id: Uuid,
    pub reason: ReportReason,
    pub details: &'a str,
}

pub async fn insert(
    tx: &mut Tx,
    report: &NewReport<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO campaign_reports (id, campaign_id, programme_id, reason, details, status, created_at) \
               VALUES ($1, $2, $3, $4, $5, 'open', $6)";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(report.id)
        .bind(report.campaign_id)
        .bind(report.programme_id)
        .bind(report.reason)
        .bind(report.details)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRow {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub campaign_slug: String,
    pub campaign_title: String,
    pub team_name: String,
    pub programme_id: Uuid,
    pub programme_name: String,
    pub city_id: Uuid,
    pub reason: ReportReason,
    pub details: String,
    pub status: ReportStatus,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolution_note: Option<String>,
    pub campaign_hidden: bool,
}

const SELECT: &str = "SELECT r.id, r.campaign_id, c.slug AS campaign_slug, \
     COALESCE(pc.title, d.title) AS campaign_title, t.name AS team_name, r.programme_id, \
     p.name AS programme_name, p.city_id, r.reason, r.details, r.status, r.created_at, r.resolved_at, \
     r.resolution_note, (c.hidden_at IS NOT NULL) AS campaign_hidden \
     FROM campaign_reports r JOIN campaigns c ON c.id = r.campaign_id \
     JOIN programmes p ON p.id = r.programme_id JOIN teams t ON t.id = c.team_id \
     JOIN campaign_contents d ON d.campaign_id = c.id AND d.kind = 'draft' \
     LEFT JOIN campaign_contents pc ON pc.campaign_id = c.id AND pc.kind = 'published'";

/// Reports in the programmes the person moderates: open ones oldest first,
/// resolved ones newest first; after the cursor (an id, in that order).
pub async fn list(
    db: &Db,
    user_id: Uuid,
    status: ReportStatus,
    programme_id: Option<Uuid>,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<ReportRow>, sqlx::Error> {
    let (compare, direction) = if status == ReportStatus::Open {
        (">", "ASC")
    } else {
        ("<", "DESC")
    };
    let sql = format!(
        "{SELECT} WHERE {FACILITATED} AND r.status = $2 AND ($3 IS NULL OR r.programme_id = $3) \
         AND ($4 IS NULL OR r.id {compare} $4) ORDER BY r.id {direction} LIMIT $5"
    );
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(user_id)
        .bind(status)
        .bind(programme_id)
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await)
}

pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<ReportRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE r.id = $1");
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)
}

/// How many reports on the campaign are open, inside the filing transaction.
pub async fn open_count(tx: &mut Tx, campaign_id: Uuid) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM campaign_reports WHERE campaign_id = $1 AND status = 'open'";
    on_tx!(tx, |conn| sqlx::query_scalar(sql)
        .bind(campaign_id)
        .fetch_one(conn)
        .await)
}

/// Closes an open report; `false` when it was no longer open.
pub async fn resolve(
    tx: &mut Tx,
    id: Uuid,
    status: ReportStatus,
    by: Uuid,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE campaign_reports SET status = $2, resolved_by = $3, resolution_note = $4, \
               resolved_at = $5 WHERE id = $1 AND status = 'open'";
    let changed = on_tx!(tx, |conn| sqlx::query(sql)
        .bind(id)
        .bind(status)
        .bind(by)
        .bind(note)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(changed == 1)
}

/// Closes every other open report on a campaign that was taken down.
pub async fn resolve_others(
    tx: &mut Tx,
    campaign_id: Uuid,
    by: Uuid,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let sql = "UPDATE campaign_reports SET status = 'unpublished', resolved_by = $2, \
               resolution_note = $3, resolved_at = $4 WHERE campaign_id = $1 AND status = 'open'";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(campaign_id)
        .bind(by)
        .bind(note)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))
}
