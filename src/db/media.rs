//! Photos and videos of campaigns.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, Db, Tx};
use crate::domain::{MediaFailure, MediaKind, MediaStatus};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MediaRow {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub kind: MediaKind,
    pub status: MediaStatus,
    pub error: Option<String>,
    pub error_code: Option<MediaFailure>,
    pub source_type: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub alt_text: String,
    pub consent_confirmed: bool,
    pub position: i32,
    pub blurhash: Option<String>,
    pub dominant_color: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The description and place the last approval made public; the team's
    /// later edits wait in `alt_text` and `position` for the next one.
    pub published_alt_text: Option<String>,
    pub published_position: Option<i32>,
    /// Set for a reach report's evidence photo, which is never public.
    pub reach_report_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl MediaRow {
    /// A public item whose description the team changed since the approval.
    #[must_use]
    pub fn alt_text_awaits_review(&self) -> bool {
        self.published_at.is_some() && self.published_alt_text.as_deref() != Some(&self.alt_text)
    }

    /// A public item the team moved since the approval.
    #[must_use]
    pub fn position_awaits_review(&self) -> bool {
        self.published_at.is_some() && self.published_position != Some(self.position)
    }
}

pub(super) const COLUMNS: &str =
    "id, campaign_id, kind, status, error, error_code, source_type, width, height, alt_text, \
    consent_confirmed, position, blurhash, dominant_color, published_at, published_alt_text, \
    published_position, reach_report_id, created_at";

/// The same row as the public sees it: the approved description and order
/// stand in for the team's working ones.
pub(super) const PUBLIC_COLUMNS: &str =
    "id, campaign_id, kind, status, error, error_code, source_type, width, height, \
    published_alt_text AS alt_text, consent_confirmed, published_position AS position, blurhash, \
    dominant_color, published_at, published_alt_text, published_position, reach_report_id, created_at";

/// What makes an item public: approved, processed, consented, not evidence.
pub(super) const PUBLIC: &str = "published_at IS NOT NULL AND status = 'ready' \
    AND consent_confirmed AND reach_report_id IS NULL";

pub struct NewMedia<'a> {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub kind: MediaKind,
    pub source_type: &'a str,
    pub source_bytes: i64,
    pub alt_text: &'a str,
    pub consent_confirmed: bool,
    pub uploaded_by: Uuid,
    /// Known at upload for a video; a photo's come with its renditions.
    pub width: Option<i32>,
    pub height: Option<i32>,
    /// For a reach report's evidence.
    pub reach_report_id: Option<Uuid>,
}

/// Inserts an item at the end of its campaign's list, in `processing`.
pub async fn insert(
    tx: &mut Tx,
    new: &NewMedia<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO media (id, campaign_id, kind, status, source_type, source_bytes, alt_text, \
               consent_confirmed, position, uploaded_by, created_at, updated_at, width, height, reach_report_id) \
               VALUES ($1, $2, $3, 'processing', $4, $5, $6, $7, \
               (SELECT COALESCE(MAX(position), 0) + 1 FROM media WHERE campaign_id = $2), $8, $9, $9, \
               $10, $11, $12)";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(new.id)
        .bind(new.campaign_id)
        .bind(new.kind)
        .bind(new.source_type)
        .bind(new.source_bytes)
        .bind(new.alt_text)
        .bind(new.consent_confirmed)
        .bind(new.uploaded_by)
        .bind(now)
        .bind(new.width)
        .bind(new.height)
        .bind(new.reach_report_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<MediaRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM media WHERE id = $1");
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)
}

pub async fn for_campaign(db: &Db, campaign_id: Uuid) -> Result<Vec<MediaRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM media WHERE campaign_id = $1 AND reach_report_id IS NULL \
                 ORDER BY position, created_at"
    );
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(campaign_id)
        .fetch_all(pool)
        .await)
}

/// A public campaign's items as the last approval made them, in its order.
pub async fn published_for_campaign(
    db: &Db,
    campaign_id: Uuid,
) -> Result<Vec<MediaRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {PUBLIC_COLUMNS} FROM media WHERE campaign_id = $1 AND {PUBLIC} \
         ORDER BY published_position, created_at"
    );
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(campaign_id)
        .fetch_all(pool)
        .await)
}

