//! Verification: a facilitator of the campaign's programme (or its city's
//! admin) looks at the evidence and verifies a report, perhaps for fewer
//! people than reported, or declines it with a note. The decision is final,
//! recorded in the audit trail and told to the team in their language.

use crate::domain::Invalid;
use chrono::{DateTime, Utc};
use tracing::instrument;
use uuid::Uuid;

use super::{flags_of, state_of, ReachView, StoredFlag};
use crate::{
    db::{self, media::MediaRow, moderation::AuditEntry, reach::QueueRow},
    domain::{AuditAction, ContentKind, ModerationNote, ReachStatus},
    error::{AppError, AppResult},
    service::{
        notify,
        pagination::{page_size, paginate, rows_to_fetch, Page},
        permissions::{self, CampaignRelation, Roles},
        stats::rollup::{self, ReachState},
        Principal,
    },
    state::AppState,
};

/// A report waiting in the verification queue.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub row: QueueRow,
    pub flags: Vec<StoredFlag>,
    /// The report's evidence photos.
    pub evidence: Vec<MediaRow>,
}

/// Reports in the caller's programmes with `status`, oldest first.
///
/// # Errors
/// 403 unless the caller moderates the programme (or, without one, somewhere);
/// 404 for an unknown programme.
pub async fn queue(
    state: &AppState,
    principal: Principal,
    programme_id: Option<Uuid>,
    status: ReachStatus,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u32,
) -> AppResult<Page<QueueItem>> {
    let roles = Roles::load(state, principal.user_id).await?;
    if let Some(id) = programme_id {
        let programme = crate::service::programmes::get(state, id).await?;
        permissions::require_moderator(&roles, programme.id, programme.city_id)?;
    } else {
        permissions::require_moderator_anywhere(&roles)?;
    }
    let size = page_size(limit);
    let rows = db::reach::queue(
        &state.db,
        principal.user_id,
        programme_id,
        status,
        after,
        rows_to_fetch(size),
    )
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.report.id).collect();
    let evidence = db::evidence::for_reports(&state.db, &ids).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let flags = flags_of(&row.report)?;
        let evidence = evidence
            .iter()
            .filter(|m| m.reach_report_id == Some(row.report.id))
            .cloned()
            .collect();
        items.push(QueueItem {
            row,
            flags,
            evidence,
        });
    }
    Ok(paginate(items, size, |i: &QueueItem| {
        (i.row.report.created_at, i.row.report.id)
    }))
}

/// Verifies (`people_verified` defaults to the reported number) or declines a report.
///
/// # Errors
/// 404 unless the caller moderates its programme; 409 `own_campaign` for a
/// member of the team, `reach_decided` when decided already; 422 for a
/// verified number above the reported one, or a decline without a note.
#[instrument(skip_all, fields(user_id = %principal.user_id, reach_id = %id))]
pub async fn verify(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    verified: bool,
    note: ModerationNote,
    people_verified: Option<i32>,
) -> AppResult<ReachView> {
    let row = db::reach::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("reach report"))?;
    let campaign = db::campaigns::by_id(&state.db, row.campaign_id)
        .await?
        .ok_or(AppError::NotFound("reach report"))?;
    let relation = CampaignRelation::of(state, principal.user_id, &campaign).await?;
    permissions::require_moderator_of(relation, "reach report")?;
    let note = Some(note.into_inner()).filter(|n| !n.is_empty());
    let people = if verified {
        let n = people_verified.unwrap_or(row.people_reached);
        if !(0..=row.people_reached).contains(&n) {
            return Err(AppError::validation(
                "people_verified",
                Invalid::range(
                    0,
                    i64::from(row.people_reached),
                    "from 0 up to the number reported",
                ),
            ));
        }
        Some(n)
    } else {
        if note.is_none() {
            return Err(AppError::validation(
                "note",
                Invalid::required("tell the team why the report is not verified"),
            ));
        }
        None
    };
    let status = if verified {
        ReachStatus::Verified
    } else {
        ReachStatus::Declined
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(locked) = db::reach::lock(&mut tx, id).await? else {
        return Err(AppError::NotFound("reach report"));
    };
    if !db::reach::decide(
        &mut tx,
        id,
        status,
        people,
        note.as_deref(),
        principal.user_id,
        now,
    )
    .await?
    {
        return Err(AppError::conflict(
            "reach_decided",
            format!("this report is {} already", locked.status.as_str()),
        ));
    }
    crate::stop_point::reached("reach.decided").await;
    let after = ReachState {
        status,
        verified: people,
        ..state_of(&locked)
    };
    rollup::reach(
        &mut tx,
        locked.programme_id,
        Some(state_of(&locked)),
        Some(after),
    )
    .await?;
    record(
        state,
        &mut tx,
        &campaign,
        &locked,
        people,
        note.as_deref(),
        principal.user_id,
    )
    .await?;
    // Public pages show verified reach.
    let shown = crate::service::gallery::index::shown_changed(&mut tx).await?;
    tx.commit().await?;
    state.content.advance(shown);
    let row = db::reach::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("reach report"))?;
    ReachView::load(state, row, false).await
}

/// The decision's audit entry and the team's mail, in the decision's transaction.
async fn record(
    state: &AppState,
    tx: &mut db::Tx,
    campaign: &db::campaigns::CampaignRow,
    locked: &db::reach::ReachRow,
    people: Option<i32>,
    note: Option<&str>,
    actor: Uuid,
) -> AppResult<()> {
    let now = state.clock.now();
    let verified = people.is_some();
    let id = locked.id;
    let title = db::campaigns::content(&state.db, campaign.id, ContentKind::Published)
        .await?
        .map_or_else(|| campaign.slug.clone(), |c| c.title);
    let entry = AuditEntry {
        campaign_id: campaign.id,
        programme_id: campaign.programme_id,
        city_id: campaign.city_id,
        actor_id: actor,
        action: if verified {
            AuditAction::VerifyReach
        } else {
            AuditAction::DeclineReach
        },
        from_status: campaign.status,
        to_status: campaign.status,
        campaign_version: campaign.version,
        title: &title,
        changed_fields: &[],
        reason: note,
        report_id: None,
        reach_report_id: Some(id),
        people_verified: people,
    };
    db::moderation::append_audit(tx, &entry, now).await?;
    notify::reach_decision(
        state,
        tx,
        campaign,
        &title,
        (locked.people_reached, people),
        note,
        now,
    )
    .await?;
    Ok(())
}
