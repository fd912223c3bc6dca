//! A programme at a glance for its staff: how many people, teams and
//! campaigns it has, what waits for them, and what happened since a moment.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{on_db, Db};

#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct OverviewCounts {
    pub enrolled: i64,
    pub trained: i64,
    pub teams: i64,
    pub reach_pending: i64,
    pub reports_open: i64,
    pub joined_since: i64,
    pub trained_since: i64,
    pub teams_since: i64,
    pub campaigns_since: i64,
    pub submitted_since: i64,
    pub reach_since: i64,
    pub reports_since: i64,
}

/// The counts of a programme, with what happened after `since` (training
/// is recorded by day, so it counts from `since_day`).
pub async fn counts(
    db: &Db,
    programme_id: Uuid,
    since: DateTime<Utc>,
    since_day: NaiveDate,
) -> Result<OverviewCounts, sqlx::Error> {
    let sql = "SELECT \
        (SELECT COUNT(*) FROM enrolments e JOIN users u ON u.id = e.user_id \
           WHERE e.programme_id = $1 AND u.deleted_at IS NULL) AS enrolled, \
        (SELECT COUNT(*) FROM enrolments e JOIN users u ON u.id = e.user_id \
           WHERE e.programme_id = $1 AND u.deleted_at IS NULL AND e.trained_on IS NOT NULL) AS trained, \
        (SELECT COUNT(*) FROM teams WHERE programme_id = $1) AS teams, \
        (SELECT COUNT(*) FROM reach_reports WHERE programme_id = $1 AND status = 'pending') AS reach_pending, \
        (SELECT COUNT(*) FROM campaign_reports WHERE programme_id = $1 AND status = 'open') AS reports_open, \
        (SELECT COUNT(*) FROM enrolments WHERE programme_id = $1 AND enrolled_at > $2) AS joined_since, \
        (SELECT COUNT(*) FROM enrolments WHERE programme_id = $1 AND trained_on >= $3) AS trained_since, \
        (SELECT COUNT(*) FROM teams WHERE programme_id = $1 AND created_at > $2) AS teams_since, \
        (SELECT COUNT(*) FROM campaigns WHERE programme_id = $1 AND created_at > $2) AS campaigns_since, \
        (SELECT COUNT(*) FROM campaign_events ev JOIN campaigns c ON c.id = ev.campaign_id \
           WHERE c.programme_id = $1 AND ev.action = 'submitted' AND ev.created_at > $2) AS submitted_since, \
        (SELECT COUNT(*) FROM reach_reports WHERE programme_id = $1 AND created_at > $2) AS reach_since, \
        (SELECT COUNT(*) FROM campaign_reports WHERE programme_id = $1 AND created_at > $2) AS reports_since";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(programme_id)
        .bind(since)
        .bind(since_day)
        .fetch_one(pool)
        .await)
}

/// How many of the programme's campaigns are in each status.
pub async fn campaigns_by_status(
    db: &Db,
    programme_id: Uuid,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let sql = "SELECT status, COUNT(*) FROM campaigns WHERE programme_id = $1 GROUP BY status";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(programme_id)
        .fetch_all(pool)
        .await)
}
