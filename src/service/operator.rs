//! Operator commands run from the command line, outside any session.

use chrono::{Datelike, Duration};

use crate::{
    db::{self, cities::CityWriteError, programmes::ProgrammeFields},
    domain::{Country, Email, Locale, ProgrammeKind, RoleKind},
    error::AppResult,
    state::AppState,
};

/// Gives the person with `email` the admin role, creating the account if needed.
///
/// # Errors
/// Database failures.
pub async fn create_admin(state: &AppState, email: &Email) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let user = db::users::find_or_create_by_email(&mut tx, email.as_str(), Locale::En, now).await?;
    db::roles::grant(&mut tx, user.id, RoleKind::Admin, None, None, None, now).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "admin role granted from the command line");
    Ok(())
}

const DEMO_DESCRIPTION: &str = "KomINN trener ungdom i Larvik til å bli Safe City changemakers. \
Dere lærer om inkludering, hatprat og trygghet, danner team og lager egne kampanjer for \
et tryggere og mer inkluderende lokalmiljø.";

/// Creates the demo city Larvik with a KomINN programme; running it again changes nothing.
///
/// # Errors
/// Database failures.
pub async fn seed_demo(state: &AppState) -> AppResult<String> {
    let now = state.clock.now();
    let city = match db::cities::insert(&state.db, "larvik", "Larvik", Country::No, now).await {
        Ok(city) => city,
        Err(CityWriteError::SlugTaken) => db::cities::by_slug(&state.db, "larvik")
            .await?
            .ok_or(crate::error::AppError::NotFound("city"))?,
        Err(CityWriteError::Db(err)) => return Err(err.into()),
    };
    let year = now.year();
    let fields = ProgrammeFields {
        slug: format!("kominn-{year}"),
        name: format!("KomINN Larvik {year}"),
        kind: ProgrammeKind::Kominn,
        description: DEMO_DESCRIPTION.to_owned(),
        // Running from before the demo's first sign-up to half a year ahead,
        // so the demo can be seeded on any day of the year.
        starts_on: (now - Duration::days(110)).date_naive(),
        ends_on: (now + Duration::days(180)).date_naive(),
        locale: Locale::Nb,
        changemaker_target: Some(150),
    };
    let created = match db::programmes::insert(&state.db, city.id, &fields, now).await {
        Ok(programme_id) => {
            super::demo::fill(state, city.id, programme_id).await?;
            true
        }
        Err(db::programmes::ProgrammeWriteError::SlugTaken) => false,
        Err(db::programmes::ProgrammeWriteError::Db(err)) => return Err(err.into()),
    };
    Ok(if created {
        format!(
            "Demo ready: city larvik with programme {} (teams, campaigns in every status; \
             sign in as maja@demo.changemakers.example or the facilitator kari@demo.changemakers.example)",
            fields.slug
        )
    } else {
        format!(
            "Demo already present: city larvik, programme {}",
            fields.slug
        )
    })
}
