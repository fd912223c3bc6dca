//! Joining a programme, with the minimum-age rule.
//!
//! Only the birth year is stored, so age is counted by year: a person counts
//! as N from 1 January of the year they turn N. A whole school year is thus
//! treated alike, and someone born in 2013 may enrol from 1 January 2026.

use chrono::{DateTime, Datelike, Utc};
use tracing::instrument;
use uuid::Uuid;

use super::{programmes, Principal};
use crate::{
    db,
    error::{AppError, AppResult},
    state::AppState,
};

/// Whether someone born in `birth_year` has reached `minimum_age` in `current_year`.
#[must_use]
pub fn old_enough(birth_year: i32, current_year: i32, minimum_age: i32) -> bool {
    current_year - birth_year >= minimum_age
}

/// The caller's enrolment in a programme.
pub struct Enrolled {
    pub programme_id: Uuid,
    pub enrolled_at: DateTime<Utc>,
    pub created: bool,
}

/// Enrols the caller; enrolling twice changes nothing.
///
/// # Errors
/// 404 for an unknown programme; 403 `birth_year_required` or
/// `under_minimum_age`; 409 `programme_ended`.
#[instrument(skip_all, fields(user_id = %principal.user_id, programme_id = %programme_id))]
pub async fn enrol(
    state: &AppState,
    principal: Principal,
    programme_id: Uuid,
) -> AppResult<Enrolled> {
    let programme = programmes::get(state, programme_id).await?;
    let user = db::users::by_id(&state.db, principal.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let now = state.clock.now();
    let Some(birth_year) = user.birth_year else {
        return Err(AppError::Forbidden {
            code: "birth_year_required",
            detail: "add your birth year to your account before you join a programme".to_owned(),
        });
    };
    let minimum = state.config.auth.minimum_age;
    if !old_enough(birth_year, now.year(), minimum) {
        return Err(AppError::Forbidden {
            code: "under_minimum_age",
            detail: format!("you can join a programme from the year you turn {minimum}"),
        });
    }
    if programme.ends_on < now.date_naive() {
        return Err(AppError::conflict(
            "programme_ended",
            "this programme has ended",
        ));
    }
    let mut tx = state.db.begin().await?;
    let created = db::enrolments::enrol(&mut tx, programme_id, user.id, now).await?;
    if created {
        super::stats::rollup::enrolled(&mut tx, programme_id, user.id, now).await?;
    }
    tx.commit().await?;
    Ok(Enrolled {
        programme_id,
        enrolled_at: now,
        created,
    })
}

#[cfg(test)]
mod tests {
    use super::old_enough;

    #[test]
    fn counts_age_by_year() {
        assert!(old_enough(2013, 2026, 13), "turns 13 this year");
        assert!(!old_enough(2014, 2026, 13), "turns 12 this year");
        assert!(old_enough(2000, 2026, 13));
        assert!(!old_enough(2026, 2026, 13));
    }
}
