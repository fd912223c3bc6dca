//! What a start does after the process before it was killed (a crash, a
//! power cut, SIGKILL): nothing it left half done stays so.
//!
//! - Uploads that were streaming in when it died are half files in the
//!   upload directory, which belongs to this process alone: they go.
//! - On SQLite, which only one process serves, every job and mail that
//!   was running belonged to the dead process: they go back to the queue
//!   at once. On PostgreSQL, where other instances may be running them,
//!   they wait out their lease (`media.job_lease_seconds`, 5 minutes by
//!   default, for media; twice the SMTP timeout and 15 s for mail).
//!
//! A job run twice makes the same renditions under the same keys; a mail
//! sent again carries the same Message-ID, so mail clients show it once.

use crate::{db, state::AppState};

/// What one recovery found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Recovered {
    pub partial_uploads: usize,
    pub jobs: u64,
    pub mail: u64,
}

/// Clears and requeues what a killed process left behind. Failures are
/// logged: the platform starts anyway, and the janitor and leases catch up.
pub async fn after_restart(state: &AppState) -> Recovered {
    let mut recovered = Recovered::default();
    let dir = state.config.upload_dir();
    if let Ok(mut entries) = tokio::fs::read_dir(&dir).await {
        while let Ok(Some(entry)) = entries.next_entry().await {
            if tokio::fs::remove_file(entry.path()).await.is_ok() {
                recovered.partial_uploads += 1;
            }
        }
    }
    if matches!(state.db, db::Db::Sqlite(_)) {
        match db::jobs::release_running(&state.db).await {
            Ok(n) => recovered.jobs = n,
            Err(err) => tracing::warn!(error = %err, "could not requeue running jobs"),
        }
        match db::outbox::release_sending(&state.db).await {
            Ok(n) => recovered.mail = n,
            Err(err) => tracing::warn!(error = %err, "could not requeue mail being sent"),
        }
    }
    if recovered != Recovered::default() {
        tracing::warn!(
            ?recovered,
            "recovered what the last process left unfinished"
        );
    }
    recovered
}
