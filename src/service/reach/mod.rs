//! Reach reports: a team logs what its approved campaign achieved, and may
//! change or withdraw a report until a facilitator decides on it. A retried
//! create (same `Idempotency-Key` from the same person) returns the first
//! report and creates nothing.

mod evidence;
mod verify;

use crate::domain::{FieldCode, Invalid};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tracing::instrument;
use uuid::Uuid;

pub use evidence::upload as upload_evidence;
pub use verify::{queue, verify, QueueItem};

use super::{
    campaigns,
    moderation::screening_word_list,
    pagination::{page_size, paginate, rows_to_fetch, Page},
    permissions,
    stats::rollup::{self, ReachState},
    Principal,
};
use crate::{
    db::{
        self,
        campaigns::CampaignRow,
        media::MediaRow,
        reach::{NewReach, ReachChange, ReachRow},
    },
    domain::{prescreen, reach, CampaignStatus, ReachChannel, ReachDescription, ReachStatus},
    error::{AppError, AppResult, FieldError},
    state::AppState,
};

/// What the team says happened.
#[derive(Debug, Clone)]
pub struct ReachInput {
    pub channel: ReachChannel,
    pub people_reached: i32,
    pub occurred_on: NaiveDate,
    pub description: ReachDescription,
    pub evidence_url: Option<String>,
}

/// A pre-screen finding in a report's description, as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StoredFlag {
    /// `national_id`, `phone`, `email` or `word`.
    pub kind: String,
    pub excerpt: String,
    pub detail: Option<String>,
}

/// A report with what the caller may do with it.
#[derive(Debug, Clone)]
pub struct ReachView {
    pub row: ReachRow,
    /// The team may change or delete it (it is pending and the caller is in the team).
    pub editable: bool,
    /// Its evidence photos, in upload order.
    pub evidence: Vec<MediaRow>,
}

impl ReachView {
    /// The view of one report, with its evidence.
    pub(super) async fn load(state: &AppState, row: ReachRow, editable: bool) -> AppResult<Self> {
        let evidence = db::evidence::for_reports(&state.db, &[row.id]).await?;
        Ok(Self {
            row,
            editable,
            evidence,
        })
    }

    /// The views of a page of reports, their evidence read in one query.
    pub(super) async fn load_all(
        state: &AppState,
        rows: Vec<ReachRow>,
        editable: impl Fn(&ReachRow) -> bool,
    ) -> AppResult<Vec<Self>> {
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let mut evidence = db::evidence::for_reports(&state.db, &ids).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let (mine, rest) = evidence
                    .drain(..)
                    .partition(|m| m.reach_report_id == Some(row.id));
                evidence = rest;
                Self {
                    editable: editable(&row),
                    row,
                    evidence: mine,
                }
            })
            .collect())
    }
}

pub(super) fn flags_of(row: &ReachRow) -> AppResult<Vec<StoredFlag>> {
    serde_json::from_str(&row.flags)
        .map_err(|e| anyhow::anyhow!("reach report {} has unreadable flags: {e}", row.id).into())
}

fn state_of(row: &ReachRow) -> ReachState {
    ReachState {
        occurred_on: row.occurred_on,
        status: row.status,
        reached: row.people_reached,
        verified: row.people_verified,
    }
}

/// Checks the fields against the campaign; the evidence link normalised.
fn check(
    state: &AppState,
    campaign: &CampaignRow,
    input: &ReachInput,
) -> AppResult<Option<String>> {
    let mut errors = Vec::new();
    if !(1..=reach::MAX_PEOPLE).contains(&input.people_reached) {
        errors.push(FieldError::new(
            "people_reached",
            Invalid::range(
                1,
                i64::from(reach::MAX_PEOPLE),
                "a number from 1 to 1,000,000",
            ),
        ));
    }
    let today = campaign.country.local_date(state.clock.now());
    if input.occurred_on > today {
        errors.push(FieldError::new(
            "occurred_on",
            Invalid::new(FieldCode::InTheFuture, "this date is in the future"),
        ));
    }
    if let Some(first) = campaign.first_submitted_at {
        if input.occurred_on < campaign.country.local_date(first) {
            errors.push(FieldError::new(
                "occurred_on",
                Invalid::new(
                    FieldCode::OutOfRange,
                    "this date is before the campaign was first submitted",
                ),
            ));
        }
    }
    let url = match input.evidence_url.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => match reach::evidence_url(raw) {
            Ok(url) => Some(url),
            Err(message) => {
                errors.push(FieldError::new("evidence_url", message));
                None
            }
        },
    };
    if errors.is_empty() {
        Ok(url)
    } else {
        Err(AppError::Validation(errors))
    }
}

