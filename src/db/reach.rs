//! Reach reports: what a team says its campaign achieved, and what a
//! facilitator verified.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, Db, Tx};
use crate::domain::{ReachChannel, ReachStatus};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReachRow {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub programme_id: Uuid,
    pub team_id: Uuid,
    pub author_id: Option<Uuid>,
    pub request_hash: Option<Vec<u8>>,
    pub channel: ReachChannel,
    pub people_reached: i32,
    pub people_verified: Option<i32>,
    pub occurred_on: NaiveDate,
    pub description: String,
    pub evidence_url: Option<String>,
    pub flags: String,
    pub status: ReachStatus,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str =
    "r.id, r.campaign_id, r.programme_id, r.team_id, r.author_id, r.request_hash, \
    r.channel, r.people_reached, r.people_verified, r.occurred_on, r.description, r.evidence_url, \
    r.flags, r.status, r.note, r.created_at, r.updated_at, r.decided_at";

/// A new report's fields.
pub struct NewReach<'a> {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub programme_id: Uuid,
    pub team_id: Uuid,
    pub author_id: Uuid,
    pub idempotency_key: Option<&'a str>,
    pub request_hash: &'a [u8],
    pub channel: ReachChannel,
    pub people_reached: i32,
    pub occurred_on: NaiveDate,
    pub description: &'a str,
    pub evidence_url: Option<&'a str>,
    pub flags: &'a str,
}

/// Inserts a report; `false` when the author already used the idempotency key.
pub async fn insert(
    tx: &mut Tx,
    r: &NewReach<'_>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let sql = "INSERT INTO reach_reports (id, campaign_id, programme_id, team_id, author_id, \
               idempotency_key, request_hash, channel, people_reached, occurred_on, description, \
               evidence_url, flags, status, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'pending', $14, $14) \
               ON CONFLICT (author_id, idempotency_key) DO NOTHING";
    let inserted = on_tx!(tx, |conn| sqlx::query(sql)
        .bind(r.id)
        .bind(r.campaign_id)
        .bind(r.programme_id)
        .bind(r.team_id)
        .bind(r.author_id)
        .bind(r.idempotency_key)
        .bind(r.request_hash)
        .bind(r.channel)
        .bind(r.people_reached)
        .bind(r.occurred_on)
        .bind(r.description)
        .bind(r.evidence_url)
        .bind(r.flags)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(inserted > 0)
}

pub async fn by_key(
    tx: &mut Tx,
    author_id: Uuid,
    key: &str,
) -> Result<Option<ReachRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM reach_reports r WHERE r.author_id = $1 AND r.idempotency_key = $2"
    );
    on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(author_id)
        .bind(key)
        .fetch_optional(conn)
        .await)
}

pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<ReachRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM reach_reports r WHERE r.id = $1");
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)
}

/// The report, locked for a change in the caller's transaction.
pub async fn lock(tx: &mut Tx, id: Uuid) -> Result<Option<ReachRow>, sqlx::Error> {
    let lock = if matches!(tx, Tx::Postgres(_)) {
        " FOR UPDATE"
    } else {
        ""
    };
    let sql = format!("SELECT {COLUMNS} FROM reach_reports r WHERE r.id = $1{lock}");
    on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await)
}

/// A campaign's reports, newest first, before the cursor.
pub async fn for_campaign(
    db: &Db,
    campaign_id: Uuid,
    before: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<ReachRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM reach_reports r WHERE r.campaign_id = $1 \
         AND ($2 IS NULL OR r.created_at < $2 OR (r.created_at = $2 AND r.id < $3)) \
         ORDER BY r.created_at DESC, r.id DESC LIMIT $4"
    );
    let (at, id) = before.unzip();
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(campaign_id)
        .bind(at)
        .bind(id)
        .bind(limit)
        .fetch_all(pool)
        .await)
}

/// The team's change to a pending report.
pub struct ReachChange<'a> {
    pub channel: ReachChannel,
    pub people_reached: i32,
    pub occurred_on: NaiveDate,
    pub description: &'a str,
    pub evidence_url: Option<&'a str>,
    pub flags: &'a str,
}

