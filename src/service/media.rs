//! Photos and videos: upload, processing by the job queue, and who may see them.
//!
//! Write order keeps rows and objects together: the upload is stored first,
//! then its row and job are committed together (the object is deleted if
//! that fails); renditions are stored before the row says `ready`, and the
//! uploaded original is deleted after. Whatever a crash leaves between
//! those steps is an object without a row, which the sweeper removes.

use std::path::PathBuf;

use chrono::Duration;
use tracing::instrument;
use uuid::Uuid;

use super::{
    campaigns::{load as load_campaign, Access},
    permissions, Principal,
};
use crate::{
    db::{self, jobs::JobRow, media::MediaRow, media::NewMedia},
    domain::{MediaFailure, MediaKind, MediaStatus},
    error::{AppError, AppResult},
    media::{
        image::{self as photos, ImageError},
        sniff::Sniffed,
        video::{self, VideoError},
    },
    state::AppState,
    storage::StorageError,
};

pub const PROCESS_JOB: &str = "process_media";
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

fn original_key(id: Uuid) -> String {
    format!("originals/{id}")
}

/// The key of a rendition, e.g. `media/<id>/w960.jpg`.
#[must_use]
pub fn rendition_key(id: Uuid, name: &str) -> String {
    format!("media/{id}/{name}")
}

/// The file names of a photo's renditions.
#[must_use]
pub fn rendition_names(widths: &[u32]) -> Vec<String> {
    widths.iter().map(|w| format!("w{w}.jpg")).collect()
}

/// The file name of a video, kept in its own container.
#[must_use]
pub fn video_name(source_type: &str) -> &'static str {
    match source_type {
        "video/quicktime" => "video.mov",
        "video/webm" => "video.webm",
        _ => "video.mp4",
    }
}

const VIDEO_NAMES: [&str; 3] = ["video.mp4", "video.mov", "video.webm"];

/// The names a ready item's files go by.
#[must_use]
pub fn file_names(media: &MediaRow, widths: &[u32]) -> Vec<String> {
    if media.kind == MediaKind::Video {
        vec![video_name(&media.source_type).to_owned()]
    } else {
        rendition_names(widths)
    }
}

/// A file of a media item that someone may read.
pub struct FileRef {
    key: String,
    pub content_type: String,
}

/// An open file, or the part of it a `Range` asked for.
pub struct OpenFile {
    pub reader: crate::storage::Reader,
    pub content_type: String,
    pub total: u64,
    /// The inclusive byte range served, when only a part is.
    pub part: Option<(u64, u64)>,
}

fn storage_error(err: StorageError) -> AppError {
    match err {
        StorageError::NotFound => AppError::NotFound("file"),
        StorageError::Unavailable(reason) => {
            tracing::error!(%reason, "media storage unavailable");
            AppError::Unavailable("media storage")
        }
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
) -> AppResult<(MediaRow, Access)> {
    let media = db::media::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("media"))?;
    let (_, access) = load_campaign(state, principal, media.campaign_id)
        .await
        .map_err(|_| AppError::NotFound("media"))?;
    Ok((media, access))
}

/// Accepts an upload for a campaign and queues its processing.
///
/// # Errors
/// 404 unless a team member; 409 `not_editable` or `too_many_media`;
/// 413 for a photo over the pixel limit; 503 when storage is down.
#[instrument(skip_all, fields(user_id = %principal.user_id, campaign_id = %campaign_id))]
pub async fn upload(
    state: &AppState,
    principal: Principal,
    campaign_id: Uuid,
    file: Uploaded,
    alt_text: String,
    consent_confirmed: bool,
) -> AppResult<MediaRow> {
    let result = accept(
        state,
        principal,
        campaign_id,
        &file,
        alt_text,
        consent_confirmed,
    )
    .await;
    let _ = tokio::fs::remove_file(&file.path).await;
    result
}

