//! Evidence photos: up to three per reach report, added by the team while the
//! report is pending, seen by the team and the programme's facilitators and
//! never by the public; they go with their report.

use tracing::instrument;
use uuid::Uuid;

use super::{already_decided, own_report};
use crate::{
    db::media::MediaRow,
    domain::ReachStatus,
    error::{AppError, AppResult},
    service::{
        media::{self, discard_upload, Target, Uploaded},
        Principal,
    },
    state::AppState,
};

/// Adds a photo to a pending report of the caller's team; processing follows
/// as for any photo (metadata stripped, renditions made).
///
/// # Errors
/// 404 unless the caller sees the report; 403 for a facilitator; 409
/// `reach_decided` or `too_much_evidence`; 415 for anything but a photo.
#[instrument(skip_all, fields(user_id = %principal.user_id, reach_id = %report_id))]
pub async fn upload(
    state: &AppState,
    principal: Principal,
    report_id: Uuid,
    file: Uploaded,
    alt_text: String,
) -> AppResult<MediaRow> {
    let result = accept(state, principal, report_id, &file, alt_text).await;
    discard_upload(&file.path).await;
    result
}

async fn accept(
    state: &AppState,
    principal: Principal,
    report_id: Uuid,
    file: &Uploaded,
    alt_text: String,
) -> AppResult<MediaRow> {
    let (report, _) = own_report(state, principal, report_id).await?;
    if report.status != ReachStatus::Pending {
        return Err(already_decided(report.status));
    }
    if !file.sniffed.is_image() {
        return Err(AppError::UnsupportedMediaType(
            "evidence is a photo: JPEG, PNG, WebP or GIF".to_owned(),
        ));
    }
    let target = Target::Evidence {
        campaign_id: report.campaign_id,
        report_id,
    };
    media::store(state, principal, target, file, alt_text, false).await
}

/// Removes the stored files of evidence whose rows are gone.
pub(super) async fn remove_files(state: &AppState, ids: &[Uuid]) {
    for id in ids {
        media::remove_objects(state, *id).await;
    }
}
