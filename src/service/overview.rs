//! A programme at a glance, for the people who run it: its people against
//! the target, its teams and campaigns by status, what waits for them, and
//! what happened since they last looked.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{permissions, permissions::Roles, programmes, Principal};
use crate::{
    db::{self, overview::OverviewCounts, programmes::ProgrammeRow},
    domain::CampaignStatus,
    error::AppResult,
    state::AppState,
};

/// Without a moment named, "since" means the last week.
const DEFAULT_WINDOW_DAYS: i64 = 7;

pub struct Overview {
    pub programme: ProgrammeRow,
    pub counts: OverviewCounts,
    /// Every status with its count, zeros included, in the lifecycle's order.
    pub by_status: Vec<(CampaignStatus, i64)>,
    /// The moment the changes are counted from.
    pub since: DateTime<Utc>,
}

/// # Errors
/// 404 for an unknown programme; 403 unless one of its facilitators, its
/// city's admins or an admin.
pub async fn programme(
    state: &AppState,
    principal: Principal,
    programme_id: Uuid,
    since: Option<DateTime<Utc>>,
) -> AppResult<Overview> {
    let programme = programmes::get(state, programme_id).await?;
    let roles = Roles::load(state, principal.user_id).await?;
    permissions::require_facilitator(&roles, programme.id, programme.city_id)?;
    let now = state.clock.now();
    // A moment in the future (a device's clock ahead) counts nothing new.
    let since = since
        .unwrap_or(now - Duration::days(DEFAULT_WINDOW_DAYS))
        .min(now);
    let day = since.date_naive();
    let counts = db::overview::counts(&state.db, programme_id, since, day).await?;
    let found = db::overview::campaigns_by_status(&state.db, programme_id).await?;
    let by_status = CampaignStatus::ALL
        .iter()
        .map(|status| {
            let n = found
                .iter()
                .find(|(name, _)| name == status.as_str())
                .map_or(0, |(_, n)| *n);
            (*status, n)
        })
        .collect();
    Ok(Overview {
        programme,
        counts,
        by_status,
        since,
    })
}