async fn accept(
    state: &AppState,
    principal: Principal,
    campaign_id: Uuid,
    file: &Uploaded,
    alt_text: String,
    consent_confirmed: bool,
) -> AppResult<MediaRow> {
    let (campaign, access) = load_campaign(state, principal, campaign_id).await?;
    permissions::require_campaign_author(access)?;
    if !campaign.status.editable() {
        return Err(AppError::conflict(
            "not_editable",
            "media can be added while the campaign is being edited",
        ));
    }
    if db::media::count_for_campaign(&state.db, campaign_id).await? >= MAX_PER_CAMPAIGN {
        return Err(AppError::conflict(
            "too_many_media",
            format!("a campaign has at most {MAX_PER_CAMPAIGN} photos and videos"),
        ));
    }
    if alt_text.chars().count() > MAX_ALT_TEXT {
        return Err(AppError::validation(
            "alt_text",
            format!("at most {MAX_ALT_TEXT} characters"),
        ));
    }
    if file.sniffed.is_image() {
        let path = file.path.clone();
        let max = state.config.media.max_image_pixels;
        let header = tokio::task::spawn_blocking(move || {
            let data = std::fs::read(&path).map_err(|e| ImageError::Decode(e.to_string()))?;
            photos::check_header(&data, max)
        })
        .await
        .map_err(anyhow::Error::from)?;
        match header {
            Ok(_) => {}
            Err(err @ ImageError::TooManyPixels { .. }) => {
                return Err(AppError::PayloadTooLargeWithReason(err.to_string()));
            }
            // A broken file is accepted and fails in processing, where the team sees why.
            Err(_) => {}
        }
    }
    let mut size = (None, None);
    if file.sniffed.is_video() {
        let (path, kind) = (file.path.clone(), file.sniffed);
        let info = tokio::task::spawn_blocking(move || video::check_and_clean(&path, kind))
            .await
            .map_err(anyhow::Error::from)?;
        match info {
            Ok(info) => {
                size = (
                    info.width.and_then(|w| i32::try_from(w).ok()),
                    info.height.and_then(|h| i32::try_from(h).ok()),
                );
            }
            Err(err @ VideoError::Malformed(_)) => {
                return Err(AppError::UnsupportedMediaType(err.to_string()))
            }
            Err(VideoError::Io(err)) => return Err(anyhow::Error::from(err).into()),
        }
    }

    let id = Uuid::now_v7();
    let key = original_key(id);
    state
        .storage
        .put_file(&key, &file.path, file.sniffed.mime())
        .await
        .map_err(storage_error)?;
    let now = state.clock.now();
    let kind = if file.sniffed.is_video() {
        MediaKind::Video
    } else {
        MediaKind::Image
    };
    let committed = async {
        let mut tx = state.db.begin().await?;
        let new = NewMedia {
            id,
            campaign_id,
            kind,
            source_type: file.sniffed.mime(),
            source_bytes: i64::try_from(file.bytes).unwrap_or(i64::MAX),
            alt_text: alt_text.trim(),
            consent_confirmed,
            uploaded_by: principal.user_id,
            width: size.0,
            height: size.1,
        };
        db::media::insert(&mut tx, &new, now).await?;
        db::jobs::enqueue(&mut tx, PROCESS_JOB, id, 5, now).await?;
        tx.commit().await
    }
    .await;
    if let Err(err) = committed {
        let _ = state.storage.delete(&key).await;
        return Err(err.into());
    }
    db::media::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("media"))
}

/// Outcome of one processing attempt.
pub enum Attempt {
    Done,
    /// Worth trying again later (storage or database trouble).
    Retry(String),
}

/// Processes one media item: renditions for a photo; a video is checked and kept.
pub async fn process(state: &AppState, id: Uuid) -> Attempt {
    match try_process(state, id).await {
        Ok(()) => Attempt::Done,
        Err(err) => Attempt::Retry(err.to_string()),
    }
}

