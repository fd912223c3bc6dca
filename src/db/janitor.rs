//! Removal of what has outlived its use: expired links, sessions and counters.

use chrono::{DateTime, Utc};

use super::{on_db, Db};

/// Deletes rows that expired before `cutoff`; returns how many went.
pub async fn sweep(db: &Db, cutoff: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let statements = [
        "DELETE FROM sign_in_links WHERE expires_at < $1",
        "DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1",
        "DELETE FROM rate_limit_windows WHERE window_start < $1",
        "DELETE FROM oauth_flows WHERE expires_at < $1",
    ];
    let mut removed = 0;
    for sql in statements {
        let result = on_db!(db, |pool| sqlx::query(sql)
            .bind(cutoff)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        removed += result;
    }
    Ok(removed)
}
