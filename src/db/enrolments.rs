//! Who is enrolled in which programme.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, Db, Tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EnrolmentRow {
    pub programme_id: Uuid,
    pub programme_name: String,
    pub city_slug: String,
    pub enrolled_at: DateTime<Utc>,
}

/// Enrols a person; `false` when they already were.
pub async fn enrol(
    tx: &mut Tx,
    programme_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let sql = "INSERT INTO enrolments (programme_id, user_id, enrolled_at) VALUES ($1, $2, $3) \
               ON CONFLICT DO NOTHING";
    let inserted = on_tx!(tx, |conn| sqlx::query(sql)
        .bind(programme_id)
        .bind(user_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(inserted > 0)
}

pub async fn for_user(db: &Db, user_id: Uuid) -> Result<Vec<EnrolmentRow>, sqlx::Error> {
    let sql =
        "SELECT e.programme_id, p.name AS programme_name, c.slug AS city_slug, e.enrolled_at \
               FROM enrolments e JOIN programmes p ON p.id = e.programme_id \
               JOIN cities c ON c.id = p.city_id WHERE e.user_id = $1 ORDER BY e.enrolled_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}