async fn try_process(state: &AppState, id: Uuid) -> AppResult<()> {
    let Some(media) = db::media::by_id(&state.db, id).await? else {
        // Deleted meanwhile: nothing to do but tidy up.
        let _ = state.storage.delete(&original_key(id)).await;
        return Ok(());
    };
    if media.status != MediaStatus::Processing {
        return Ok(());
    }
    if media.kind == MediaKind::Video {
        return finish_video(state, &media).await;
    }
    let original = match state.storage.get(&original_key(id)).await {
        Ok(data) => data,
        Err(StorageError::NotFound) => {
            db::media::mark_failed(
                &state.db,
                id,
                MediaFailure::Lost,
                "the upload was lost; please upload it again",
                state.clock.now(),
            )
            .await?;
            return Ok(());
        }
        Err(err) => return Err(storage_error(err)),
    };
    let now = state.clock.now();
    let widths = state.config.media.rendition_widths.clone();
    let max_pixels = state.config.media.max_image_pixels;
    let permit = state
        .decodes
        .clone()
        .acquire_owned()
        .await
        .map_err(anyhow::Error::from)?;
    let result = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        photos::process(&original, &widths, max_pixels)
    })
    .await
    .map_err(anyhow::Error::from)?;
    let processed = match result {
        Ok(processed) => processed,
        Err(err) => {
            // The file itself is at fault: say why, keep nothing of it.
            db::media::mark_failed(&state.db, id, err.failure(), &err.to_string(), now).await?;
            let _ = state.storage.delete(&original_key(id)).await;
            return Ok(());
        }
    };
    for rendition in &processed.renditions {
        let key = rendition_key(id, &format!("w{}.jpg", rendition.target));
        state
            .storage
            .put(
                &key,
                bytes::Bytes::from(rendition.jpeg.clone()),
                "image/jpeg",
            )
            .await
            .map_err(storage_error)?;
    }
    let width = i32::try_from(processed.width).unwrap_or(i32::MAX);
    let height = i32::try_from(processed.height).unwrap_or(i32::MAX);
    let still_there = db::media::mark_ready(
        &state.db,
        id,
        width,
        height,
        &processed.blurhash,
        &processed.dominant_color,
        now,
    )
    .await?;
    if !still_there {
        remove_objects(state, id).await;
    }
    let _ = state.storage.delete(&original_key(id)).await;
    Ok(())
}

/// A video was checked and cleaned at upload: it moves to its final key.
async fn finish_video(state: &AppState, media: &MediaRow) -> AppResult<()> {
    let key = rendition_key(media.id, video_name(&media.source_type));
    match state.storage.rename(&original_key(media.id), &key).await {
        Ok(()) => {}
        // Moved by an earlier attempt that did not get to record it.
        Err(StorageError::NotFound) if state.storage.size(&key).await.is_ok() => {}
        Err(StorageError::NotFound) => {
            db::media::mark_failed(
                &state.db,
                media.id,
                MediaFailure::Lost,
                "the upload was lost; please upload it again",
                state.clock.now(),
            )
            .await?;
            return Ok(());
        }
        Err(err) => return Err(storage_error(err)),
    }
    if !db::media::mark_video_ready(&state.db, media.id, state.clock.now()).await? {
        remove_objects(state, media.id).await;
    }
    Ok(())
}

async fn remove_objects(state: &AppState, id: Uuid) {
    for name in rendition_names(&state.config.media.rendition_widths) {
        let _ = state.storage.delete(&rendition_key(id, &name)).await;
    }
    for name in VIDEO_NAMES {
        let _ = state.storage.delete(&rendition_key(id, name)).await;
    }
    let _ = state.storage.delete(&original_key(id)).await;
}

/// # Errors
/// 404 unless visible.
pub async fn get(state: &AppState, principal: Principal, id: Uuid) -> AppResult<MediaRow> {
    Ok(visible(state, principal, id).await?.0)
}

