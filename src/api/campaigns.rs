//! Campaigns: the team's working draft, submission, and history.

use chrono::NaiveDate;
use poem_openapi::{
    param::Path, payload::Json, types::MaybeUndefined, ApiResponse, Object, OpenApi,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{auth_guard::Auth, check::Check, json::JsonBody, ApiTags};
use crate::{
    db::campaigns::{Content, EventRow, SummaryRow},
    domain::{
        rich_text, CampaignBody, CampaignEvent, CampaignStatus, CampaignSummary, CampaignTitle,
        Hashtag, ShortText, Theme,
    },
    error::AppError,
    service::campaigns::{self, CampaignView, DraftChange, NewCampaign},
    state::AppState,
};

pub struct CampaignsApi {
    pub state: AppState,
}

/// What a campaign says: its working draft or its published version.
#[derive(Debug, Object)]
pub struct CampaignContent {
    pub title: String,
    pub summary: String,
    /// As written, in the light text format (paragraphs, `- ` lists, links).
    pub body: String,
    /// The body rendered to safe HTML.
    pub body_html: String,
    pub theme: Theme,
    /// Without the `#`.
    #[oai(nullable)]
    pub hashtag: Option<String>,
    #[oai(nullable)]
    pub audience: Option<String>,
    #[oai(nullable)]
    pub starts_on: Option<NaiveDate>,
    #[oai(nullable)]
    pub ends_on: Option<NaiveDate>,
    #[oai(nullable)]
    pub location: Option<String>,
}

/// A campaign, as its team and facilitators see it.
#[derive(Debug, Object)]
pub struct Campaign {
    pub id: Uuid,
    /// Stable, unique, made from the first title.
    pub slug: String,
    pub status: CampaignStatus,
    /// Pass it back with every change; a stale one gets 409 `version_conflict`.
    pub version: i32,
    pub team_id: Uuid,
    pub team_name: String,
    pub programme_id: Uuid,
    /// The working draft the team edits.
    pub draft: CampaignContent,
    /// What the public sees; null until a version is approved.
    #[oai(nullable)]
    pub published: Option<CampaignContent>,
    /// Whether the draft differs from the published version.
    pub has_unpublished_changes: bool,
    /// Photos, in order.
    pub media: Vec<super::media::Media>,
    /// The latest feedback from a facilitator.
    #[oai(nullable)]
    pub feedback: Option<String>,
    /// Whether the caller may edit the draft now.
    pub editable: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    #[oai(nullable)]
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    #[oai(nullable)]
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A campaign in its team's list.
#[derive(Debug, Object)]
pub struct CampaignListItem {
    pub id: Uuid,
    pub slug: String,
    pub status: CampaignStatus,
    pub version: i32,
    pub title: String,
    pub theme: Theme,
    #[oai(nullable)]
    pub feedback: Option<String>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    #[oai(nullable)]
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// One step in a campaign's history.
#[derive(Debug, Object)]
pub struct HistoryEntry {
    pub action: CampaignEvent,
    #[oai(nullable)]
    pub from_status: Option<CampaignStatus>,
    pub to_status: CampaignStatus,
    /// Feedback or a reason, when one was given.
    #[oai(nullable)]
    pub note: Option<String>,
    /// Who did it; null for a former member.
    #[oai(nullable)]
    pub actor: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A new campaign.
#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct CreateCampaignRequest {
    /// 1 to 120 characters.
    #[oai(validator(
        max_length = 120,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub title: String,
    /// Up to 300 characters; needed before submitting.
    #[oai(validator(
        max_length = 300,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub summary: String,
    /// Up to 10,000 characters; needed before submitting.
    #[oai(validator(
        max_length = 10000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub body: String,
    pub theme: Theme,
    /// 2 to 50 letters, digits or `_`, with or without `#`.
    #[oai(nullable)]
    #[oai(validator(
        pattern = "^[\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(#*[0-9A-Za-z_\\xc0-\\xd6\\xd8-\\xf6\\xf8-\\u012f\\u0131-\\u017f]{2,50}[\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*)?$"
    ))]
    pub hashtag: Option<String>,
    /// Up to 200 characters.
    #[oai(nullable)]
    #[oai(validator(max_length = 200, pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*$"))]
    pub audience: Option<String>,
    #[oai(nullable)]
    pub starts_on: Option<NaiveDate>,
    #[oai(nullable)]
    pub ends_on: Option<NaiveDate>,
    /// Up to 200 characters.
    #[oai(nullable)]
    #[oai(validator(max_length = 200, pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*$"))]
    pub location: Option<String>,
}

