//! In-app notifications and the choice of which kinds are also mailed.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, Db, Tx};
use crate::domain::{Locale, NotificationKind};

/// Someone to tell, with what is needed to mail them too.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Addressee {
    pub user_id: Uuid,
    /// `None` for a person who signs in only through a provider without one.
    pub email: Option<String>,
    pub locale: Locale,
    /// Whether they want this kind by email as well.
    pub wants_email: bool,
}

/// What a notification says, before it is worded.
pub struct NewNotification<'a> {
    pub kind: NotificationKind,
    pub title: &'a str,
    pub outcome: Option<&'a str>,
    pub note: Option<&'a str>,
    pub figure: Option<i32>,
    pub link: &'a str,
}

impl<'a> NewNotification<'a> {
    /// A notification that says only what it is about and where it leads.
    #[must_use]
    pub fn about(kind: NotificationKind, title: &'a str, link: &'a str) -> Self {
        Self {
            kind,
            title,
            outcome: None,
            note: None,
            figure: None,
            link,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: Uuid,
    pub kind: NotificationKind,
    pub title: String,
    pub outcome: Option<String>,
    pub note: Option<String>,
    pub figure: Option<i32>,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

const WANTS: &str = "COALESCE((SELECT p.email FROM mail_preferences p \
     WHERE p.user_id = u.id AND p.kind = $2), TRUE) AS wants_email";

/// The members of a campaign's team.
pub async fn campaign_team(
    tx: &mut Tx,
    campaign_id: Uuid,
    kind: NotificationKind,
) -> Result<Vec<Addressee>, sqlx::Error> {
    let sql = format!(
        "SELECT u.id AS user_id, u.email, u.locale, {WANTS} FROM campaigns c \
         JOIN team_members m ON m.team_id = c.team_id JOIN users u ON u.id = m.user_id \
         WHERE c.id = $1 AND u.deleted_at IS NULL ORDER BY u.id"
    );
    on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(campaign_id)
        .bind(kind)
        .fetch_all(conn)
        .await)
}

/// The members of a team other than `except`.
pub async fn team_members(
    tx: &mut Tx,
    team_id: Uuid,
    except: Uuid,
    kind: NotificationKind,
) -> Result<Vec<Addressee>, sqlx::Error> {
    let sql = format!(
        "SELECT u.id AS user_id, u.email, u.locale, {WANTS} FROM team_members m \
         JOIN users u ON u.id = m.user_id \
         WHERE m.team_id = $1 AND u.id <> $3 AND u.deleted_at IS NULL ORDER BY u.id"
    );
    on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(team_id)
        .bind(kind)
        .bind(except)
        .fetch_all(conn)
        .await)
}

/// The person with this address, if they have an account.
pub async fn by_email(
    tx: &mut Tx,
    email: &str,
    kind: NotificationKind,
) -> Result<Option<Addressee>, sqlx::Error> {
    let sql = format!(
        "SELECT u.id AS user_id, u.email, u.locale, {WANTS} FROM users u \
         WHERE u.email = $1 AND u.deleted_at IS NULL"
    );
    on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(email)
        .bind(kind)
        .fetch_optional(conn)
        .await)
}

/// A programme's facilitators, or its city's admins when it has none.
pub async fn moderators(
    tx: &mut Tx,
    programme_id: Uuid,
    kind: NotificationKind,
) -> Result<Vec<Addressee>, sqlx::Error> {
    let sql = format!(
        "SELECT u.id AS user_id, u.email, u.locale, {WANTS} FROM role_grants g \
         JOIN users u ON u.id = g.user_id WHERE u.deleted_at IS NULL AND ( \
         (g.role = 'facilitator' AND g.programme_id = $1) OR (g.role = 'city_admin' \
         AND g.city_id = (SELECT city_id FROM programmes WHERE id = $1) AND NOT EXISTS \
         (SELECT 1 FROM role_grants f WHERE f.role = 'facilitator' AND f.programme_id = $1))) \
         ORDER BY u.id"
    );
    on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(programme_id)
        .bind(kind)
        .fetch_all(conn)
        .await)
}

/// Whether the person got a notification of this kind with this link since `since`.
pub async fn told_since(
    tx: &mut Tx,
    user_id: Uuid,
    kind: NotificationKind,
    link: &str,
    since: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let sql = "SELECT EXISTS (SELECT 1 FROM notifications WHERE user_id = $1 AND kind = $2 \
               AND link = $3 AND created_at >= $4)";
    on_tx!(tx, |conn| sqlx::query_scalar(sql)
        .bind(user_id)
        .bind(kind)
        .bind(link)
        .bind(since)
        .fetch_one(conn)
        .await)
}

pub async fn insert(
    tx: &mut Tx,
    user_id: Uuid,
    new: &NewNotification<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO notifications (id, user_id, kind, title, outcome, note, figure, link, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(new.kind)
        .bind(new.title)
        .bind(new.outcome)
        .bind(new.note)
        .bind(new.figure)
        .bind(new.link)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const COLUMNS: &str = "id, kind, title, outcome, note, figure, link, created_at, read_at";

/// A person's notifications, newest first, after the cursor.
pub async fn page(
    db: &Db,
    user_id: Uuid,
    after: Option<(DateTime<Utc>, Uuid)>,
    rows: i64,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    let (at, id) = after.unzip();
    let sql = format!(
        "SELECT {COLUMNS} FROM notifications WHERE user_id = $1 \
         AND ($2 IS NULL OR created_at < $2 OR (created_at = $2 AND id < $3)) \
         ORDER BY created_at DESC, id DESC LIMIT $4"
    );
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(user_id)
        .bind(at)
        .bind(id)
        .bind(rows)
        .fetch_all(pool)
        .await)
}

pub async fn unread(db: &Db, user_id: Uuid) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL";
    on_db!(db, |pool| sqlx::query_scalar(sql)
        .bind(user_id)
        .fetch_one(pool)
        .await)
}

/// Marks one as read; `false` when it is not the person's.
pub async fn mark_read(
    db: &Db,
    user_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let sql =
        "UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2";
    let done = on_db!(db, |pool| sqlx::query(sql)
        .bind(id)
        .bind(user_id)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

pub async fn mark_all_read(db: &Db, user_id: Uuid, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let sql = "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(user_id)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The kinds the person chose about; the others are mailed.
pub async fn preferences(
    db: &Db,
    user_id: Uuid,
) -> Result<Vec<(NotificationKind, bool)>, sqlx::Error> {
    let sql = "SELECT kind, email FROM mail_preferences WHERE user_id = $1";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

pub async fn set_preference(
    tx: &mut Tx,
    user_id: Uuid,
    kind: NotificationKind,
    email: bool,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO mail_preferences (user_id, kind, email) VALUES ($1, $2, $3) \
               ON CONFLICT (user_id, kind) DO UPDATE SET email = excluded.email";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(user_id)
        .bind(kind)
        .bind(email)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
