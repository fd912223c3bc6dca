//! Campaigns: the record with its status and version, the working draft and
//! the published content, and the history of what happened.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, unless_duplicate, Db, Tx};
use crate::domain::{CampaignEvent, CampaignStatus, ContentKind, Theme};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: Uuid,
    pub team_id: Uuid,
    pub team_name: String,
    pub programme_id: Uuid,
    pub city_id: Uuid,
    pub slug: String,
    pub status: CampaignStatus,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    /// Set while a facilitator has taken the campaign down after a report.
    pub hidden_at: Option<DateTime<Utc>>,
    /// When it was first submitted: reach cannot have happened before.
    pub first_submitted_at: Option<DateTime<Utc>>,
    pub country: crate::domain::Country,
}

impl CampaignRow {
    /// Whether the public sees its published version (see `reports::PUBLIC`).
    #[must_use]
    pub fn is_public(&self) -> bool {
        self.published_at.is_some()
            && self.hidden_at.is_none()
            && self.status != CampaignStatus::Archived
    }
}

/// The content of a campaign: its working draft or its published version.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Content {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub theme: Theme,
    pub hashtag: Option<String>,
    pub audience: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub location: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub action: CampaignEvent,
    pub from_status: Option<CampaignStatus>,
    pub to_status: CampaignStatus,
    pub note: Option<String>,
    pub actor_name: Option<String>,
    pub actor_deleted: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SummaryRow {
    pub id: Uuid,
    pub slug: String,
    pub status: CampaignStatus,
    pub version: i32,
    pub title: String,
    pub theme: Theme,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    /// The newest feedback a facilitator left, if any.
    pub feedback: Option<String>,
}

/// Actions whose note is feedback for the team.
const FEEDBACK_ACTIONS: &str =
    "('changes_requested', 'rejected', 'approved', 'archived', 'unpublished')";

const SELECT: &str = "SELECT c.id, c.team_id, t.name AS team_name, c.programme_id, p.city_id, \
    c.slug, c.status, c.version, c.created_at, c.updated_at, c.submitted_at, c.published_at, \
    c.hidden_at, c.first_submitted_at, ci.country FROM campaigns c JOIN teams t ON t.id = c.team_id \
    JOIN programmes p ON p.id = c.programme_id JOIN cities ci ON ci.id = p.city_id";

const CONTENT_COLUMNS: &str =
    "title, summary, body, theme, hashtag, audience, starts_on, ends_on, location";

pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<CampaignRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE c.id = $1");
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)
}

pub async fn content(db: &Db, id: Uuid, kind: ContentKind) -> Result<Option<Content>, sqlx::Error> {
    let sql = format!(
        "SELECT {CONTENT_COLUMNS} FROM campaign_contents WHERE campaign_id = $1 AND kind = $2"
    );
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .bind(kind)
        .fetch_optional(pool)
        .await)
}

/// Where a new campaign belongs.
pub struct NewRecord<'a> {
    pub id: Uuid,
    pub team_id: Uuid,
    pub programme_id: Uuid,
    pub slug: &'a str,
    pub author: Uuid,
}

/// Creates a campaign in `draft`; `false` when the slug was taken.
pub async fn insert(
    tx: &mut Tx,
    record: &NewRecord<'_>,
    content: &Content,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let NewRecord {
        id,
        team_id,
        programme_id,
        slug,
        author,
    } = *record;
    let sql =
        "INSERT INTO campaigns (id, team_id, programme_id, slug, status, version, created_by, \
               created_at, updated_at) VALUES ($1, $2, $3, $4, 'draft', 1, $5, $6, $6)";
    let result = on_tx!(tx, |conn| sqlx::query(sql)
        .bind(id)
        .bind(team_id)
        .bind(programme_id)
        .bind(slug)
        .bind(author)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()));
    if !unless_duplicate(result)? {
        return Ok(false);
    }
    write_content(tx, id, ContentKind::Draft, content, author, now).await?;
    Ok(true)
}

