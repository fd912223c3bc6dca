//! Fixed-window rate limits kept in the database, so they hold across instances.

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::{db, error::AppResult, state::AppState};

/// The outcome of counting one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Limited { retry_after_seconds: u64 },
}

fn window_start(now: DateTime<Utc>, window: Duration) -> DateTime<Utc> {
    let size = window.num_seconds().max(1);
    let start = now.timestamp().div_euclid(size) * size;
    Utc.timestamp_opt(start, 0).single().unwrap_or(now)
}

/// Counts one attempt by `subject` in `bucket`; subjects are stored as keyed
/// hashes (see `subject_key`).
///
/// # Errors
/// When the database fails.
pub async fn hit(
    state: &AppState,
    bucket: &str,
    subject: &str,
    limit: u32,
    window: Duration,
) -> AppResult<Verdict> {
    let now = state.clock.now();
    let start = window_start(now, window);
    let subject_hash = state.subject_key.hash(bucket, subject);
    let hits = db::rate_limits::hit(&state.db, bucket, &subject_hash, start).await?;
    if u32::try_from(hits).unwrap_or(u32::MAX) > limit {
        let retry = (start + window - now).num_seconds().max(1);
        Ok(Verdict::Limited {
            retry_after_seconds: u64::try_from(retry).unwrap_or(1),
        })
    } else {
        Ok(Verdict::Allowed)
    }
}

#[cfg(test)]
mod tests {
    use super::window_start;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn windows_are_aligned() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 14, 37, 12).unwrap();
        let start = window_start(now, Duration::hours(1));
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 11, 21, 14, 0, 0).unwrap());
    }
}