/// Bytes the person uploaded since `since` that are still kept.
pub async fn uploaded_bytes_since(
    db: &Db,
    user_id: Uuid,
    since: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let sql = "SELECT CAST(COALESCE(SUM(source_bytes), 0) AS BIGINT) FROM media \
               WHERE uploaded_by = $1 AND created_at >= $2";
    on_db!(db, |pool| sqlx::query_scalar(sql)
        .bind(user_id)
        .bind(since)
        .fetch_one(pool)
        .await)
}

pub async fn count_for_campaign(db: &Db, campaign_id: Uuid) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM media WHERE campaign_id = $1 AND reach_report_id IS NULL";
    on_db!(db, |pool| sqlx::query_scalar(sql)
        .bind(campaign_id)
        .fetch_one(pool)
        .await)
}

/// Takes the campaign's row lock (PostgreSQL) or the write lock (SQLite) for
/// the rest of the transaction, so the media count read after it holds until
/// commit: concurrent uploads to one campaign queue here, one at a time.
pub async fn lock_campaign(tx: &mut Tx, campaign_id: Uuid) -> Result<(), sqlx::Error> {
    let sql = "UPDATE campaigns SET updated_at = updated_at WHERE id = $1";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(campaign_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// How many items a campaign has, inside a transaction (after `lock_campaign`).
pub async fn count_in_tx(tx: &mut Tx, campaign_id: Uuid) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM media WHERE campaign_id = $1 AND reach_report_id IS NULL";
    on_tx!(tx, |conn| sqlx::query_scalar(sql)
        .bind(campaign_id)
        .fetch_one(conn)
        .await)
}

/// Marks an item processed, after its renditions are stored.
pub async fn mark_ready(
    db: &Db,
    id: Uuid,
    width: i32,
    height: i32,
    blurhash: &str,
    dominant_color: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE media SET status = 'ready', width = $2, height = $3, blurhash = $4, \
               dominant_color = $5, error = NULL, updated_at = $6 WHERE id = $1";
    let updated = on_db!(db, |pool| sqlx::query(sql)
        .bind(id)
        .bind(width)
        .bind(height)
        .bind(blurhash)
        .bind(dominant_color)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(updated > 0)
}

/// A video is ready once it is at its final key; its size came with the upload.
pub async fn mark_video_ready(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE media SET status = 'ready', error = NULL, updated_at = $2 \
               WHERE id = $1 AND kind = 'video'";
    let updated = on_db!(db, |pool| sqlx::query(sql)
        .bind(id)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(updated > 0)
}

pub async fn mark_failed(
    db: &Db,
    id: Uuid,
    failure: MediaFailure,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE media SET status = 'failed', error_code = $2, error = $3, updated_at = $4 \
               WHERE id = $1";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(id)
        .bind(failure)
        .bind(error)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn update(
    db: &Db,
    id: Uuid,
    alt_text: Option<&str>,
    consent_confirmed: Option<bool>,
    position: Option<i32>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    // Withdrawing consent takes the item off every public surface at once;
    // everything else the team changes waits for the next approval.
    let sql = "UPDATE media SET alt_text = COALESCE($2, alt_text), \
               consent_confirmed = COALESCE($3, consent_confirmed), position = COALESCE($4, position), \
               published_at = CASE WHEN $3 = FALSE THEN NULL ELSE published_at END, \
               updated_at = $5 WHERE id = $1";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(id)
        .bind(alt_text)
        .bind(consent_confirmed)
        .bind(position)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete(db: &Db, id: Uuid) -> Result<bool, sqlx::Error> {
    let sql = "DELETE FROM media WHERE id = $1";
    let removed = on_db!(db, |pool| sqlx::query(sql)
        .bind(id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(removed > 0)
}

/// Makes a campaign's processed, consented media public as they are now
/// (description and order included), in the approval's transaction.
pub async fn publish_for_campaign(
    tx: &mut Tx,
    campaign_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE media SET published_at = COALESCE(published_at, $2), \
               published_alt_text = alt_text, published_position = position \
               WHERE campaign_id = $1 AND status = 'ready' AND consent_confirmed \
               AND reach_report_id IS NULL";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(campaign_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Ids of every media row (for sweeping objects whose row is gone).
pub async fn all_ids(db: &Db) -> Result<Vec<Uuid>, sqlx::Error> {
    on_db!(db, |pool| sqlx::query_scalar("SELECT id FROM media")
        .fetch_all(pool)
        .await)
}
