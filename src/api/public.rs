//! What anyone may see and do without an account: read a published campaign
//! and report it. Approved content only; never personal data.

use chrono::{DateTime, NaiveDate, Utc};
use poem::Request;
use poem_openapi::{param::Path, payload::Json, ApiResponse, Object, OpenApi};
use serde::Deserialize;
use uuid::Uuid;

use std::sync::Arc;

use super::{
    client::client_network,
    gallery::PublicCover,
    json::JsonBody,
    rendered::{answer, PublicResponse, RenderedJson, PUBLIC},
    ApiTags,
};
use crate::{
    domain::{rich_text, MediaKind, ReportDetails, ReportReason, Theme},
    error::AppError,
    service::{
        public, reports,
        stats::{cache::Rendered, views::Shown},
    },
    state::AppState,
};

pub struct PublicApi {
    pub state: AppState,
}

/// A published photo or video.
#[derive(Debug, Object)]
pub struct PublicMedia {
    pub kind: MediaKind,
    #[oai(nullable)]
    pub width: Option<i32>,
    #[oai(nullable)]
    pub height: Option<i32>,
    pub alt: String,
    #[oai(nullable)]
    pub blurhash: Option<String>,
    /// Public, cacheable addresses by name (`w320`, `w960`, `w1920`, `video`).
    pub urls: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Object)]
pub struct PublicPlace {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Object)]
pub struct PublicProgramme {
    pub id: Uuid,
    pub name: String,
}

/// A published campaign as the public sees it.
#[derive(Debug, Object)]
pub struct PublicCampaign {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// The body rendered to safe HTML.
    pub body_html: String,
    pub theme: Theme,
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
    pub team_name: String,
    pub city: PublicPlace,
    pub programme: PublicProgramme,
    pub published_at: DateTime<Utc>,
    /// Its first published photo.
    #[oai(nullable)]
    pub cover: Option<PublicCover>,
    /// People reached, as verified by facilitators.
    pub people_reached: i64,
    pub media: Vec<PublicMedia>,
}

/// Counts a view of the campaign in `shown` by the client of `req`.
pub fn count_view(state: &AppState, req: &Request, shown: &Shown) {
    let Some(&(id, country)) = shown.first() else {
        return;
    };
    let network = client_network(
        req,
        state.config.trust_forwarded_for,
        state.config.trusted_proxy_hops,
    );
    state.views.record(id, country, network, state.clock.now());
}

/// The public campaign as the API shows it.
#[must_use]
pub fn to_public(found: public::PublishedCampaign, widths: &[u32]) -> PublicCampaign {
    let cover = found
        .cover()
        .cloned()
        .map(|m| super::gallery::cover(m, widths));
    let (row, content) = (found.campaign, found.content);
    let media = found
        .media
        .into_iter()
        .map(|m| {
            let dto = super::media::to_dto(m, widths);
            PublicMedia {
                kind: dto.kind,
                width: dto.width,
                height: dto.height,
                alt: dto.alt_text,
                blurhash: dto.blurhash,
                urls: dto.urls,
            }
        })
        .collect();
    PublicCampaign {
        id: row.id,
        slug: row.slug,
        body_html: rich_text::render(&content.body),
        theme: content.theme,
        title: content.title,
        summary: content.summary,
        hashtag: content.hashtag,
        audience: content.audience,
        starts_on: content.starts_on,
        ends_on: content.ends_on,
        location: content.location,
        team_name: row.team_name,
        city: PublicPlace {
            slug: row.city_slug,
            name: row.city_name,
        },
        programme: PublicProgramme {
            id: row.programme_id,
            name: row.programme_name,
        },
        published_at: row.published_at,
        cover,
        people_reached: found.people_reached,
        media,
    }
}

#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct ReportRequest {
    pub reason: ReportReason,
    /// What is wrong; required for `other`. Up to 2000 characters. Please do
    /// not include your own name or contact details.
    #[oai(nullable)]
    #[oai(validator(
        max_length = 2000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub details: Option<String>,
}

#[derive(Debug, Object)]
pub struct ReportReceived {
    /// Always `received`: a moderator will look at it.
    pub status: String,
}

#[derive(ApiResponse)]
pub enum ReportAccepted {
    /// The report is with the campaign's moderators.
    #[oai(status = 202)]
    Accepted(Json<ReportReceived>),
}

#[OpenApi(prefix_path = "/public", tag = "ApiTags::Public")]
impl PublicApi {
    /// A published campaign
    ///
    /// Its approved content and published media. A campaign that is not
    /// public (never approved, taken down, archived) is 404.
    #[oai(
        path = "/campaigns/:slug",
        method = "get",
        operation_id = "publicCampaign"
    )]
    async fn campaign(
        &self,
        req: &Request,
        slug: Path<String>,
    ) -> Result<PublicResponse<PublicCampaign>, AppError> {
        let state = &self.state;
        let version = state.content.current(&state.db).await;
        let key = format!("campaign|{version}|{}", slug.0);
        let rendered = if let Some(hit) = state.gallery_cache.get(&key) {
            hit
        } else {
            let found = public::campaign(state, &slug.0).await?;
            let shown: Shown = Arc::new([(found.campaign.id, found.campaign.country)]);
            let dto = to_public(found, &state.config.media.rendition_widths);
            let rendered = Rendered::showing(RenderedJson::<PublicCampaign>::render(&dto), shown);
            state.gallery_cache.put(key, rendered.clone());
            rendered
        };
        count_view(state, req, &rendered.shown);
        Ok(answer(req, rendered, PUBLIC, None))
    }

    /// Report a published campaign
    ///
    /// No account needed, and nothing about the reporter is stored. Reports
    /// of hate or personal data alert the moderators at once. Too many
    /// reports from one client get 429 `rate_limited`.
    #[oai(
        path = "/campaigns/:slug/reports",
        method = "post",
        operation_id = "reportCampaign"
    )]
    async fn report(
        &self,
        req: &Request,
        slug: Path<String>,
        body: JsonBody<ReportRequest>,
    ) -> Result<ReportAccepted, AppError> {
        let b = body.0;
        let details = ReportDetails::parse(b.details.as_deref().unwrap_or(""))
            .map_err(|m| AppError::validation("details", m))?;
        let reason = b.reason;
        let ip = client_network(
            req,
            self.state.config.trust_forwarded_for,
            self.state.config.trusted_proxy_hops,
        );
        reports::file(&self.state, &slug.0, reason, details, ip).await?;
        Ok(ReportAccepted::Accepted(Json(ReportReceived {
            status: "received".to_owned(),
        })))
    }
}
