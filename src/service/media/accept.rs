//! Accepting an upload: the campaign is open for media and under its quota,
//! the file is what it says and within its limits; then the object is stored
//! and its row and processing job are committed together.

use crate::domain::Invalid;
use tracing::instrument;
use uuid::Uuid;

use super::{
    discard, discard_upload, keys::original_key, storage_error, Uploaded, MAX_ALT_TEXT,
    MAX_PER_CAMPAIGN,
};
use crate::{
    db::{self, media::MediaRow, media::NewMedia},
    domain::{JobKind, MediaKind},
    error::{AppError, AppResult},
    media::{
        image::{self as photos, ImageError},
        video::{self, VideoError},
    },
    service::{campaigns::load as load_campaign, permissions, Principal},
    state::AppState,
};

fn too_many() -> AppError {
    AppError::conflict(
        "too_many_media",
        format!("a campaign has at most {MAX_PER_CAMPAIGN} photos and videos"),
    )
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
    discard_upload(&file.path).await;
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
    let (campaign, relation) = load_campaign(state, principal, campaign_id).await?;
    permissions::require_campaign_author(relation)?;
    if !campaign.status.editable() {
        return Err(AppError::conflict(
            "not_editable",
            "media can be added while the campaign is being edited",
        ));
    }
    // A cheap early refusal; the count that counts is taken under a lock below.
    if db::media::count_for_campaign(&state.db, campaign_id).await? >= MAX_PER_CAMPAIGN {
        return Err(too_many());
    }
    store(
        state,
        principal,
        Target::Campaign(campaign_id),
        file,
        alt_text,
        consent_confirmed,
    )
    .await
}

/// 409 `upload_volume_exceeded` when `bytes` more would take the person
/// over what one person may upload in 24 hours.
async fn within_daily_volume(state: &AppState, principal: Principal, bytes: u64) -> AppResult<()> {
    let day = state.clock.now() - chrono::Duration::hours(24);
    let lately = db::media::uploaded_bytes_since(&state.db, principal.user_id, day).await?;
    let allowed = state.config.media.max_upload_bytes_per_person_per_day;
    if u64::try_from(lately).unwrap_or(0).saturating_add(bytes) > allowed {
        return Err(AppError::conflict(
            "upload_volume_exceeded",
            format!(
                "you can upload {} MB in a day and have used it up; try again tomorrow",
                allowed / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

/// Where an accepted file goes.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// The campaign's own photos and videos.
    Campaign(Uuid),
    /// Evidence of a reach report: a photo of its campaign, never public.
    Evidence { campaign_id: Uuid, report_id: Uuid },
}

impl Target {
    fn campaign_id(self) -> Uuid {
        match self {
            Self::Campaign(id)
            | Self::Evidence {
                campaign_id: id, ..
            } => id,
        }
    }

    /// Takes the lock the quota is counted under; the count, and the quota.
    async fn count_locked(self, tx: &mut db::Tx) -> Result<(i64, i64), sqlx::Error> {
        match self {
            Self::Campaign(id) => {
                db::media::lock_campaign(tx, id).await?;
                Ok((db::media::count_in_tx(tx, id).await?, MAX_PER_CAMPAIGN))
            }
            Self::Evidence { report_id, .. } => {
                db::evidence::lock_report(tx, report_id).await?;
                Ok((
                    db::evidence::count_in_tx(tx, report_id).await?,
                    MAX_EVIDENCE,
                ))
            }
        }
    }
}

/// The most evidence photos one reach report may have.
pub const MAX_EVIDENCE: i64 = 3;

fn over_quota(target: Target) -> AppError {
    match target {
        Target::Campaign(_) => too_many(),
        Target::Evidence { .. } => AppError::conflict(
            "too_much_evidence",
            format!("a reach report has at most {MAX_EVIDENCE} photos"),
        ),
    }
}

/// Checks the file, stores it and commits its row and processing job, for
/// a caller that has checked who may add it where.
///
/// # Errors
/// 409 over the target's quota or the person's daily upload volume
/// (`upload_volume_exceeded`); 413 for a photo over the pixel limit; 415
/// for a malformed video; 422 for alt text over the limit; 503 when storage is down.
pub(crate) async fn store(
    state: &AppState,
    principal: Principal,
    target: Target,
    file: &Uploaded,
    alt_text: String,
    consent_confirmed: bool,
) -> AppResult<MediaRow> {
    if alt_text.chars().count() > MAX_ALT_TEXT {
        return Err(AppError::validation(
            "alt_text",
            Invalid::too_long(MAX_ALT_TEXT),
        ));
    }
    within_daily_volume(state, principal, file.bytes).await?;
    if file.sniffed.is_image() {
        let path = file.path.clone();
        let max = state.config.media.max_image_pixels;
        let header = tokio::task::spawn_blocking(move || photos::check_header_file(&path, max))
            .await
            .map_err(anyhow::Error::from)?;
        match header {
            Ok(_) => {}
            Err(err @ (ImageError::TooManyPixels { .. } | ImageError::TooManyScans(_))) => {
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
    let committed: AppResult<()> = async {
        let mut tx = state.db.begin().await?;
        // The quota is checked again under a lock, in the transaction that
        // inserts: concurrent uploads cannot pass it.
        let (count, quota) = target.count_locked(&mut tx).await?;
        if count >= quota {
            return Err(over_quota(target));
        }
        let new = NewMedia {
            id,
            campaign_id: target.campaign_id(),
            reach_report_id: match target {
                Target::Campaign(_) => None,
                Target::Evidence { report_id, .. } => Some(report_id),
            },
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
        db::jobs::enqueue(&mut tx, JobKind::ProcessMedia, id, 5, now).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    if let Err(err) = committed {
        discard(state, &key).await;
        return Err(err);
    }
    db::media::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("media"))
}