pub async fn update(
    tx: &mut Tx,
    id: Uuid,
    c: &ReachChange<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE reach_reports SET channel = $2, people_reached = $3, occurred_on = $4, \
               description = $5, evidence_url = $6, flags = $7, updated_at = $8 \
               WHERE id = $1 AND status = 'pending'";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(id)
        .bind(c.channel)
        .bind(c.people_reached)
        .bind(c.occurred_on)
        .bind(c.description)
        .bind(c.evidence_url)
        .bind(c.flags)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, id: Uuid) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "DELETE FROM reach_reports WHERE id = $1"
    )
    .bind(id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A facilitator's decision; `false` when the report was no longer pending.
pub async fn decide(
    tx: &mut Tx,
    id: Uuid,
    status: ReachStatus,
    people_verified: Option<i32>,
    note: Option<&str>,
    decided_by: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE reach_reports SET status = $2, people_verified = $3, note = $4, \
               decided_by = $5, decided_at = $6, updated_at = $6 WHERE id = $1 AND status = 'pending'";
    let updated = on_tx!(tx, |conn| sqlx::query(sql)
        .bind(id)
        .bind(status)
        .bind(people_verified)
        .bind(note)
        .bind(decided_by)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(updated > 0)
}

/// A report in the verification queue, with where it belongs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueueRow {
    #[sqlx(flatten)]
    pub report: ReachRow,
    pub campaign_slug: String,
    pub campaign_title: String,
    pub team_name: String,
    pub programme_name: String,
}

/// Reports with `status` in the programmes the person moderates, oldest
/// first, after the cursor.
pub async fn queue(
    db: &Db,
    user_id: Uuid,
    programme_id: Option<Uuid>,
    status: ReachStatus,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<QueueRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS}, c.slug AS campaign_slug, d.title AS campaign_title, t.name AS team_name, \
         p.name AS programme_name FROM reach_reports r \
         JOIN campaigns c ON c.id = r.campaign_id \
         JOIN campaign_contents d ON d.campaign_id = c.id AND d.kind = 'published' \
         JOIN teams t ON t.id = r.team_id JOIN programmes p ON p.id = r.programme_id \
         WHERE {FACILITATED} AND ($2 IS NULL OR r.programme_id = $2) AND r.status = $3 \
         AND ($4 IS NULL OR r.created_at > $4 OR (r.created_at = $4 AND r.id > $5)) \
         ORDER BY r.created_at, r.id LIMIT $6",
        FACILITATED = super::moderation::FACILITATED
    );
    let (at, id) = after.unzip();
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(user_id)
        .bind(programme_id)
        .bind(status)
        .bind(at)
        .bind(id)
        .bind(limit)
        .fetch_all(pool)
        .await)
}

/// A programme's reports for its export, oldest first.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportRow {
    #[sqlx(flatten)]
    pub report: ReachRow,
    pub campaign_title: String,
    pub team_name: String,
}

pub async fn for_programme(db: &Db, programme_id: Uuid) -> Result<Vec<ExportRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS}, d.title AS campaign_title, t.name AS team_name FROM reach_reports r \
         JOIN campaign_contents d ON d.campaign_id = r.campaign_id AND d.kind = 'published' \
         JOIN teams t ON t.id = r.team_id WHERE r.programme_id = $1 ORDER BY r.created_at, r.id"
    );
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(programme_id)
        .fetch_all(pool)
        .await)
}

/// Every report's figures, for the recount: (programme, day, status, reached, verified).
pub async fn all_contributions(
    db: &Db,
) -> Result<Vec<(Uuid, NaiveDate, ReachStatus, i32, Option<i32>)>, sqlx::Error> {
    let sql = "SELECT programme_id, occurred_on, status, people_reached, people_verified \
               FROM reach_reports";
    on_db!(db, |pool| sqlx::query_as(sql).fetch_all(pool).await)
}
