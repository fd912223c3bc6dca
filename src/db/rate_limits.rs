//! Fixed-window counters in the database, so limits hold across instances.

use chrono::{DateTime, Utc};

use super::{on_db, Db};

/// Counts one hit for `subject_hash` in `bucket`'s window and returns the hits so far.
pub async fn hit(
    db: &Db,
    bucket: &str,
    subject_hash: &[u8],
    window_start: DateTime<Utc>,
) -> Result<i32, sqlx::Error> {
    let sql = "INSERT INTO rate_limit_windows (bucket, subject_hash, window_start, hits) \
               VALUES ($1, $2, $3, 1) \
               ON CONFLICT (bucket, subject_hash, window_start) \
               DO UPDATE SET hits = rate_limit_windows.hits + 1 \
               RETURNING hits";
    on_db!(db, |pool| sqlx::query_scalar(sql)
        .bind(bucket)
        .bind(subject_hash)
        .bind(window_start)
        .fetch_one(pool)
        .await)
}
