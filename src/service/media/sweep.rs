//! The orphan sweep: objects whose row is gone, and originals whose
//! processing has ended.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::storage_error;
use crate::{db, domain::MediaStatus, error::AppResult, state::AppState};

/// Removes objects whose row is gone (left by a crash between steps), and
/// originals whose processing has ended. Only objects older than `grace` go.
///
/// # Errors
/// When storage or the database cannot be read.
pub async fn sweep_orphans(state: &AppState) -> AppResult<usize> {
    // List before reading the rows: a rendition is written only after its row
    // is committed, so every object listed here has its row in the query below.
    let renditions = state.storage.list("media").await.map_err(storage_error)?;
    let ids: std::collections::HashSet<Uuid> =
        db::media::all_ids(&state.db).await?.into_iter().collect();
    let mut removed = 0;
    for key in renditions {
        let id = key.split('/').nth(1).and_then(|s| Uuid::parse_str(s).ok());
        if id.is_some_and(|id| !ids.contains(&id)) {
            state.storage.delete(&key).await.map_err(storage_error)?;
            removed += 1;
        }
    }
    for key in state
        .storage
        .list("originals")
        .await
        .map_err(storage_error)?
    {
        let Some(id) = key.split('/').nth(1).and_then(|s| Uuid::parse_str(s).ok()) else {
            continue;
        };
        let ended = match db::media::by_id(&state.db, id).await? {
            None => {
                // Rows are committed right after the upload is stored; an hour
                // without one means it never will be.
                uuid_age(id, state.clock.now()) > Duration::hours(1)
            }
            Some(media) => media.status != MediaStatus::Processing,
        };
        if ended {
            state.storage.delete(&key).await.map_err(storage_error)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// How long ago an id (UUID v7) was made, by the injected clock.
fn uuid_age(id: Uuid, now: DateTime<Utc>) -> Duration {
    let Some(ts) = id.get_timestamp() else {
        return Duration::zero();
    };
    let (secs, nanos) = ts.to_unix();
    i64::try_from(secs)
        .ok()
        .and_then(|secs| DateTime::from_timestamp(secs, nanos))
        .map_or_else(Duration::zero, |made| now - made)
}
