//! The training ledger: who in a programme has completed changemaker training.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, Db, Tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParticipantRow {
    pub user_id: Uuid,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub enrolled_at: DateTime<Utc>,
    pub trained_on: Option<NaiveDate>,
    pub team_id: Option<Uuid>,
    pub team_name: Option<String>,
}

pub async fn participants(db: &Db, programme_id: Uuid) -> Result<Vec<ParticipantRow>, sqlx::Error> {
    let sql = "SELECT e.user_id, u.display_name, u.email, e.enrolled_at, e.trained_on, \
               m.team_id, t.name AS team_name FROM enrolments e \
               JOIN users u ON u.id = e.user_id \
               LEFT JOIN team_members m ON m.programme_id = e.programme_id AND m.user_id = e.user_id \
               LEFT JOIN teams t ON t.id = m.team_id \
               WHERE e.programme_id = $1 AND u.deleted_at IS NULL \
               ORDER BY COALESCE(t.name, ''), COALESCE(u.display_name, ''), e.enrolled_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(programme_id)
        .fetch_all(pool)
        .await)
}

/// Marks (or with `None` unmarks) a participant trained; `false` when not enrolled.
pub async fn set_trained(
    tx: &mut Tx,
    programme_id: Uuid,
    user_id: Uuid,
    trained_on: Option<NaiveDate>,
    marked_by: Uuid,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE enrolments SET trained_on = $3, trained_marked_by = $4 \
               WHERE programme_id = $1 AND user_id = $2";
    let updated = on_tx!(tx, |conn| sqlx::query(sql)
        .bind(programme_id)
        .bind(user_id)
        .bind(trained_on)
        .bind(marked_by)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(updated > 0)
}

/// Distinct trained changemakers: a person counts once however many
/// programmes trained them. Optionally within one city.
pub async fn count_trained(db: &Db, city_id: Option<Uuid>) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(DISTINCT e.user_id) FROM enrolments e \
               JOIN programmes p ON p.id = e.programme_id \
               WHERE e.trained_on IS NOT NULL AND ($1 IS NULL OR p.city_id = $1)";
    on_db!(db, |pool| sqlx::query_scalar(sql)
        .bind(city_id)
        .fetch_one(pool)
        .await)
}
