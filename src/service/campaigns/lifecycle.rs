//! The team's moves: submitting the working draft for moderation (once it
//! is complete) and taking a submission back.

use crate::domain::Invalid;
use tracing::instrument;
use uuid::Uuid;

use super::{get, load, version_conflict, CampaignView};
use crate::{
    db::{
        self,
        campaigns::{CampaignRow, Event},
    },
    domain::{CampaignEvent, MediaStatus, Transition},
    error::{AppError, AppResult, FieldError},
    service::{permissions, Principal},
    state::AppState,
};

/// Moves a campaign through a team transition (submit or withdraw).
async fn team_transition(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    version: Option<i32>,
    transition: impl Fn(&CampaignRow) -> Transition,
    action: CampaignEvent,
) -> AppResult<CampaignView> {
    let (campaign, relation) = load(state, principal, id).await?;
    permissions::require_campaign_author(relation)?;
    let from = campaign.status;
    let Some(to) = from.apply(transition(&campaign)) else {
        return Err(AppError::conflict(
            "invalid_transition",
            format!("a campaign that is {} cannot be {action}", from.as_str()),
        ));
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if db::campaigns::set_status(&mut tx, id, version, from, to, now)
        .await?
        .is_none()
    {
        return Err(version_conflict());
    }
    let event = Event {
        actor: Some(principal.user_id),
        action,
        from: Some(from),
        to,
        note: None,
    };
    db::campaigns::add_event(&mut tx, id, &event, now).await?;
    crate::service::stats::rollup::campaign(&mut tx, id).await?;
    let shown = crate::service::gallery::index::campaign_changed(&mut tx, id).await?;
    tx.commit().await?;
    state.content.advance(shown);
    get(state, principal, id).await
}

/// Submits the working draft for moderation.
///
/// # Errors
/// 409 `invalid_transition` or `version_conflict`; 422 when the draft lacks a summary or body.
#[instrument(skip_all, fields(user_id = %principal.user_id, campaign_id = %id))]
pub async fn submit(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    version: i32,
) -> AppResult<CampaignView> {
    let (_, relation) = load(state, principal, id).await?;
    if relation.is_member() {
        let draft = db::campaigns::content(&state.db, id, crate::domain::ContentKind::Draft)
            .await?
            .ok_or_else(|| anyhow::anyhow!("campaign {id} has no draft"))?;
        let mut missing = Vec::new();
        if draft.summary.trim().is_empty() {
            missing.push(FieldError::new(
                "summary",
                Invalid::required("write a summary before submitting"),
            ));
        }
        if draft.body.trim().is_empty() {
            missing.push(FieldError::new(
                "body",
                Invalid::required("write the campaign before submitting"),
            ));
        }
        for (n, item) in db::media::for_campaign(&state.db, id)
            .await?
            .iter()
            .enumerate()
        {
            if item.status == MediaStatus::Processing {
                return Err(AppError::conflict(
                    "media_processing",
                    "wait until every photo has been processed",
                ));
            }
            if item.status == MediaStatus::Ready && item.alt_text.trim().is_empty() {
                missing.push(FieldError::new(
                    format!("media.{n}.alt_text"),
                    Invalid::required("describe this photo for people who cannot see it"),
                ));
            }
            if item.status == MediaStatus::Ready && !item.consent_confirmed {
                missing.push(FieldError::new(
                    format!("media.{n}.consent_confirmed"),
                    Invalid::required("confirm that everyone recognisable agreed to be shown"),
                ));
            }
        }
        if !missing.is_empty() {
            return Err(AppError::Validation(missing));
        }
    }
    team_transition(
        state,
        principal,
        id,
        Some(version),
        |_| Transition::Submit,
        CampaignEvent::Submitted,
    )
    .await
}

/// Takes a submission back: to `draft`, or to `approved` when a version is public.
///
/// # Errors
/// 409 `invalid_transition` or `version_conflict`.
#[instrument(skip_all, fields(user_id = %principal.user_id, campaign_id = %id))]
pub async fn withdraw(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    version: Option<i32>,
) -> AppResult<CampaignView> {
    team_transition(
        state,
        principal,
        id,
        version,
        |c| Transition::Withdraw {
            published: c.published_at.is_some(),
        },
        CampaignEvent::Withdrawn,
    )
    .await
}
