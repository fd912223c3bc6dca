//! A programme at a glance for its facilitators and city admins.

use chrono::{DateTime, Utc};
use poem_openapi::{
    param::{Path, Query},
    payload::Json,
    Object, OpenApi,
};
use uuid::Uuid;

use super::{auth_guard::Auth, ApiTags};
use crate::{
    error::AppError,
    service::overview::{self, Overview},
    state::AppState,
};

pub struct OverviewApi {
    pub state: AppState,
}

/// How many of the programme's campaigns are in each status.
#[derive(Debug, Object)]
pub struct CampaignsByStatus {
    pub draft: i64,
    pub submitted: i64,
    pub changes_requested: i64,
    pub approved: i64,
    pub rejected: i64,
    pub archived: i64,
}

/// What waits for the programme's staff.
#[derive(Debug, Object)]
pub struct Waiting {
    /// Campaigns submitted for review.
    pub campaigns: i64,
    /// Reach reports to verify.
    pub reach: i64,
    /// Open public reports.
    pub reports: i64,
}

/// What happened after `since`: counts only, never who.
#[derive(Debug, Object)]
pub struct OverviewChanges {
    /// People who joined the programme.
    pub joined: i64,
    /// People marked trained on or after that day.
    pub trained: i64,
    pub teams: i64,
    /// Campaigns started.
    pub campaigns: i64,
    /// Submissions, a resubmission included.
    pub submitted: i64,
    /// Reach reports logged.
    pub reach: i64,
    /// Public reports made.
    pub reports: i64,
}

/// A programme at a glance: its people against its target, its teams and
/// campaigns, what waits, and what changed since a moment.
#[derive(Debug, Object)]
pub struct ProgrammeOverview {
    pub programme_id: Uuid,
    pub name: String,
    pub city_slug: String,
    /// How many changemakers the programme means to train, when it says.
    #[oai(nullable)]
    pub changemaker_target: Option<i32>,
    pub enrolled: i64,
    pub trained: i64,
    pub teams: i64,
    pub campaigns: CampaignsByStatus,
    pub waiting: Waiting,
    /// The moment `changes` count from: the one asked for (never later
    /// than now), or a week ago.
    pub since: DateTime<Utc>,
    pub changes: OverviewChanges,
}

impl From<Overview> for ProgrammeOverview {
    fn from(o: Overview) -> Self {
        let count = |status: &str| {
            o.by_status
                .iter()
                .find(|(s, _)| s.as_str() == status)
                .map_or(0, |(_, n)| *n)
        };
        let c = &o.counts;
        Self {
            campaigns: CampaignsByStatus {
                draft: count("draft"),
                submitted: count("submitted"),
                changes_requested: count("changes_requested"),
                approved: count("approved"),
                rejected: count("rejected"),
                archived: count("archived"),
            },
            waiting: Waiting {
                campaigns: count("submitted"),
                reach: c.reach_pending,
                reports: c.reports_open,
            },
            changes: OverviewChanges {
                joined: c.joined_since,
                trained: c.trained_since,
                teams: c.teams_since,
                campaigns: c.campaigns_since,
                submitted: c.submitted_since,
                reach: c.reach_since,
                reports: c.reports_since,
            },
            enrolled: c.enrolled,
            trained: c.trained,
            teams: c.teams,
            since: o.since,
            programme_id: o.programme.id,
            name: o.programme.name,
            city_slug: o.programme.city_slug,
            changemaker_target: o.programme.changemaker_target,
        }
    }
}

#[OpenApi(tag = "ApiTags::Programmes")]
impl OverviewApi {
    /// A programme at a glance
    ///
    /// For its facilitators, its city's admins and admins: people enrolled
    /// and trained against the target, teams, campaigns by status, what
    /// waits for review, and what happened since `since` (the app sends the
    /// moment the person last looked; a week when left out). Counts only.
    #[oai(
        path = "/programmes/:id/overview",
        method = "get",
        operation_id = "programmeOverview"
    )]
    async fn overview(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        since: Query<Option<DateTime<Utc>>>,
    ) -> Result<Json<ProgrammeOverview>, AppError> {
        let overview = overview::programme(&self.state, auth.principal(), id.0, since.0).await?;
        Ok(Json(overview.into()))
    }
}