/// A change to the working draft; absent fields stay, `null` clears an optional one.
#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct UpdateCampaignRequest {
    /// The version this change is based on.
    pub version: i32,
    #[oai(nullable)]
    #[oai(validator(
        max_length = 120,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub title: Option<String>,
    #[oai(nullable)]
    #[oai(validator(
        max_length = 300,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub summary: Option<String>,
    #[oai(nullable)]
    #[oai(validator(
        max_length = 10000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub body: Option<String>,
    #[oai(nullable)]
    pub theme: Option<Theme>,
    #[serde(default)]
    #[oai(nullable)]
    #[oai(validator(
        pattern = "^[\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(#*[0-9A-Za-z_\\xc0-\\xd6\\xd8-\\xf6\\xf8-\\u012f\\u0131-\\u017f]{2,50}[\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*)?$"
    ))]
    pub hashtag: MaybeUndefined<String>,
    #[serde(default)]
    #[oai(nullable)]
    #[oai(validator(max_length = 200, pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*$"))]
    pub audience: MaybeUndefined<String>,
    #[serde(default)]
    #[oai(nullable)]
    pub starts_on: MaybeUndefined<NaiveDate>,
    #[serde(default)]
    #[oai(nullable)]
    pub ends_on: MaybeUndefined<NaiveDate>,
    #[serde(default)]
    #[oai(nullable)]
    #[oai(validator(max_length = 200, pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*$"))]
    pub location: MaybeUndefined<String>,
}

#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct VersionRequest {
    /// The version being submitted.
    pub version: i32,
}

#[derive(ApiResponse)]
pub enum CampaignCreated {
    /// The campaign, as a draft.
    #[oai(status = 201)]
    Created(Json<Campaign>),
}

fn content(c: Content) -> CampaignContent {
    CampaignContent {
        body_html: rich_text::render(&c.body),
        theme: c.theme,
        title: c.title,
        summary: c.summary,
        body: c.body,
        hashtag: c.hashtag,
        audience: c.audience,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        location: c.location,
    }
}

impl From<CampaignView> for Campaign {
    fn from(view: CampaignView) -> Self {
        let c = view.campaign;
        let has_unpublished_changes = view.published.as_ref().is_some_and(|p| *p != view.draft);
        Self {
            id: c.id,
            slug: c.slug,
            status: view.status,
            version: c.version,
            team_id: c.team_id,
            team_name: c.team_name,
            programme_id: c.programme_id,
            draft: content(view.draft),
            published: view.published.map(content),
            has_unpublished_changes,
            media: view
                .media
                .into_iter()
                .map(|m| super::media::to_dto(m, &view.rendition_widths))
                .collect(),
            feedback: view.feedback,
            editable: view.editable_by_me,
            created_at: c.created_at,
            updated_at: c.updated_at,
            submitted_at: c.submitted_at,
            published_at: c.published_at,
        }
    }
}

impl From<EventRow> for HistoryEntry {
    fn from(e: EventRow) -> Self {
        Self {
            action: e.action,
            from_status: e.from_status,
            to_status: e.to_status,
            note: e.note,
            actor: if e.actor_deleted { None } else { e.actor_name },
            at: e.created_at,
        }
    }
}

fn list_item(row: SummaryRow) -> CampaignListItem {
    CampaignListItem {
        id: row.id,
        slug: row.slug,
        status: row.status,
        version: row.version,
        title: row.title,
        theme: row.theme,
        feedback: row.feedback,
        updated_at: row.updated_at,
        published_at: row.published_at,
    }
}

/// Absent (keep), cleared (`null` or blank) or set: three states, so `Option<Option<_>>`.
#[allow(clippy::option_option)]
fn optional_text<T>(
    check: &mut Check,
    field: &str,
    value: MaybeUndefined<String>,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) if v.trim().is_empty() => Some(None),
        MaybeUndefined::Value(v) => check.field(field, parse(&v)).map(Some),
    }
}

#[allow(clippy::option_option)]
fn optional_date(value: MaybeUndefined<NaiveDate>) -> Option<Option<NaiveDate>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

