//! The training ledger: facilitators mark who completed changemaker training.

use crate::domain::{FieldCode, Invalid};
use chrono::{Datelike, NaiveDate};
use tracing::instrument;
use uuid::Uuid;

use super::{permissions, permissions::Roles, programmes, Principal};
use crate::{
    db::{self, training::ParticipantRow},
    error::{AppError, AppResult},
    state::AppState,
};

async fn require_facilitator(
    state: &AppState,
    principal: Principal,
    programme_id: Uuid,
) -> AppResult<()> {
    let programme = programmes::get(state, programme_id).await?;
    let roles = Roles::load(state, principal.user_id).await?;
    permissions::require_facilitator(&roles, programme.id, programme.city_id)
}

/// # Errors
/// 404 for an unknown programme; 403 unless a facilitator.
pub async fn participants(
    state: &AppState,
    principal: Principal,
    programme_id: Uuid,
) -> AppResult<Vec<ParticipantRow>> {
    require_facilitator(state, principal, programme_id).await?;
    Ok(db::training::participants(&state.db, programme_id).await?)
}

/// Marks a participant trained on a date (not in the future), or with `None` unmarks.
///
/// # Errors
/// 403 unless a facilitator; 404 when the person is not enrolled; 409
/// `own_campaign` for oneself or a teammate; 422 for a future date.
#[instrument(skip_all, fields(user_id = %principal.user_id, programme_id = %programme_id))]
pub async fn set_trained(
    state: &AppState,
    principal: Principal,
    programme_id: Uuid,
    user_id: Uuid,
    trained_on: Option<NaiveDate>,
) -> AppResult<()> {
    require_facilitator(state, principal, programme_id).await?;
    if trained_on.is_some() {
        // Staff never count themselves or their own team toward the goal.
        let team_ids = |rows: Vec<db::teams::MembershipRow>| -> Vec<Uuid> {
            rows.into_iter().map(|m| m.team_id).collect()
        };
        let mine = team_ids(db::teams::memberships(&state.db, principal.user_id).await?);
        let theirs = team_ids(db::teams::memberships(&state.db, user_id).await?);
        let subject = permissions::Subject::Person {
            id: user_id,
            teams: &theirs,
        };
        permissions::require_not_own(permissions::is_own(principal.user_id, &mine, subject))?;
    }
    if let Some(date) = trained_on {
        let today = state.clock.now().date_naive();
        if date > today || date.year() < 2000 {
            let code = if date > today {
                FieldCode::InTheFuture
            } else {
                FieldCode::OutOfRange
            };
            return Err(AppError::validation(
                "trained_on",
                Invalid::new(code, "a date between 2000 and today"),
            ));
        }
    }
    let mut tx = state.db.begin().await?;
    if !db::training::set_trained(
        &mut tx,
        programme_id,
        user_id,
        trained_on,
        principal.user_id,
    )
    .await?
    {
        return Err(AppError::NotFound("participant"));
    }
    super::stats::rollup::trained(&mut tx, programme_id, user_id, trained_on).await?;
    tx.commit().await?;
    Ok(())
}

/// Distinct trained changemakers, the figure the 10,000 goal counts.
///
/// # Errors
/// Database failures.
pub async fn count_trained(state: &AppState) -> AppResult<i64> {
    Ok(db::training::count_trained(&state.db, None).await?)
}
