//! Campaigns: a team writes a working draft, submits it, and sees what
//! happened. What the public sees is the published version, which only an
//! approval (the moderation work) replaces.

mod lifecycle;

pub use lifecycle::{submit, withdraw};

use crate::domain::{FieldCode, Invalid};
use chrono::NaiveDate;
use rand::{rngs::OsRng, Rng};
use tracing::instrument;
use uuid::Uuid;

use super::{
    permissions::{self, CampaignRelation},
    teams, Principal,
};
use crate::{
    db::{
        self,
        campaigns::{CampaignRow, Content, Event, EventRow, NewRecord, SummaryRow},
    },
    domain::{
        slugify, CampaignBody, CampaignEvent, CampaignStatus, CampaignSummary, CampaignTitle,
        Hashtag, ShortText, Theme,
    },
    error::{AppError, AppResult},
    state::AppState,
};

/// The fields of a new campaign, already parsed.
pub struct NewCampaign {
    pub title: CampaignTitle,
    pub summary: CampaignSummary,
    pub body: CampaignBody,
    pub theme: Theme,
    pub hashtag: Option<Hashtag>,
    pub audience: Option<ShortText>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub location: Option<ShortText>,
}

/// A change to the working draft; `None` keeps a field, `Some(None)` clears an optional one.
#[derive(Default)]
pub struct DraftChange {
    pub title: Option<CampaignTitle>,
    pub summary: Option<CampaignSummary>,
    pub body: Option<CampaignBody>,
    pub theme: Option<Theme>,
    pub hashtag: Option<Option<Hashtag>>,
    pub audience: Option<Option<ShortText>>,
    pub starts_on: Option<Option<NaiveDate>>,
    pub ends_on: Option<Option<NaiveDate>>,
    pub location: Option<Option<ShortText>>,
}

/// A campaign as its team or a facilitator sees it.
pub struct CampaignView {
    pub campaign: CampaignRow,
    pub status: CampaignStatus,
    pub draft: Content,
    pub published: Option<Content>,
    pub feedback: Option<String>,
    /// Whether the caller may edit it (a team member).
    pub editable_by_me: bool,
    pub media: Vec<db::media::MediaRow>,
    pub rendition_widths: Vec<u32>,
}

fn not_found() -> AppError {
    AppError::NotFound("campaign")
}

pub(super) fn version_conflict() -> AppError {
    AppError::conflict(
        "version_conflict",
        "someone changed this campaign since you loaded it; reload and try again",
    )
}

fn check_dates(starts_on: Option<NaiveDate>, ends_on: Option<NaiveDate>) -> AppResult<()> {
    if let (Some(start), Some(end)) = (starts_on, ends_on) {
        if end < start {
            return Err(AppError::validation(
                "ends_on",
                Invalid::new(
                    FieldCode::OutOfRange,
                    "the campaign cannot end before it starts",
                ),
            ));
        }
    }
    Ok(())
}

