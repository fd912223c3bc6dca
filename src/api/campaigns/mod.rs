//! Campaigns: the team's working draft, submission, and history.

mod types;

use chrono::NaiveDate;
use poem_openapi::{param::Path, payload::Json, types::MaybeUndefined, OpenApi};
use uuid::Uuid;

use crate::domain::Invalid;

use super::{auth_guard::Auth, check::Check, json::JsonBody, ApiTags};
use crate::{
    domain::{CampaignBody, CampaignSummary, CampaignTitle, Hashtag, ShortText},
    error::AppError,
    service::campaigns::{self, DraftChange, NewCampaign},
    state::AppState,
};
use types::list_item;
pub use types::*;

pub struct CampaignsApi {
    pub state: AppState,
}

/// Absent (keep), cleared (`null` or blank) or set: three states, so `Option<Option<_>>`.
#[allow(clippy::option_option)]
fn optional_text<T>(
    check: &mut Check,
    field: &str,
    value: MaybeUndefined<String>,
    parse: impl FnOnce(&str) -> Result<T, Invalid>,
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
    /// Team members only; the campaign starts as a `draft`. A team has at
    /// most `teams.max_open_campaigns` (10) campaigns not yet decided on
    /// (drafts, submitted, with changes asked for): one more is 409
    /// `too_many_open_campaigns`.
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
            hashtag: optional_text(&mut check, "hashtag", b.hashtag, Hashtag::parse),
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
