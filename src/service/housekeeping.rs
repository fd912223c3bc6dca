//! Removal of what has outlived its use, run hourly by the janitor: expired
//! links, sessions, rate-limit windows and sign-in flows (a day after they
//! ended), notification mail and finished jobs after 30 days, and media
//! objects that no row owns.

use chrono::Duration;

use crate::{db, error::AppResult, state::AppState};

/// How long sent mail and finished jobs are kept to answer support questions.
pub const KEPT_FOR_DAYS: i64 = 30;

/// What one sweep removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub expired_rows: u64,
    pub mail: u64,
    pub jobs: u64,
    pub media_objects: usize,
}

/// One sweep over everything. Each part runs even when an earlier one failed;
/// the first failure is returned after all have run, and each is logged.
///
/// # Errors
/// The first database or storage failure met.
pub async fn sweep(state: &AppState) -> AppResult<Swept> {
    let now = state.clock.now();
    let expired = now - Duration::days(1);
    let kept = now - Duration::days(KEPT_FOR_DAYS);
    let mut swept = Swept::default();
    let mut first_error = None;
    let mut note = |what: &str, err: crate::error::AppError| {
        tracing::warn!(error = %err, part = what, "janitor sweep failed");
        first_error.get_or_insert(err);
    };
    match db::janitor::sweep(&state.db, expired).await {
        Ok(n) => swept.expired_rows = n,
        Err(err) => note("expired rows", err.into()),
    }
    match db::outbox::sweep_sent(&state.db, kept).await {
        Ok(n) => swept.mail = n,
        Err(err) => note("mail", err.into()),
    }
    match db::jobs::sweep_finished(&state.db, kept).await {
        Ok(n) => swept.jobs = n,
        Err(err) => note("jobs", err.into()),
    }
    match crate::service::media::sweep_orphans(state).await {
        Ok(n) => swept.media_objects = n,
        Err(err) => note("media", err),
    }
    match first_error {
        Some(err) => Err(err),
        None => Ok(swept),
    }
}