async fn screen(state: &AppState, campaign: &CampaignRow, text: &str) -> AppResult<String> {
    let programme = super::programmes::get(state, campaign.programme_id).await?;
    let words = screening_word_list(state, programme.locale);
    let flags: Vec<StoredFlag> = prescreen::screen(text, &words)
        .into_iter()
        .map(|f| StoredFlag {
            kind: match f.kind {
                prescreen::FlagKind::NationalId => "national_id",
                prescreen::FlagKind::Phone => "phone",
                prescreen::FlagKind::Email => "email",
                prescreen::FlagKind::Word => "word",
            }
            .to_owned(),
            excerpt: f.excerpt,
            detail: f.detail,
        })
        .collect();
    Ok(serde_json::to_string(&flags).map_err(anyhow::Error::from)?)
}

fn request_hash(input: &ReachInput, url: Option<&str>) -> Vec<u8> {
    let mut h = Sha256::new();
    for part in [
        input.channel.as_str(),
        &input.people_reached.to_string(),
        &input.occurred_on.to_string(),
        input.description.as_str(),
        url.unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.finalize().to_vec()
}

/// The campaign, for its team only, and only once it has been approved.
async fn team_campaign(
    state: &AppState,
    principal: Principal,
    campaign_id: Uuid,
) -> AppResult<CampaignRow> {
    let (campaign, relation) = campaigns::load(state, principal, campaign_id).await?;
    permissions::require_campaign_author(relation)?;
    if !matches!(
        campaign.status,
        CampaignStatus::Approved | CampaignStatus::Archived
    ) && campaign.published_at.is_none()
    {
        return Err(AppError::conflict(
            "campaign_not_approved",
            "reach can be logged once the campaign has been approved",
        ));
    }
    Ok(campaign)
}

/// Logs what a campaign achieved. With an idempotency key, a retry returns
/// the first report (`created` false).
///
/// # Errors
/// 404 unless the caller sees the campaign; 403 for a facilitator; 409
/// `campaign_not_approved`; 422 for bad fields or `idempotency_key_reused`
/// with a different report.
#[instrument(skip_all, fields(user_id = %principal.user_id, campaign_id = %campaign_id))]
pub async fn create(
    state: &AppState,
    principal: Principal,
    campaign_id: Uuid,
    input: ReachInput,
    idempotency_key: Option<&str>,
) -> AppResult<(ReachView, bool)> {
    let campaign = team_campaign(state, principal, campaign_id).await?;
    let url = check(state, &campaign, &input)?;
    let flags = screen(state, &campaign, input.description.as_str()).await?;
    let hash = request_hash(&input, url.as_deref());
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if let Some(key) = idempotency_key {
        if let Some(first) = db::reach::by_key(&mut tx, principal.user_id, key).await? {
            drop(tx);
            return replay(state, first, &hash).await;
        }
    }
    let new = NewReach {
        id: Uuid::now_v7(),
        campaign_id,
        programme_id: campaign.programme_id,
        team_id: campaign.team_id,
        author_id: principal.user_id,
        idempotency_key,
        request_hash: &hash,
        channel: input.channel,
        people_reached: input.people_reached,
        occurred_on: input.occurred_on,
        description: input.description.as_str(),
        evidence_url: url.as_deref(),
        flags: &flags,
    };
    if !db::reach::insert(&mut tx, &new, now).await? {
        // Another request with the same key got there first and has committed.
        let key = idempotency_key.unwrap_or_default();
        let first = db::reach::by_key(&mut tx, principal.user_id, key)
            .await?
            .ok_or_else(|| anyhow::anyhow!("idempotency key conflict without a report"))?;
        drop(tx);
        return replay(state, first, &hash).await;
    }
    let after = ReachState {
        occurred_on: new.occurred_on,
        status: ReachStatus::Pending,
        reached: new.people_reached,
        verified: None,
    };
    rollup::reach(&mut tx, campaign.programme_id, None, Some(after)).await?;
    tx.commit().await?;
    let row = db::reach::by_id(&state.db, new.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("reach report {} vanished", new.id))?;
    Ok((
        ReachView {
            row,
            editable: true,
            evidence: Vec::new(),
        },
        true,
    ))
}

async fn replay(state: &AppState, first: ReachRow, hash: &[u8]) -> AppResult<(ReachView, bool)> {
    if first.request_hash.as_deref() != Some(hash) {
        return Err(AppError::Validation(vec![FieldError::new(
            "Idempotency-Key",
            Invalid::not_allowed(
                "this key was used for a different report; make a new key for a new report",
            ),
        )]));
    }
    let editable = first.status == ReachStatus::Pending;
    Ok((ReachView::load(state, first, editable).await?, false))
}

/// A campaign's reports, newest first, for its team and its facilitators.
///
/// # Errors
/// 404 unless the caller sees the campaign.
pub async fn list(
    state: &AppState,
    principal: Principal,
    campaign_id: Uuid,
    before: Option<(chrono::DateTime<chrono::Utc>, Uuid)>,
    limit: u32,
) -> AppResult<Page<ReachView>> {
    let (_, relation) = campaigns::load(state, principal, campaign_id).await?;
    let size = page_size(limit);
    let rows = db::reach::for_campaign(&state.db, campaign_id, before, rows_to_fetch(size)).await?;
    let member = relation.is_member();
    let views = ReachView::load_all(state, rows, |row| {
        member && row.status == ReachStatus::Pending
    })
    .await?;
    Ok(paginate(views, size, |v: &ReachView| {
        (v.row.created_at, v.row.id)
    }))
}

/// A report and its campaign, for a member of the campaign's team.
pub(super) async fn own_report(
    state: &AppState,
    principal: Principal,
    id: Uuid,
) -> AppResult<(ReachRow, CampaignRow)> {
    let row = db::reach::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("reach report"))?;
    let (campaign, relation) = campaigns::load(state, principal, row.campaign_id)
        .await
        .map_err(|e| e.hidden_as("reach report"))?;
    permissions::require_campaign_author(relation)?;
    Ok((row, campaign))
}