/// Loads a campaign the caller may see. To anyone outside its team and the
/// programme's facilitators, a campaign does not exist (404, never 403).
///
/// # Errors
/// 404 `not_found` for anyone else.
pub async fn load(
    state: &AppState,
    principal: Principal,
    id: Uuid,
) -> AppResult<(CampaignRow, CampaignRelation)> {
    let campaign = db::campaigns::by_id(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    let relation = CampaignRelation::of(state, principal.user_id, &campaign).await?;
    if relation.sees() {
        Ok((campaign, relation))
    } else {
        Err(not_found())
    }
}

async fn view(
    state: &AppState,
    campaign: CampaignRow,
    relation: CampaignRelation,
) -> AppResult<CampaignView> {
    let draft = db::campaigns::content(&state.db, campaign.id, crate::domain::ContentKind::Draft)
        .await?
        .ok_or_else(|| anyhow::anyhow!("campaign {} has no draft", campaign.id))?;
    let published = db::campaigns::content(
        &state.db,
        campaign.id,
        crate::domain::ContentKind::Published,
    )
    .await?;
    let feedback = db::campaigns::latest_feedback(&state.db, campaign.id).await?;
    let status = campaign.status;
    let media = db::media::for_campaign(&state.db, campaign.id).await?;
    Ok(CampaignView {
        media,
        rendition_widths: state.config.media.rendition_widths.clone(),
        editable_by_me: relation.is_member() && status.editable(),
        status,
        campaign,
        draft,
        published,
        feedback,
    })
}

/// # Errors
/// 404 unless the caller is in the team or facilitates its programme.
pub async fn get(state: &AppState, principal: Principal, id: Uuid) -> AppResult<CampaignView> {
    let (campaign, relation) = load(state, principal, id).await?;
    view(state, campaign, relation).await
}

fn random_suffix() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = OsRng;
    (0..4)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

/// Starts a campaign for a team, as a draft.
///
/// # Errors
/// 404 unless the caller is in the team; 409 `too_many_open_campaigns`;
/// 422 for bad dates.
#[instrument(skip_all, fields(user_id = %principal.user_id, team_id = %team_id))]
pub async fn create(
    state: &AppState,
    principal: Principal,
    team_id: Uuid,
    new: NewCampaign,
) -> AppResult<CampaignView> {
    let (team, role) = teams::visible(state, principal, team_id).await?;
    permissions::require_team_member(role)?;
    check_dates(new.starts_on, new.ends_on)?;
    let content = Content {
        title: new.title.into_inner(),
        summary: new.summary.into_inner(),
        body: new.body.into_inner(),
        theme: new.theme,
        hashtag: new.hashtag.map(|h| h.as_str().to_owned()),
        audience: new
            .audience
            .map(ShortText::into_inner)
            .filter(|s| !s.is_empty()),
        starts_on: new.starts_on,
        ends_on: new.ends_on,
        location: new
            .location
            .map(ShortText::into_inner)
            .filter(|s| !s.is_empty()),
    };
    let now = state.clock.now();
    let id = Uuid::now_v7();
    let base = slugify(&content.title);
    let open: Vec<CampaignStatus> = CampaignStatus::ALL
        .iter()
        .copied()
        .filter(|s| s.open())
        .collect();
    let limit = state.config.teams.max_open_campaigns;
    for _ in 0..5 {
        let slug = format!("{base}-{}", random_suffix());
        let mut tx = state.db.begin().await?;
        db::campaigns::lock_team(&mut tx, team.id).await?;
        if db::campaigns::count_for_team(&mut tx, team.id, &open).await? >= i64::from(limit) {
            return Err(AppError::conflict(
                "too_many_open_campaigns",
                format!(
                    "a team has at most {limit} campaigns in the works at once: \
                     submit or finish one first"
                ),
            ));
        }
        let record = NewRecord {
            id,
            team_id: team.id,
            programme_id: team.programme_id,
            slug: &slug,
            author: principal.user_id,
        };
        if db::campaigns::insert(&mut tx, &record, &content, now).await? {
            let event = Event {
                actor: Some(principal.user_id),
                action: CampaignEvent::Created,
                from: None,
                to: CampaignStatus::Draft,
                note: None,
            };
            db::campaigns::add_event(&mut tx, id, &event, now).await?;
            tx.commit().await?;
            return get(state, principal, id).await;
        }
    }
    Err(anyhow::anyhow!("could not find a free slug").into())
}

fn merge(current: Content, change: DraftChange) -> Content {
    Content {
        title: change
            .title
            .map_or(current.title, CampaignTitle::into_inner),
        summary: change
            .summary
            .map_or(current.summary, CampaignSummary::into_inner),
        body: change.body.map_or(current.body, CampaignBody::into_inner),
        theme: change.theme.unwrap_or(current.theme),
        hashtag: change
            .hashtag
            .map_or(current.hashtag, |h| h.map(|h| h.as_str().to_owned())),
        audience: change.audience.map_or(current.audience, |a| {
            a.map(ShortText::into_inner).filter(|s| !s.is_empty())
        }),
        starts_on: change.starts_on.unwrap_or(current.starts_on),
        ends_on: change.ends_on.unwrap_or(current.ends_on),
        location: change.location.map_or(current.location, |l| {
            l.map(ShortText::into_inner).filter(|s| !s.is_empty())
        }),
    }
}

/// The statuses in which a team may edit its draft.
fn editable_statuses() -> Vec<CampaignStatus> {
    CampaignStatus::ALL
        .iter()
        .copied()
        .filter(|s| s.editable())
        .collect()
}

/// Edits the working draft, if `version` is still current. Editing an
/// approved campaign leaves its published version untouched.
///
/// # Errors
/// 404 unless visible; 403 for a facilitator; 409 `version_conflict` or `not_editable`; 422.
#[instrument(skip_all, fields(user_id = %principal.user_id, campaign_id = %id))]
pub async fn update(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    version: i32,
    change: DraftChange,
) -> AppResult<CampaignView> {
    let (_, relation) = load(state, principal, id).await?;
    permissions::require_campaign_author(relation)?;
    let current = db::campaigns::content(&state.db, id, crate::domain::ContentKind::Draft)
        .await?
        .ok_or_else(|| anyhow::anyhow!("campaign {id} has no draft"))?;
    let merged = merge(current, change);
    check_dates(merged.starts_on, merged.ends_on)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(_) =
        db::campaigns::bump_version(&mut tx, id, version, &editable_statuses(), now).await?
    else {
        drop(tx);
        let fresh = db::campaigns::by_id(&state.db, id)
            .await?
            .ok_or_else(not_found)?;
        return Err(if fresh.status.editable() {
            version_conflict()
        } else {
            AppError::conflict(
                "not_editable",
                "a submitted, rejected or archived campaign cannot be edited",
            )
        });
    };
    db::campaigns::save_draft(&mut tx, id, &merged, principal.user_id, now).await?;
    tx.commit().await?;
    get(state, principal, id).await
}

/// What happened to a campaign, oldest first.
///
/// # Errors
/// 404 unless visible.
pub async fn history(state: &AppState, principal: Principal, id: Uuid) -> AppResult<Vec<EventRow>> {
    let (campaign, _) = load(state, principal, id).await?;
    Ok(db::campaigns::events(&state.db, campaign.id).await?)
}

/// A team's campaigns, newest change first.
///
/// # Errors
/// 404 unless the caller may see the team.
pub async fn for_team(
    state: &AppState,
    principal: Principal,
    team_id: Uuid,
) -> AppResult<Vec<SummaryRow>> {
    let (team, _) = teams::visible(state, principal, team_id).await?;
    Ok(db::campaigns::for_team(&state.db, team.id).await?)
}
