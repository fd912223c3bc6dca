//! Decisions on submitted campaigns and archiving, each written with its
//! history entry, its audit entry and the team's notification in one
//! transaction, and taken on the version the moderator read.

use crate::domain::Invalid;
use chrono::{DateTime, Utc};
use tracing::instrument;
use uuid::Uuid;

use super::{moderated, revision, Revision};
use crate::{
    db::{
        self,
        campaigns::{CampaignRow, Event},
        moderation::AuditEntry,
    },
    domain::{AuditAction, CampaignStatus, ModerationNote, Transition, Verdict},
    error::{AppError, AppResult},
    mail::Decision,
    service::{
        campaigns, notify,
        permissions::{self, CampaignRelation},
        Principal,
    },
    state::AppState,
};

fn not_submitted(status: CampaignStatus) -> AppError {
    AppError::conflict(
        "not_submitted",
        format!(
            "this campaign is {} now, not waiting for a decision",
            status.as_str()
        ),
    )
}

/// Approves, requests changes or rejects a submitted campaign.
///
/// # Errors
/// 404 unless the caller moderates it; 422 `feedback` missing; 409
/// `own_campaign` for a member of its team, `not_submitted` or `version_conflict`.
#[instrument(skip_all, fields(user_id = %principal.user_id, campaign_id = %id))]
pub async fn decide(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    verdict: Verdict,
    feedback: ModerationNote,
    version: i32,
) -> AppResult<campaigns::CampaignView> {
    let campaign = db::campaigns::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("campaign"))?;
    let relation = CampaignRelation::of(state, principal.user_id, &campaign).await?;
    permissions::require_moderator_of(relation, "campaign")?;
    let feedback = Some(feedback.into_inner()).filter(|f| !f.is_empty());
    if verdict != Verdict::Approve && feedback.is_none() {
        return Err(AppError::validation(
            "feedback",
            Invalid::required("tell the team what to change, or why"),
        ));
    }
    let from = campaign.status;
    let Some(to) = from.apply(verdict.transition()) else {
        return Err(not_submitted(from));
    };
    let revision = revision(state, id).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(_) = db::campaigns::set_status(&mut tx, id, Some(version), from, to, now).await?
    else {
        drop(tx);
        return Err(conflict_after_race(state, id).await);
    };
    if verdict == Verdict::Approve {
        db::campaigns::publish_draft(&mut tx, id, now).await?;
    }
    crate::stop_point::reached("decision.status_written").await;
    let record = Record {
        campaign: &campaign,
        actor: principal.user_id,
        action: verdict.into(),
        from,
        to,
        note: feedback.as_deref(),
        report_id: None,
    };
    record.write(&mut tx, &revision, version, now).await?;
    notify::decision(
        state,
        &mut tx,
        id,
        verdict.into(),
        &revision.draft.title,
        feedback.as_deref(),
        now,
    )
    .await?;
    crate::service::stats::rollup::campaign(&mut tx, id).await?;
    let shown = crate::service::gallery::index::campaign_changed(&mut tx, id).await?;
    tx.commit().await?;
    state.content.advance(shown);
    campaigns::get(state, principal, id).await
}

/// After a conditional update matched nothing: either someone decided first
/// (the status moved) or the campaign changed since it was read.
async fn conflict_after_race(state: &AppState, id: Uuid) -> AppError {
    match db::campaigns::by_id(&state.db, id).await {
        Ok(Some(fresh)) => match fresh.status {
            CampaignStatus::Submitted => AppError::conflict(
                "version_conflict",
                "the campaign changed since you loaded it; reload and look again",
            ),
            status => not_submitted(status),
        },
        Ok(None) => AppError::NotFound("campaign"),
        Err(err) => err.into(),
    }
}

/// One decision, written to the team's history and the audit trail.
pub(crate) struct Record<'a> {
    pub campaign: &'a CampaignRow,
    pub actor: Uuid,
    pub action: AuditAction,
    pub from: CampaignStatus,
    pub to: CampaignStatus,
    pub note: Option<&'a str>,
    pub report_id: Option<Uuid>,
}

impl Record<'_> {
    /// Writes the team's history entry and the audit entry.
    pub(crate) async fn write(
        &self,
        tx: &mut db::Tx,
        revision: &Revision,
        version: i32,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        if let Some(action) = self.action.event() {
            let event = Event {
                actor: Some(self.actor),
                action,
                from: Some(self.from),
                to: self.to,
                note: self.note,
            };
            db::campaigns::add_event(tx, self.campaign.id, &event, now).await?;
        }
        self.audit_only(tx, revision, version, now).await
    }

    /// Writes only the audit entry (for what the team need not hear of).
    pub(crate) async fn audit_only(
        &self,
        tx: &mut db::Tx,
        revision: &Revision,
        version: i32,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let decides_on_draft = matches!(
            self.action,
            AuditAction::Approve | AuditAction::RequestChanges | AuditAction::Reject
        );
        let fields = if decides_on_draft {
            revision.changed_fields()
        } else {
            Vec::new()
        };
        let title = if decides_on_draft {
            revision.draft.title.as_str()
        } else {
            revision.public_title()
        };
        let entry = AuditEntry {
            campaign_id: self.campaign.id,
            programme_id: self.campaign.programme_id,
            city_id: self.campaign.city_id,
            actor_id: self.actor,
            action: self.action,
            from_status: self.from,
            to_status: self.to,
            campaign_version: version,
            title,
            changed_fields: &fields,
            reason: self.note,
            report_id: self.report_id,
            reach_report_id: None,
            people_verified: None,
        };
        db::moderation::append_audit(tx, &entry, now).await?;
        Ok(())
    }
}

/// Archives an approved campaign: it leaves every public place.
///
/// # Errors
/// 404 unless the caller moderates it; 422 without a reason; 409 unless approved.
#[instrument(skip_all, fields(user_id = %principal.user_id, campaign_id = %id))]
pub async fn archive(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    reason: ModerationNote,
) -> AppResult<campaigns::CampaignView> {
    let campaign = moderated(state, principal, id).await?;
    let reason = reason.into_inner();
    if reason.is_empty() {
        return Err(AppError::validation(
            "reason",
            Invalid::required("say why the campaign is archived"),
        ));
    }
    let from = campaign.status;
    let Some(to) = from.apply(Transition::Archive) else {
        return Err(AppError::conflict(
            "invalid_transition",
            format!("a campaign that is {} cannot be archived", from.as_str()),
        ));
    };
    let revision = revision(state, id).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(_) = db::campaigns::set_status(&mut tx, id, None, from, to, now).await? else {
        drop(tx);
        return Err(conflict_after_race(state, id).await);
    };
    let record = Record {
        campaign: &campaign,
        actor: principal.user_id,
        action: AuditAction::Archive,
        from,
        to,
        note: Some(&reason),
        report_id: None,
    };
    record
        .write(&mut tx, &revision, campaign.version, now)
        .await?;
    notify::decision(
        state,
        &mut tx,
        id,
        Decision::Archived,
        revision.public_title(),
        Some(&reason),
        now,
    )
    .await?;
    crate::service::stats::rollup::campaign(&mut tx, id).await?;
    let shown = crate::service::gallery::index::campaign_changed(&mut tx, id).await?;
    tx.commit().await?;
    state.content.advance(shown);
    campaigns::get(state, principal, id).await
}
