//! The durable job queue. Jobs survive restarts; a worker claims one by
//! leasing it, and a lease that runs out (the worker died) frees the job for
//! another. On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets many workers on many
//! instances claim without waiting on each other; SQLite has one writer.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, Db, Tx};
use crate::domain::JobKind;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: Uuid,
    pub kind: JobKind,
    pub subject_id: Uuid,
    pub attempts: i32,
    pub max_attempts: i32,
}

pub async fn enqueue(
    tx: &mut Tx,
    kind: JobKind,
    subject_id: Uuid,
    max_attempts: i32,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO jobs (id, kind, subject_id, status, attempts, max_attempts, run_at, created_at, updated_at) \
               VALUES ($1, $2, $3, 'queued', 0, $4, $5, $5, $5)";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(Uuid::now_v7())
        .bind(kind)
        .bind(subject_id)
        .bind(max_attempts)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Claims the next due job for `lease`, if any.
pub async fn claim(
    db: &Db,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Option<JobRow>, sqlx::Error> {
    let pick = "SELECT id FROM jobs WHERE (status = 'queued' AND run_at <= $1) \
                OR (status = 'running' AND locked_until < $1) ORDER BY run_at LIMIT 1";
    let sql = match db {
        Db::Postgres(_) => format!(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = $2, \
             updated_at = $1 WHERE id = ({pick} FOR UPDATE SKIP LOCKED) \
             RETURNING id, kind, subject_id, attempts, max_attempts"
        ),
        Db::Sqlite(_) => format!(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = $2, \
             updated_at = $1 WHERE id = ({pick}) \
             RETURNING id, kind, subject_id, attempts, max_attempts"
        ),
    };
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(now)
        .bind(now + lease)
        .fetch_optional(pool)
        .await)
}

/// Gives every running job back to the queue (after a restart, for a
/// database only this process uses); returns how many.
pub async fn release_running(db: &Db) -> Result<u64, sqlx::Error> {
    let sql = "UPDATE jobs SET status = 'queued', locked_until = NULL WHERE status = 'running'";
    on_db!(db, |pool| sqlx::query(sql)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
}

pub async fn complete(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let sql = "UPDATE jobs SET status = 'done', locked_until = NULL, updated_at = $2 WHERE id = $1";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(id)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Finished jobs (done or failed for good) are kept a while to explain what
/// happened to an upload, then removed; returns how many went.
pub async fn sweep_finished(db: &Db, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let sql = "DELETE FROM jobs WHERE status IN ('done', 'failed') AND updated_at < $1";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(before)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
}

/// The wait before attempt `attempts + 1`: 10 s, 20 s, 40 s, ... up to 30 minutes.
#[must_use]
pub fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 12) - 1).unwrap_or(0);
    Duration::seconds(10 * 2_i64.pow(exponent)).min(Duration::minutes(30))
}

/// Schedules another attempt after a backoff, or gives up after the last one.
/// Returns whether the job gave up.
pub async fn retry_or_fail(
    db: &Db,
    job: &JobRow,
    error: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let give_up = job.attempts >= job.max_attempts;
    let sql = "UPDATE jobs SET status = $2, run_at = $3, locked_until = NULL, last_error = $4, updated_at = $5 \
               WHERE id = $1";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(job.id)
        .bind(if give_up { "failed" } else { "queued" })
        .bind(now + backoff(job.attempts))
        .bind(error)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(give_up)
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use chrono::Duration;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1), Duration::seconds(10));
        assert_eq!(backoff(2), Duration::seconds(20));
        assert_eq!(backoff(4), Duration::seconds(80));
        assert_eq!(backoff(40), Duration::minutes(30));
    }
}
