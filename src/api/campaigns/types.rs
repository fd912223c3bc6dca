//! What the campaign endpoints take and give.

use chrono::NaiveDate;
use poem_openapi::{payload::Json, types::MaybeUndefined, ApiResponse, Object};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    db::campaigns::{Content, EventRow, SummaryRow},
    domain::{rich_text, CampaignEvent, CampaignStatus, Theme},
    service::campaigns::CampaignView,
};

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
    pub media: Vec<crate::api::media::Media>,
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

pub(super) fn content(c: Content) -> CampaignContent {
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
                .map(|m| crate::api::media::to_dto(m, &view.rendition_widths))
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

pub(super) fn list_item(row: SummaryRow) -> CampaignListItem {
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