/// A decided report is closed: its evidence stays as the facilitator saw it.
///
/// # Errors
/// 409 `reach_decided` once the report is verified or declined.
pub(crate) async fn require_open_evidence(state: &AppState, media: &MediaRow) -> AppResult<()> {
    let Some(report_id) = media.reach_report_id else {
        return Ok(());
    };
    match db::reach::by_id(&state.db, report_id).await? {
        Some(report) if report.status != ReachStatus::Pending => {
            Err(already_decided(report.status))
        }
        _ => Ok(()),
    }
}

pub(super) fn already_decided(status: ReachStatus) -> AppError {
    AppError::conflict(
        "reach_decided",
        format!(
            "this report is {} and can no longer be changed",
            status.as_str()
        ),
    )
}

/// Changes a pending report.
///
/// # Errors
/// 404 unless the caller sees it; 403 for a facilitator; 409 `reach_decided`; 422 for bad fields.
#[instrument(skip_all, fields(user_id = %principal.user_id, reach_id = %id))]
pub async fn update(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    change: impl FnOnce(&ReachRow) -> AppResult<ReachInput>,
) -> AppResult<ReachView> {
    let (row, campaign) = own_report(state, principal, id).await?;
    if row.status != ReachStatus::Pending {
        return Err(already_decided(row.status));
    }
    let input = change(&row)?;
    let url = check(state, &campaign, &input)?;
    let flags = screen(state, &campaign, input.description.as_str()).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(locked) = db::reach::lock(&mut tx, id).await? else {
        return Err(AppError::NotFound("reach report"));
    };
    if locked.status != ReachStatus::Pending {
        return Err(already_decided(locked.status));
    }
    let c = ReachChange {
        channel: input.channel,
        people_reached: input.people_reached,
        occurred_on: input.occurred_on,
        description: input.description.as_str(),
        evidence_url: url.as_deref(),
        flags: &flags,
    };
    db::reach::update(&mut tx, id, &c, now).await?;
    let after = ReachState {
        occurred_on: c.occurred_on,
        status: ReachStatus::Pending,
        reached: c.people_reached,
        verified: None,
    };
    rollup::reach(
        &mut tx,
        locked.programme_id,
        Some(state_of(&locked)),
        Some(after),
    )
    .await?;
    tx.commit().await?;
    let row = db::reach::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("reach report"))?;
    ReachView::load(state, row, true).await
}

/// Deletes a pending report.
///
/// # Errors
/// 404 unless the caller sees it; 403 for a facilitator; 409 `reach_decided`.
#[instrument(skip_all, fields(user_id = %principal.user_id, reach_id = %id))]
pub async fn delete(state: &AppState, principal: Principal, id: Uuid) -> AppResult<()> {
    own_report(state, principal, id).await?;
    let mut tx = state.db.begin().await?;
    let Some(locked) = db::reach::lock(&mut tx, id).await? else {
        return Err(AppError::NotFound("reach report"));
    };
    if locked.status != ReachStatus::Pending {
        return Err(already_decided(locked.status));
    }
    let photos = db::evidence::delete_for_report(&mut tx, id).await?;
    db::reach::delete(&mut tx, id).await?;
    rollup::reach(&mut tx, locked.programme_id, Some(state_of(&locked)), None).await?;
    tx.commit().await?;
    evidence::remove_files(state, &photos).await;
    Ok(())
}
