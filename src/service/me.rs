//! The signed-in person's own account.

use super::{permissions::Roles, Principal};
use crate::{
    db::{self, roles::RoleRow, users::UserRow},
    domain::{BirthYear, DisplayName, Locale},
    error::{AppError, AppResult},
    state::AppState,
};

/// A person as they see themselves.
pub struct MeView {
    pub user: UserRow,
    pub roles: Vec<RoleRow>,
    pub teams: Vec<db::teams::MembershipRow>,
}

/// Changes to one's own profile; `None` keeps a field.
#[derive(Debug, Default)]
pub struct ProfileUpdate {
    pub display_name: Option<DisplayName>,
    pub birth_year: Option<BirthYear>,
    pub locale: Option<Locale>,
}

/// # Errors
/// 401 when the account is gone; database failures.
pub async fn get(state: &AppState, principal: Principal) -> AppResult<MeView> {
    let user = db::users::by_id(&state.db, principal.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    view(state, user).await
}

/// # Errors
/// 401 when the account is gone; database failures.
pub async fn update(
    state: &AppState,
    principal: Principal,
    update: ProfileUpdate,
) -> AppResult<MeView> {
    let change = db::users::ProfileChange {
        display_name: update.display_name.as_ref().map(DisplayName::as_str),
        birth_year: update.birth_year.map(BirthYear::value),
        locale: update.locale,
    };
    let user = db::users::update_profile(&state.db, principal.user_id, &change, state.clock.now())
        .await?
        .ok_or(AppError::Unauthorized)?;
    view(state, user).await
}

/// # Errors
/// Database failures.
pub async fn view(state: &AppState, user: UserRow) -> AppResult<MeView> {
    let roles = Roles::load(state, user.id).await?;
    let teams = db::teams::memberships(&state.db, user.id).await?;
    Ok(MeView {
        user,
        roles: roles.0,
        teams,
    })
}

/// The provider accounts linked to the caller.
///
/// # Errors
/// Database failures.
pub async fn identities(
    state: &AppState,
    principal: Principal,
) -> AppResult<Vec<db::identities::IdentityRow>> {
    Ok(db::identities::for_user(&state.db, principal.user_id).await?)
}

/// Unlinks a provider; refused when it is the last way left to sign in.
///
/// # Errors
/// 404 when the provider is not linked; 409 `last_sign_in_method`.
pub async fn unlink(state: &AppState, principal: Principal, provider: &str) -> AppResult<()> {
    let user = db::users::by_id(&state.db, principal.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let linked = db::identities::for_user(&state.db, user.id).await?;
    if !linked.iter().any(|i| i.provider == provider) {
        return Err(AppError::NotFound("linked provider"));
    }
    if user.email.is_none() && linked.len() == 1 {
        return Err(AppError::conflict(
            "last_sign_in_method",
            "this is your only way to sign in; link another first",
        ));
    }
    db::identities::delete(&state.db, user.id, provider).await?;
    Ok(())
}
