//! Where a media item's objects live in storage: the upload as it came in
//! under `originals/`, and the files people see under `media/<id>/`.

use uuid::Uuid;

use crate::{db::media::MediaRow, domain::MediaKind};

pub(super) fn original_key(id: Uuid) -> String {
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

pub(super) const VIDEO_NAMES: [&str; 3] = ["video.mp4", "video.mov", "video.webm"];

/// The names a ready item's files go by.
#[must_use]
pub fn file_names(media: &MediaRow, widths: &[u32]) -> Vec<String> {
    if media.kind == MediaKind::Video {
        vec![video_name(&media.source_type).to_owned()]
    } else {
        rendition_names(widths)
    }
}
