//! Reports from the public about a published campaign, and what moderators
//! do with them: dismiss, or take the campaign down at once.

use crate::domain::Invalid;
use std::net::IpAddr;

use chrono::Duration;
use tracing::instrument;
use uuid::Uuid;

use super::{
    moderation::{require_moderator, revision, Record},
    notify,
    pagination::{page_size, paginate, rows_to_fetch, Page},
    permissions::{self, Roles},
    rate_limit::{self, Verdict},
    Principal,
};
use crate::{
    db::{
        self,
        reports::{NewReport, ReportRow},
    },
    domain::{
        AuditAction, ModerationNote, ReportAction, ReportDetails, ReportReason, ReportStatus,
        Transition,
    },
    error::{AppError, AppResult},
    mail::Decision,
    state::AppState,
};

/// Files a report on a public campaign. Nothing about the reporter is kept;
/// their address only counts, hashed, toward the hourly limit.
///
/// # Errors
/// 404 unless the campaign is public; 429 past the limit.
#[instrument(skip_all)]
pub async fn file(
    state: &AppState,
    slug: &str,
    reason: ReportReason,
    details: ReportDetails,
    client: IpAddr,
) -> AppResult<Uuid> {
    let campaign = db::reports::public_by_slug(&state.db, slug)
        .await?
        .ok_or(AppError::NotFound("campaign"))?;
    if let Verdict::Limited {
        retry_after_seconds,
    } = rate_limit::hit(
        state,
        "report_client",
        &client.to_string(),
        state.config.moderation.reports_per_client_per_hour,
        Duration::hours(1),
    )
    .await?
    {
        return Err(AppError::RateLimited {
            retry_after_seconds,
        });
    }
    let details = details.into_inner();
    if reason == ReportReason::Other && details.is_empty() {
        return Err(AppError::validation(
            "details",
            Invalid::required("tell us what is wrong with this campaign"),
        ));
    }
    let published = db::campaigns::content(
        &state.db,
        campaign.id,
        crate::domain::ContentKind::Published,
    )
    .await?
    .ok_or_else(|| anyhow::anyhow!("public campaign {} has no published version", campaign.id))?;
    let now = state.clock.now();
    let id = Uuid::now_v7();
    let mut tx = state.db.begin().await?;
    let report = NewReport {
        id,
        campaign_id: campaign.id,
        programme_id: campaign.programme_id,
        reason,
        details: &details,
    };
    db::reports::insert(&mut tx, &report, now).await?;
    if reason.urgent() {
        let report = notify::UrgentReport {
            campaign_id: campaign.id,
            programme_id: campaign.programme_id,
            title: &published.title,
            reason,
            details: &details,
        };
        notify::urgent_report(state, &mut tx, &report, now).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Reports in the programmes the caller moderates.
///
/// # Errors
/// 403 unless the caller moderates some programme (or the one named).
pub async fn list(
    state: &AppState,
    principal: Principal,
    status: ReportStatus,
    programme_id: Option<Uuid>,
    after: Option<Uuid>,
    limit: u32,
) -> AppResult<Page<ReportRow>> {
    require_moderator(state, principal, programme_id).await?;
    let limit = page_size(limit);
    let items = db::reports::list(
        &state.db,
        principal.user_id,
        status,
        programme_id,
        after,
        rows_to_fetch(limit),
    )
    .await?;
    Ok(paginate(items, limit, |r| (r.created_at, r.id)))
}

/// Dismisses a report, or takes its campaign off every public place at once
/// (closing the campaign's other open reports with it).
///
/// # Errors
/// 404 unless the caller moderates the report's programme; 409 `report_resolved`.
#[instrument(skip_all, fields(user_id = %principal.user_id, report_id = %id))]
pub async fn resolve(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    action: ReportAction,
    note: ModerationNote,
) -> AppResult<ReportRow> {
    let report = db::reports::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("report"))?;
    let roles = Roles::load(state, principal.user_id).await?;
    if !permissions::moderates(&roles, report.programme_id, report.city_id) {
        return Err(AppError::NotFound("report"));
    }
    let note = Some(note.into_inner()).filter(|n| !n.is_empty());
    if action == ReportAction::Unpublish && note.is_none() {
        return Err(AppError::validation(
            "note",
            Invalid::required("tell the team why their campaign was taken down"),
        ));
    }
    let campaign = db::campaigns::by_id(&state.db, report.campaign_id)
        .await?
        .ok_or(AppError::NotFound("campaign"))?;
    let revision = revision(state, campaign.id).await?;
    let status = campaign.status;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let resolved_as = match action {
        ReportAction::Dismiss => ReportStatus::Dismissed,
        ReportAction::Unpublish => ReportStatus::Unpublished,
    };
    if !db::reports::resolve(
        &mut tx,
        id,
        resolved_as,
        principal.user_id,
        note.as_deref(),
        now,
    )
    .await?
    {
        return Err(AppError::conflict(
            "report_resolved",
            "someone has already dealt with this report",
        ));
    }
    let mut to = status;
    if action == ReportAction::Unpublish {
        // The state machine says where a campaign taken down goes; either way
        // the public sees nothing until an approval.
        to = status.apply(Transition::Unpublish).unwrap_or(status);
        if to != status {
            db::campaigns::set_status(&mut tx, campaign.id, None, status, to, now).await?;
        }
        db::moderation::set_hidden(&mut tx, campaign.id, Some(now)).await?;
        db::reports::resolve_others(
            &mut tx,
            campaign.id,
            principal.user_id,
            note.as_deref(),
            now,
        )
        .await?;
    }
    let record = Record {
        campaign: &campaign,
        actor: principal.user_id,
        action: match action {
            ReportAction::Dismiss => AuditAction::DismissReport,
            ReportAction::Unpublish => AuditAction::Unpublish,
        },
        from: status,
        to,
        note: note.as_deref(),
        report_id: Some(id),
    };
    if action == ReportAction::Unpublish {
        record
            .write(&mut tx, &revision, campaign.version, now)
            .await?;
        notify::decision(
            state,
            &mut tx,
            campaign.id,
            Decision::Unpublished,
            revision.public_title(),
            note.as_deref(),
            now,
        )
        .await?;
    } else {
        record
            .audit_only(&mut tx, &revision, campaign.version, now)
            .await?;
    }
    super::stats::rollup::campaign(&mut tx, campaign.id).await?;
    let shown = crate::service::gallery::index::campaign_changed(&mut tx, campaign.id).await?;
    tx.commit().await?;
    state.content.advance(shown);
    db::reports::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("report"))
}
