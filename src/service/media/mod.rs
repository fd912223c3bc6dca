//! Photos and videos: upload acceptance (`accept`), processing by the job
//! queue (`process`), file serving (`files`), the orphan sweep (`sweep`) and
//! storage key naming (`keys`); here, who may see and change an item.
//!
//! Write order keeps rows and objects together: the upload is stored first,
//! then its row and job are committed together (the object is deleted if
//! that fails); renditions are stored before the row says `ready`, and the
//! uploaded original is deleted after. Whatever a crash leaves between
//! those steps is an object without a row, which the sweeper removes.

mod accept;
mod files;
mod keys;
mod process;
mod sweep;

use crate::domain::Invalid;
use std::path::PathBuf;

use uuid::Uuid;

use super::{
    campaigns::load as load_campaign,
    permissions::{self, CampaignRelation},
    Principal,
};
use crate::{
    db::{self, media::MediaRow},
    error::{AppError, AppResult},
    media::sniff::Sniffed,
    state::AppState,
    storage::StorageError,
};

pub(crate) use accept::store;
pub use accept::{upload, Target, MAX_EVIDENCE};

pub use files::{open_file, private_file, public_file, FileRef, OpenFile};
pub use keys::{file_names, rendition_key, rendition_names, video_name};
pub(crate) use process::remove_objects;
pub use process::{process, run_job, Attempt};
pub use sweep::sweep_orphans;

/// Most photos and videos per campaign.
pub const MAX_PER_CAMPAIGN: i64 = 20;
/// Alt text: what a screen reader says about the photo.
pub const MAX_ALT_TEXT: usize = 1000;

/// A file that streamed in within its limits, waiting in the upload directory.
pub struct Uploaded {
    pub path: PathBuf,
    pub sniffed: Sniffed,
    pub bytes: u64,
}

pub(super) fn storage_error(err: StorageError) -> AppError {
    match err {
        StorageError::NotFound => AppError::NotFound("file"),
        StorageError::Unavailable(reason) => {
            tracing::error!(%reason, "media storage unavailable");
            AppError::Unavailable("media storage")
        }
        StorageError::Full => AppError::insufficient_storage(),
    }
}

/// Removes an object that is no longer wanted. A failure is logged, not
/// returned: what stays behind is an orphan, which the sweep removes later.
pub(super) async fn discard(state: &AppState, key: &str) {
    match state.storage.delete(key).await {
        Ok(()) | Err(StorageError::NotFound) => {}
        Err(err) => tracing::warn!(%key, error = %err, "could not remove a media object"),
    }
}

/// Removes an upload's temporary file, logging a failure.
pub async fn discard_upload(path: &std::path::Path) {
    match tokio::fs::remove_file(path).await {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            tracing::warn!(error = %err, "could not remove an upload's temporary file");
        }
        _ => {}
    }
}

/// Loads a media item the caller may see (its team and facilitators).
///
/// # Errors
/// 404 otherwise.
pub async fn visible(
    state: &AppState,
    principal: Principal,
    id: Uuid,
) -> AppResult<(MediaRow, CampaignRelation)> {
    let media = db::media::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("media"))?;
    let (_, relation) = load_campaign(state, principal, media.campaign_id)
        .await
        .map_err(|err| err.hidden_as("media"))?;
    Ok((media, relation))
}

/// Loads a media item the caller may change: its team's, and not the
/// evidence of a decided reach report.
///
/// # Errors
/// 404 unless visible; 403 for a facilitator; 409 `reach_decided`.
async fn writable(state: &AppState, principal: Principal, id: Uuid) -> AppResult<MediaRow> {
    let (media, relation) = visible(state, principal, id).await?;
    permissions::require_campaign_author(relation)?;
    crate::service::reach::require_open_evidence(state, &media).await?;
    Ok(media)
}

/// # Errors
/// 404 unless visible.
pub async fn get(state: &AppState, principal: Principal, id: Uuid) -> AppResult<MediaRow> {
    Ok(visible(state, principal, id).await?.0)
}

/// Changes alt text, consent or position. On a public item the new text and
/// place wait for the campaign's next approval; withdrawn consent takes it
/// off every public surface at once.
///
/// # Errors
/// 404 unless visible; 403 for a facilitator; 409 for a decided report's
/// evidence; 422 for alt text over the limit.
pub async fn update(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    alt_text: Option<String>,
    consent_confirmed: Option<bool>,
    position: Option<i32>,
) -> AppResult<MediaRow> {
    let media = writable(state, principal, id).await?;
    if let Some(text) = &alt_text {
        if text.chars().count() > MAX_ALT_TEXT {
            return Err(AppError::validation(
                "alt_text",
                Invalid::too_long(MAX_ALT_TEXT),
            ));
        }
    }
    db::media::update(
        &state.db,
        media.id,
        alt_text.as_deref().map(str::trim),
        consent_confirmed,
        position,
        state.clock.now(),
    )
    .await?;
    // Only a withdrawn consent changes what the public sees before the next approval.
    if media.published_at.is_some() && consent_confirmed == Some(false) {
        crate::service::gallery::index::published_media_changed(state).await?;
    }
    db::media::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("media"))
}

/// Deletes a media item: its row first (it is gone from every page at
/// once), then its objects.
///
/// # Errors
/// 404 unless visible; 403 for a facilitator.
pub async fn delete(state: &AppState, principal: Principal, id: Uuid) -> AppResult<()> {
    let media = writable(state, principal, id).await?;
    db::media::delete(&state.db, media.id).await?;
    if media.published_at.is_some() {
        crate::service::gallery::index::published_media_changed(state).await?;
    }
    remove_objects(state, media.id).await;
    Ok(())
}
