//! Programmes and their facilitators.

use crate::domain::{FieldCode, Invalid};
use chrono::NaiveDate;
use tracing::instrument;
use uuid::Uuid;

use super::{
    cities,
    pagination::{page_size, paginate, rows_to_fetch, Page},
    permissions,
    permissions::Roles,
    Principal,
};
use crate::{
    db::{
        self,
        programmes::{ProgrammeFields, ProgrammeRow, ProgrammeWriteError},
        roles::HolderRow,
    },
    domain::{Description, Email, Locale, Name, ProgrammeKind, RoleKind, Slug},
    error::{AppError, AppResult, FieldError},
    state::AppState,
};

/// A valid programme, ready to store.
pub struct ProgrammeInput {
    pub slug: Slug,
    pub name: Name,
    pub kind: ProgrammeKind,
    pub description: Description,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub locale: Locale,
    pub changemaker_target: Option<i32>,
}

/// A partial change; merged onto the stored programme and checked again whole.
#[derive(Default)]
pub struct ProgrammeChange {
    pub slug: Option<Slug>,
    pub name: Option<Name>,
    pub kind: Option<ProgrammeKind>,
    pub description: Option<Description>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub locale: Option<Locale>,
    pub changemaker_target: Option<i32>,
}

/// A page of programmes and the cursor to the next one.
pub type ProgrammePage = Page<ProgrammeRow, Uuid>;

fn check_dates(starts_on: NaiveDate, ends_on: NaiveDate) -> AppResult<()> {
    if ends_on < starts_on {
        return Err(AppError::Validation(vec![FieldError::new(
            "ends_on",
            Invalid::new(
                FieldCode::OutOfRange,
                "the programme cannot end before it starts",
            ),
        )]));
    }
    Ok(())
}

fn to_fields(input: &ProgrammeInput) -> ProgrammeFields {
    ProgrammeFields {
        slug: input.slug.as_str().to_owned(),
        name: input.name.as_str().to_owned(),
        kind: input.kind,
        description: input.description.as_str().to_owned(),
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        locale: input.locale,
        changemaker_target: input.changemaker_target,
    }
}

fn write_error(err: ProgrammeWriteError) -> AppError {
    match err {
        ProgrammeWriteError::SlugTaken => AppError::conflict(
            "slug_taken",
            "this city already has a programme with this slug",
        ),
        ProgrammeWriteError::Db(err) => err.into(),
    }
}

/// # Errors
/// 404 for an unknown programme.
pub async fn get(state: &AppState, id: Uuid) -> AppResult<ProgrammeRow> {
    db::programmes::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("programme"))
}

/// # Errors
/// 404 for an unknown city.
pub async fn list_for_city(
    state: &AppState,
    city_slug: &str,
    cursor: Option<Uuid>,
    limit: u32,
) -> AppResult<ProgrammePage> {
    let city = cities::get(state, city_slug).await?;
    let limit = page_size(limit);
    let items =
        db::programmes::page_for_city(&state.db, city.id, cursor, rows_to_fetch(limit)).await?;
    Ok(paginate(items, limit, |p| p.id))
}

/// # Errors
/// 404 for an unknown city; 403 unless its manager; 409 `slug_taken`; 422 for bad dates.
#[instrument(skip_all, fields(user_id = %principal.user_id))]
pub async fn create(
    state: &AppState,
    principal: Principal,
    city_slug: &str,
    input: ProgrammeInput,
) -> AppResult<ProgrammeRow> {
    let city = cities::get(state, city_slug).await?;
    permissions::require_city_manager(&Roles::load(state, principal.user_id).await?, city.id)?;
    check_dates(input.starts_on, input.ends_on)?;
    let id = db::programmes::insert(&state.db, city.id, &to_fields(&input), state.clock.now())
        .await
        .map_err(write_error)?;
    get(state, id).await
}

/// # Errors
/// 404 for an unknown programme; 403 unless its city's manager; 409; 422.
#[instrument(skip_all, fields(user_id = %principal.user_id, programme_id = %id))]
pub async fn update(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    change: ProgrammeChange,
) -> AppResult<ProgrammeRow> {
    let current = get(state, id).await?;
    permissions::require_city_manager(
        &Roles::load(state, principal.user_id).await?,
        current.city_id,
    )?;
    let merged = ProgrammeFields {
        slug: change.slug.map_or(current.slug, |s| s.as_str().to_owned()),
        name: change.name.map_or(current.name, Name::into_inner),
        kind: change.kind.unwrap_or(current.kind),
        description: change
            .description
            .map_or(current.description, Description::into_inner),
        starts_on: change.starts_on.unwrap_or(current.starts_on),
        ends_on: change.ends_on.unwrap_or(current.ends_on),
        locale: change.locale.unwrap_or(current.locale),
        changemaker_target: change.changemaker_target.or(current.changemaker_target),
    };
    check_dates(merged.starts_on, merged.ends_on)?;
    db::programmes::update(&state.db, id, &merged, state.clock.now())
        .await
        .map_err(write_error)?;
    get(state, id).await
}

/// # Errors
/// 404 for an unknown programme; 403 unless its city's manager.
#[instrument(skip_all, fields(user_id = %principal.user_id, programme_id = %id))]
pub async fn add_facilitator(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    email: Email,
) -> AppResult<HolderRow> {
    let programme = get(state, id).await?;
    permissions::require_city_manager(
        &Roles::load(state, principal.user_id).await?,
        programme.city_id,
    )?;
    cities::grant_by_email(
        state,
        principal,
        &email,
        RoleKind::Facilitator,
        None,
        Some(id),
    )
    .await
}

/// # Errors
/// 404 for an unknown programme or a person who is not its facilitator; 403.
#[instrument(skip_all, fields(user_id = %principal.user_id, programme_id = %id))]
pub async fn remove_facilitator(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    user_id: Uuid,
) -> AppResult<()> {
    let programme = get(state, id).await?;
    permissions::require_city_manager(
        &Roles::load(state, principal.user_id).await?,
        programme.city_id,
    )?;
    let removed =
        db::roles::revoke(&state.db, user_id, RoleKind::Facilitator, None, Some(id)).await?;
    if removed {
        Ok(())
    } else {
        Err(AppError::NotFound("facilitator"))
    }
}

/// # Errors
/// 404 for an unknown programme; 403 unless a facilitator or manager.
pub async fn list_facilitators(
    state: &AppState,
    principal: Principal,
    id: Uuid,
) -> AppResult<Vec<HolderRow>> {
    let programme = get(state, id).await?;
    permissions::require_facilitator(
        &Roles::load(state, principal.user_id).await?,
        id,
        programme.city_id,
    )?;
    Ok(db::roles::holders(&state.db, RoleKind::Facilitator, None, Some(id)).await?)
}