/// Changes alt text, consent or position.
///
/// # Errors
/// 404 unless visible; 403 for a facilitator; 422 for alt text over the limit.
pub async fn update(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    alt_text: Option<String>,
    consent_confirmed: Option<bool>,
    position: Option<i32>,
) -> AppResult<MediaRow> {
    let (media, access) = visible(state, principal, id).await?;
    permissions::require_campaign_author(access)?;
    if let Some(text) = &alt_text {
        if text.chars().count() > MAX_ALT_TEXT {
            return Err(AppError::validation(
                "alt_text",
                format!("at most {MAX_ALT_TEXT} characters"),
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
    let (media, access) = visible(state, principal, id).await?;
    permissions::require_campaign_author(access)?;
    db::media::delete(&state.db, media.id).await?;
    remove_objects(state, media.id).await;
    Ok(())
}

/// A file of a media item, for someone who may see the item.
///
/// # Errors
/// 404 unless visible or when there is no such file.
pub async fn private_file(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    name: &str,
) -> AppResult<FileRef> {
    let (media, _) = visible(state, principal, id).await?;
    file(state, &media, name)
}

/// A file anyone may see: only of media published by an approval of a
/// campaign that is still public.
///
/// # Errors
/// 404 unless public or when there is no such file.
pub async fn public_file(state: &AppState, id: Uuid, name: &str) -> AppResult<FileRef> {
    let not_found = || AppError::NotFound("file");
    let media = db::media::by_id(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    let campaign = db::campaigns::by_id(&state.db, media.campaign_id)
        .await?
        .ok_or_else(not_found)?;
    if media.published_at.is_none() || !campaign.is_public() {
        return Err(not_found());
    }
    file(state, &media, name)
}

fn file(state: &AppState, media: &MediaRow, name: &str) -> AppResult<FileRef> {
    let names = file_names(media, &state.config.media.rendition_widths);
    if media.status != MediaStatus::Ready || !names.iter().any(|n| n == name) {
        return Err(AppError::NotFound("file"));
    }
    // A video is served in the container it came in, whose type was sniffed.
    let content_type = if media.kind == MediaKind::Video {
        media.source_type.clone()
    } else {
        "image/jpeg".to_owned()
    };
    Ok(FileRef {
        key: rendition_key(media.id, name),
        content_type,
    })
}

/// Opens a file, or the single byte range a `Range` header asks for (a video
/// player seeking). A range that cannot be honoured is ignored and the whole
/// file is sent, as HTTP allows.
///
/// # Errors
/// 404 when the object is gone; 503 when storage is down.
pub async fn open_file(
    state: &AppState,
    file: &FileRef,
    range: Option<&str>,
) -> AppResult<OpenFile> {
    let total = state.storage.size(&file.key).await.map_err(storage_error)?;
    let part = range.and_then(|header| crate::domain::byte_range::parse(header, total));
    let (start, len) = part.map_or((0, total), |(first, last)| (first, last - first + 1));
    let reader = state
        .storage
        .open(&file.key, start, len)
        .await
        .map_err(storage_error)?;
    Ok(OpenFile {
        reader,
        content_type: file.content_type.clone(),
        total,
        part,
    })
}

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
                uuid_age(id) > Duration::hours(1)
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

fn uuid_age(id: Uuid) -> Duration {
    let Some(ts) = id.get_timestamp() else {
        return Duration::zero();
    };
    let (secs, _) = ts.to_unix();
    let millis = i64::try_from(secs).unwrap_or(i64::MAX).saturating_mul(1000);
    chrono::Utc::now()
        - chrono::DateTime::from_timestamp_millis(millis).unwrap_or_else(chrono::Utc::now)
}

/// Runs one claimed job to its end or its next attempt.
pub async fn run_job(state: &AppState, job: &JobRow) {
    let now = state.clock.now();
    let outcome = match job.kind.as_str() {
        PROCESS_JOB => process(state, job.subject_id).await,
        other => Attempt::Retry(format!("unknown job kind {other}")),
    };
    let recorded = match outcome {
        Attempt::Done => db::jobs::complete(&state.db, job.id, now).await,
        Attempt::Retry(error) => {
            tracing::warn!(job_id = %job.id, attempts = job.attempts, %error, "job will be retried");
            match db::jobs::retry_or_fail(&state.db, job, &error, now).await {
                Ok(true) => {
                    if job.kind == PROCESS_JOB {
                        if let Err(err) = db::media::mark_failed(
                            &state.db,
                            job.subject_id,
                            MediaFailure::ProcessingFailed,
                            "processing kept failing; please upload again",
                            now,
                        )
                        .await
                        {
                            tracing::error!(media_id = %job.subject_id, error = %err, "could not mark media failed");
                        }
                    }
                    Ok(())
                }
                Ok(false) => Ok(()),
                Err(err) => Err(err),
            }
        }
    };
    if let Err(err) = recorded {
        tracing::error!(job_id = %job.id, error = %err, "could not record a job's outcome");
    }
}