#[OpenApi(tag = "ApiTags::Campaigns")]
impl CampaignsApi {
    /// Start a campaign
    ///
    /// Team members only; the campaign starts as a `draft`.
    #[oai(
        path = "/teams/:id/campaigns",
        method = "post",
        operation_id = "createCampaign"
    )]
    async fn create(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: JsonBody<CreateCampaignRequest>,
    ) -> Result<CampaignCreated, AppError> {
        let b = body.0;
        let mut check = Check::default();
        let title = check.field("title", CampaignTitle::parse(&b.title));
        let summary = check.field("summary", CampaignSummary::parse(&b.summary));
        let text = check.field("body", CampaignBody::parse(&b.body));
        let hashtag = check.optional("hashtag", b.hashtag.filter(|h| !h.trim().is_empty()), |h| {
            Hashtag::parse(&h)
        });
        let audience = check.optional("audience", b.audience, |a| ShortText::parse(&a));
        let location = check.optional("location", b.location, |l| ShortText::parse(&l));
        let (Some(title), Some(summary), Some(text), true) = (title, summary, text, check.is_ok())
        else {
            return Err(check.into_error());
        };
        let new = NewCampaign {
            title,
            summary,
            body: text,
            theme: b.theme,
            hashtag,
            audience,
            starts_on: b.starts_on,
            ends_on: b.ends_on,
            location,
        };
        let view = campaigns::create(&self.state, auth.principal(), id.0, new).await?;
        Ok(CampaignCreated::Created(Json(view.into())))
    }

    /// List a team's campaigns
    ///
    /// Newest change first, with status and the latest feedback.
    #[oai(
        path = "/teams/:id/campaigns",
        method = "get",
        operation_id = "listTeamCampaigns"
    )]
    async fn list(
        &self,
        auth: Auth,
        id: Path<Uuid>,
    ) -> Result<Json<Vec<CampaignListItem>>, AppError> {
        let rows = campaigns::for_team(&self.state, auth.principal(), id.0).await?;
        Ok(Json(rows.into_iter().map(list_item).collect()))
    }

    /// Get a campaign
    ///
    /// Its team and the programme's facilitators; to anyone else a campaign
    /// does not exist here (404). Published campaigns are public elsewhere.
    #[oai(path = "/campaigns/:id", method = "get", operation_id = "getCampaign")]
    async fn get(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<Campaign>, AppError> {
        Ok(Json(
            campaigns::get(&self.state, auth.principal(), id.0)
                .await?
                .into(),
        ))
    }

    /// Edit the working draft
    ///
    /// Team members, in `draft`, `changes_requested` or `approved` (409
    /// `not_editable` otherwise). Editing an approved campaign never changes
    /// what the public sees until the edit is approved.
    #[oai(
        path = "/campaigns/:id",
        method = "patch",
        operation_id = "updateCampaign"
    )]
    async fn update(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: JsonBody<UpdateCampaignRequest>,
    ) -> Result<Json<Campaign>, AppError> {
        let b = body.0;
        let mut check = Check::default();
        let change = DraftChange {
            title: check.optional("title", b.title, |v| CampaignTitle::parse(&v)),
            summary: check.optional("summary", b.summary, |v| CampaignSummary::parse(&v)),
            body: check.optional("body", b.body, |v| CampaignBody::parse(&v)),
            theme: b.theme,
            hashtag: optional_text(&mut check, "hashtag", b.hashtag, |v| {
                Hashtag::parse(v).map_err(str::to_owned)
            }),
            audience: optional_text(&mut check, "audience", b.audience, ShortText::parse),
            starts_on: optional_date(b.starts_on),
            ends_on: optional_date(b.ends_on),
            location: optional_text(&mut check, "location", b.location, ShortText::parse),
        };
        if !check.is_ok() {
            return Err(check.into_error());
        }
        let view =
            campaigns::update(&self.state, auth.principal(), id.0, b.version, change).await?;
        Ok(Json(view.into()))
    }

    /// Submit for moderation
    #[oai(
        path = "/campaigns/:id/submit",
        method = "post",
        operation_id = "submitCampaign"
    )]
    async fn submit(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: JsonBody<VersionRequest>,
    ) -> Result<Json<Campaign>, AppError> {
        Ok(Json(
            campaigns::submit(&self.state, auth.principal(), id.0, body.0.version)
                .await?
                .into(),
        ))
    }

    /// Withdraw a submission
    ///
    /// Back to `draft`, or to `approved` when a version is already public.
    #[oai(
        path = "/campaigns/:id/withdraw",
        method = "post",
        operation_id = "withdrawCampaign"
    )]
    async fn withdraw(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<Campaign>, AppError> {
        Ok(Json(
            campaigns::withdraw(&self.state, auth.principal(), id.0, None)
                .await?
                .into(),
        ))
    }

    /// A campaign's history
    ///
    /// Every step, oldest first, with feedback and who took it.
    #[oai(
        path = "/campaigns/:id/history",
        method = "get",
        operation_id = "campaignHistory"
    )]
    async fn history(
        &self,
        auth: Auth,
        id: Path<Uuid>,
    ) -> Result<Json<Vec<HistoryEntry>>, AppError> {
        let rows = campaigns::history(&self.state, auth.principal(), id.0).await?;
        Ok(Json(rows.into_iter().map(HistoryEntry::from).collect()))
    }
}
