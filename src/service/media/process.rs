//! Processing by the job queue: renditions for a photo (decoded under the
//! semaphore that bounds memory), the final key for a video.

use uuid::Uuid;

use super::{
    discard,
    keys::{original_key, rendition_key, rendition_names, video_name, VIDEO_NAMES},
    storage_error,
};
use crate::{
    db::{self, jobs::JobRow, media::MediaRow},
    domain::{JobKind, MediaFailure, MediaKind, MediaStatus},
    error::AppResult,
    media::image as photos,
    state::AppState,
    storage::StorageError,
};

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
        discard(state, &original_key(id)).await;
        return Ok(());
    };
    if media.status != MediaStatus::Processing {
        return Ok(());
    }
    if media.kind == MediaKind::Video {
        return finish_video(state, &media).await;
    }
    // The permit comes first: no original is held in memory while waiting for it.
    let permit = state
        .decodes
        .clone()
        .acquire_owned()
        .await
        .map_err(anyhow::Error::from)?;
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
            discard(state, &original_key(id)).await;
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
    crate::stop_point::reached("photo.renditions_stored").await;
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
    discard(state, &original_key(id)).await;
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

pub(crate) async fn remove_objects(state: &AppState, id: Uuid) {
    for name in rendition_names(&state.config.media.rendition_widths) {
        discard(state, &rendition_key(id, &name)).await;
    }
    for name in VIDEO_NAMES {
        discard(state, &rendition_key(id, name)).await;
    }
    discard(state, &original_key(id)).await;
}

/// Runs one claimed job to its end or its next attempt.
pub async fn run_job(state: &AppState, job: &JobRow) {
    let now = state.clock.now();
    let outcome = match job.kind {
        JobKind::ProcessMedia => process(state, job.subject_id).await,
    };
    let recorded = match outcome {
        Attempt::Done => db::jobs::complete(&state.db, job.id, now).await,
        Attempt::Retry(error) => {
            tracing::warn!(job_id = %job.id, attempts = job.attempts, %error, "job will be retried");
            match db::jobs::retry_or_fail(&state.db, job, &error, now).await {
                Ok(true) => {
                    if job.kind == JobKind::ProcessMedia {
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
