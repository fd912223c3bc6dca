//! The JSON API under `/api/v1`: one `#[OpenApi]` struct per resource, each
//! holding the application state it needs. Handlers are thin: parse into
//! domain values, call one service function, map the result.

pub mod auth;
pub mod auth_guard;
pub mod campaigns;
pub mod check;
pub mod cities;
pub mod client;
pub mod cursor;
pub mod gallery;
pub mod health;
pub mod json;
pub mod me;
pub mod media;
pub mod moderation;
pub mod notifications;
pub mod oauth;
pub mod overview;
pub mod problems;
pub mod programmes;
pub mod public;
pub mod reach;
pub mod rendered;
pub mod sessions;
pub mod spec;
mod spec_links;
pub mod stats;
pub mod teams;
pub mod templates;
pub mod upload;

use poem_openapi::{OpenApiService, Tags};

use crate::state::AppState;

#[derive(Tags)]
pub enum ApiTags {
    /// Signing in and out
    Auth,
    /// The signed-in person's own account
    Me,
    /// Cities of the alliance
    Cities,
    /// Programmes and their facilitators
    Programmes,
    /// Teams, enrolment and the training ledger
    Teams,
    /// Campaigns and their drafts
    Campaigns,
    /// Moderation: the queue, decisions, reports and the audit trail
    Moderation,
    /// What campaigns achieved: reach reports and their verification
    Reach,
    /// The figures: the goal, time series and exports
    Stats,
    /// What anyone may see and do without an account
    Public,
}

pub type Apis = (
    auth::AuthApi,
    oauth::OauthApi,
    (me::MeApi, sessions::SessionsApi),
    notifications::NotificationsApi,
    cities::CitiesApi,
    programmes::ProgrammesApi,
    overview::OverviewApi,
    teams::TeamsApi,
    campaigns::CampaignsApi,
    media::MediaApi,
    moderation::ModerationApi,
    public::PublicApi,
    gallery::GalleryApi,
    templates::TemplatesApi,
    reach::ReachApi,
    stats::StatsApi,
);

const DESCRIPTION: &str = "The API of changemakers, the platform for youth changemaker \
programmes in Nordic cities. Errors are RFC 9457 problem details with a stable `code`. \
Authenticate with the session cookie set at sign-in (web app) or `Authorization: Bearer <token>`.";

/// The API service, mounted at `/api/v1`.
#[must_use]
pub fn service(state: &AppState) -> OpenApiService<Apis, ()> {
    let apis = (
        auth::AuthApi {
            state: state.clone(),
        },
        oauth::OauthApi {
            state: state.clone(),
        },
        (
            me::MeApi {
                state: state.clone(),
            },
            sessions::SessionsApi {
                state: state.clone(),
            },
        ),
        notifications::NotificationsApi {
            state: state.clone(),
        },
        cities::CitiesApi {
            state: state.clone(),
        },
        programmes::ProgrammesApi {
            state: state.clone(),
        },
        overview::OverviewApi {
            state: state.clone(),
        },
        teams::TeamsApi {
            state: state.clone(),
        },
        campaigns::CampaignsApi {
            state: state.clone(),
        },
        media::MediaApi {
            state: state.clone(),
        },
        moderation::ModerationApi {
            state: state.clone(),
        },
        public::PublicApi {
            state: state.clone(),
        },
        gallery::GalleryApi {
            state: state.clone(),
        },
        templates::TemplatesApi {
            state: state.clone(),
        },
        reach::ReachApi {
            state: state.clone(),
        },
        stats::StatsApi {
            state: state.clone(),
        },
    );
    OpenApiService::new(apis, "changemakers", env!("CARGO_PKG_VERSION"))
        .description(DESCRIPTION)
        .server("/api/v1")
}

/// The OpenAPI document as pretty JSON, built without touching any outside part.
///
/// # Errors
/// Never in practice: building the offline state cannot fail.
pub fn spec_json() -> anyhow::Result<String> {
    let state = crate::app::offline_state()?;
    Ok(spec::Document::complete(&service(&state).spec())?
        .json()
        .to_owned())
}