async fn write_content(
    tx: &mut Tx,
    id: Uuid,
    kind: ContentKind,
    content: &Content,
    author: Uuid,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO campaign_contents (campaign_id, kind, {CONTENT_COLUMNS}, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (campaign_id, kind) DO UPDATE SET title = excluded.title, \
         summary = excluded.summary, body = excluded.body, theme = excluded.theme, \
         hashtag = excluded.hashtag, audience = excluded.audience, starts_on = excluded.starts_on, \
         ends_on = excluded.ends_on, location = excluded.location, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at"
    );
    on_tx!(tx, |conn| sqlx::query(&sql)
        .bind(id)
        .bind(kind)
        .bind(&content.title)
        .bind(&content.summary)
        .bind(&content.body)
        .bind(content.theme)
        .bind(&content.hashtag)
        .bind(&content.audience)
        .bind(content.starts_on)
        .bind(content.ends_on)
        .bind(&content.location)
        .bind(author)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Bumps the version if it is still `expected`; the new version, or `None`
/// when someone else changed the campaign first. Only in an editable status.
pub async fn bump_version(
    tx: &mut Tx,
    id: Uuid,
    expected: i32,
    editable: &[CampaignStatus],
    now: DateTime<Utc>,
) -> Result<Option<i32>, sqlx::Error> {
    let placeholders: Vec<String> = (0..editable.len()).map(|i| format!("${}", i + 4)).collect();
    let sql = format!(
        "UPDATE campaigns SET version = version + 1, updated_at = $3 \
         WHERE id = $1 AND version = $2 AND status IN ({}) RETURNING version",
        placeholders.join(", ")
    );
    on_tx!(tx, |conn| {
        let mut query = sqlx::query_scalar(&sql).bind(id).bind(expected).bind(now);
        for status in editable {
            query = query.bind(*status);
        }
        query.fetch_optional(conn).await
    })
}

pub async fn save_draft(
    tx: &mut Tx,
    id: Uuid,
    content: &Content,
    author: Uuid,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    write_content(tx, id, ContentKind::Draft, content, author, now).await
}

/// Moves the status from `from` to `to` if the version is still `expected`
/// (when given); returns the new version.
pub async fn set_status(
    tx: &mut Tx,
    id: Uuid,
    expected: Option<i32>,
    from: CampaignStatus,
    to: CampaignStatus,
    now: DateTime<Utc>,
) -> Result<Option<i32>, sqlx::Error> {
    let sql = "UPDATE campaigns SET status = $4, version = version + 1, updated_at = $5, \
               submitted_at = CASE WHEN $4 = 'submitted' THEN $5 ELSE submitted_at END, \
               first_submitted_at = CASE WHEN $4 = 'submitted' THEN COALESCE(first_submitted_at, $5) \
               ELSE first_submitted_at END \
               WHERE id = $1 AND status = $3 AND ($2 IS NULL OR version = $2) RETURNING version";
    on_tx!(tx, |conn| sqlx::query_scalar(sql)
        .bind(id)
        .bind(expected)
        .bind(from)
        .bind(to)
        .bind(now)
        .fetch_optional(conn)
        .await)
}

/// How many of the team's campaigns are in one of `statuses`, inside the
/// creating transaction (after the team's row is locked).
pub async fn count_for_team(
    tx: &mut Tx,
    team_id: Uuid,
    statuses: &[CampaignStatus],
) -> Result<i64, sqlx::Error> {
    let marks: Vec<String> = (2..statuses.len() + 2).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT COUNT(*) FROM campaigns WHERE team_id = $1 AND status IN ({})",
        marks.join(", ")
    );
    on_tx!(tx, |conn| {
        let mut query = sqlx::query_scalar(&sql).bind(team_id);
        for status in statuses {
            query = query.bind(*status);
        }
        query.fetch_one(conn).await
    })
}

/// Takes the team's row lock (PostgreSQL) or the write lock (SQLite) for the
/// rest of the transaction, so a count read after it holds until commit.
pub async fn lock_team(tx: &mut Tx, team_id: Uuid) -> Result<(), sqlx::Error> {
    let sql = "UPDATE teams SET updated_at = updated_at WHERE id = $1";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(team_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Copies the working draft over the published version and stamps the
/// publication, in the caller's transaction: the public sees all or nothing.
pub async fn publish_draft(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let copy = format!(
        "INSERT INTO campaign_contents (campaign_id, kind, {CONTENT_COLUMNS}, updated_by, updated_at) \
         SELECT campaign_id, 'published', {CONTENT_COLUMNS}, updated_by, $2 FROM campaign_contents \
         WHERE campaign_id = $1 AND kind = 'draft' \
         ON CONFLICT (campaign_id, kind) DO UPDATE SET title = excluded.title, \
         summary = excluded.summary, body = excluded.body, theme = excluded.theme, \
         hashtag = excluded.hashtag, audience = excluded.audience, starts_on = excluded.starts_on, \
         ends_on = excluded.ends_on, location = excluded.location, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at"
    );
    let stamp = "UPDATE campaigns SET published_at = $2, hidden_at = NULL, \
                 first_published_at = COALESCE(first_published_at, $2) WHERE id = $1";
    super::media::publish_for_campaign(tx, id, now).await?;
    on_tx!(tx, |conn| sqlx::query(&copy)
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected()))?;
    on_tx!(tx, |conn| sqlx::query(stamp)
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// One step in a campaign's history.
pub struct Event<'a> {
    pub actor: Option<Uuid>,
    pub action: CampaignEvent,
    pub from: Option<CampaignStatus>,
    pub to: CampaignStatus,
    pub note: Option<&'a str>,
}

pub async fn add_event(
    tx: &mut Tx,
    id: Uuid,
    event: &Event<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let Event {
        actor,
        action,
        from,
        to,
        note,
    } = *event;
    let sql =
        "INSERT INTO campaign_events (id, campaign_id, actor_id, action, from_status, to_status, \
               note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(Uuid::now_v7())
        .bind(id)
        .bind(actor)
        .bind(action)
        .bind(from)
        .bind(to)
        .bind(note)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn events(db: &Db, id: Uuid) -> Result<Vec<EventRow>, sqlx::Error> {
    let sql = "SELECT e.action, e.from_status, e.to_status, e.note, u.display_name AS actor_name, \
               (e.actor_id IS NULL OR u.deleted_at IS NOT NULL) AS actor_deleted, e.created_at \
               FROM campaign_events e LEFT JOIN users u ON u.id = e.actor_id \
               WHERE e.campaign_id = $1 ORDER BY e.created_at, e.id";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(id)
        .fetch_all(pool)
        .await)
}

/// The newest note a facilitator left (feedback), if any.
pub async fn latest_feedback(db: &Db, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    let sql = format!(
        "SELECT note FROM campaign_events WHERE campaign_id = $1 \
         AND action IN {FEEDBACK_ACTIONS} AND note IS NOT NULL \
         ORDER BY created_at DESC, id DESC LIMIT 1"
    );
    on_db!(db, |pool| sqlx::query_scalar(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)
}

pub async fn for_team(db: &Db, team_id: Uuid) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let sql = format!(
        "SELECT c.id, c.slug, c.status, c.version, d.title, d.theme, c.updated_at, c.published_at, \
         (SELECT e.note FROM campaign_events e WHERE e.campaign_id = c.id \
          AND e.action IN {FEEDBACK_ACTIONS} AND e.note IS NOT NULL \
          ORDER BY e.created_at DESC, e.id DESC LIMIT 1) AS feedback \
         FROM campaigns c JOIN campaign_contents d ON d.campaign_id = c.id AND d.kind = 'draft' \
         WHERE c.team_id = $1 ORDER BY c.updated_at DESC"
    );
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(team_id)
        .fetch_all(pool)
        .await)
}
