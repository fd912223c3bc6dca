//! Cities and their admins.

use tracing::instrument;
use uuid::Uuid;

use super::{permissions, permissions::Roles, Principal};
use crate::{
    db::{self, cities::CityRow, cities::CityWriteError, roles::HolderRow},
    domain::{Country, Email, Locale, Name, RoleKind, Slug},
    error::{AppError, AppResult},
    state::AppState,
};

pub struct NewCity {
    pub slug: Slug,
    pub name: Name,
    pub country: Country,
}

#[derive(Default)]
pub struct CityChange {
    pub name: Option<Name>,
    pub country: Option<Country>,
}

/// # Errors
/// Database failures.
pub async fn list(state: &AppState) -> AppResult<Vec<CityRow>> {
    Ok(db::cities::list(&state.db).await?)
}

/// # Errors
/// 404 when there is no such city.
pub async fn get(state: &AppState, slug: &str) -> AppResult<CityRow> {
    db::cities::by_slug(&state.db, slug)
        .await?
        .ok_or(AppError::NotFound("city"))
}

/// # Errors
/// 403 unless admin; 409 `slug_taken`.
#[instrument(skip_all, fields(user_id = %principal.user_id))]
pub async fn create(state: &AppState, principal: Principal, new: NewCity) -> AppResult<CityRow> {
    permissions::require_admin(&Roles::load(state, principal.user_id).await?)?;
    db::cities::insert(
        &state.db,
        new.slug.as_str(),
        new.name.as_str(),
        new.country,
        state.clock.now(),
    )
    .await
    .map_err(|err| match err {
        CityWriteError::SlugTaken => {
            AppError::conflict("slug_taken", "a city with this slug already exists")
        }
        CityWriteError::Db(err) => err.into(),
    })
}

/// # Errors
/// 404 for an unknown city; 403 unless admin or its city admin.
#[instrument(skip_all, fields(user_id = %principal.user_id))]
pub async fn update(
    state: &AppState,
    principal: Principal,
    slug: &str,
    change: CityChange,
) -> AppResult<CityRow> {
    let city = get(state, slug).await?;
    let roles = Roles::load(state, principal.user_id).await?;
    permissions::require_city_manager(&roles, city.id)?;
    if change.country.is_some() {
        // Moving a city to another country changes national statistics: admins only.
        permissions::require_admin(&roles)?;
    }
    Ok(db::cities::update(
        &state.db,
        city.id,
        change.name.as_ref().map(Name::as_str),
        change.country,
        state.clock.now(),
    )
    .await?)
}

/// Makes the person with `email` an admin of the city, creating their account
/// if they have none yet (they sign in with that address).
///
/// # Errors
/// 404 for an unknown city; 403 unless admin.
#[instrument(skip_all, fields(user_id = %principal.user_id))]
pub async fn add_admin(
    state: &AppState,
    principal: Principal,
    slug: &str,
    email: Email,
) -> AppResult<HolderRow> {
    let city = get(state, slug).await?;
    permissions::require_admin(&Roles::load(state, principal.user_id).await?)?;
    grant_by_email(
        state,
        principal,
        &email,
        RoleKind::CityAdmin,
        Some(city.id),
        None,
    )
    .await
}

/// # Errors
/// 404 for an unknown city; 403 unless admin or its city admin.
pub async fn list_admins(
    state: &AppState,
    principal: Principal,
    slug: &str,
) -> AppResult<Vec<HolderRow>> {
    let city = get(state, slug).await?;
    permissions::require_city_manager(&Roles::load(state, principal.user_id).await?, city.id)?;
    Ok(db::roles::holders(&state.db, RoleKind::CityAdmin, Some(city.id), None).await?)
}

/// # Errors
/// 404 for an unknown city or a person who is not its admin; 403 unless admin.
#[instrument(skip_all, fields(user_id = %principal.user_id))]
pub async fn remove_admin(
    state: &AppState,
    principal: Principal,
    slug: &str,
    user_id: Uuid,
) -> AppResult<()> {
    let city = get(state, slug).await?;
    permissions::require_admin(&Roles::load(state, principal.user_id).await?)?;
    let removed =
        db::roles::revoke(&state.db, user_id, RoleKind::CityAdmin, Some(city.id), None).await?;
    if removed {
        Ok(())
    } else {
        Err(AppError::NotFound("city admin"))
    }
}

/// Grants a scoped role to the person with `email`, creating the account if needed.
///
/// # Errors
/// Database failures.
pub async fn grant_by_email(
    state: &AppState,
    principal: Principal,
    email: &Email,
    role: RoleKind,
    city_id: Option<Uuid>,
    programme_id: Option<Uuid>,
) -> AppResult<HolderRow> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let user = db::users::find_or_create_by_email(&mut tx, email.as_str(), Locale::En, now).await?;
    db::roles::grant(
        &mut tx,
        user.id,
        role,
        city_id,
        programme_id,
        Some(principal.user_id),
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(target_user = %user.id, role = role.as_str(), "role granted");
    Ok(HolderRow {
        user_id: user.id,
        email: user.email,
        display_name: user.display_name,
        granted_at: now,
    })
}
