//! Serving a media item's files: to its team and moderators while private,
//! to anyone once an approval published it; single byte ranges for video.

use uuid::Uuid;

use super::{
    keys::{file_names, rendition_key},
    storage_error, visible,
};
use crate::{
    db::{self, media::MediaRow},
    domain::{MediaKind, MediaStatus},
    error::{AppError, AppResult},
    service::Principal,
    state::AppState,
};

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
