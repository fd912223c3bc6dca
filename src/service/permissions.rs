//! Who may do what. One function per rule; every service calls one before acting.

use uuid::Uuid;

use crate::{
    db::{self, roles::RoleRow},
    domain::RoleKind,
    error::{AppError, AppResult},
    state::AppState,
};

/// The roles a person holds, loaded once per request that needs them.
#[derive(Debug, Clone, Default)]
pub struct Roles(pub Vec<RoleRow>);

impl Roles {
    /// # Errors
    /// Database failures.
    pub async fn load(state: &AppState, user_id: Uuid) -> AppResult<Self> {
        Ok(Self(db::roles::for_user(&state.db, user_id).await?))
    }

    fn has(&self, role: RoleKind, pred: impl Fn(&RoleRow) -> bool) -> bool {
        self.0.iter().any(|r| r.role == role.as_str() && pred(r))
    }

    #[must_use]
    pub fn is_admin(&self) -> bool {
        self.has(RoleKind::Admin, |_| true)
    }

    /// Admin, or city admin of `city_id`.
    #[must_use]
    pub fn manages_city(&self, city_id: Uuid) -> bool {
        self.is_admin() || self.has(RoleKind::CityAdmin, |r| r.city_id == Some(city_id))
    }

    /// Admin, or city admin of some city.
    #[must_use]
    pub fn manages_any_city(&self) -> bool {
        self.is_admin() || self.has(RoleKind::CityAdmin, |_| true)
    }

    /// Whether the person moderates any programme at all.
    #[must_use]
    pub fn moderates_anything(&self) -> bool {
        self.manages_any_city() || self.has(RoleKind::Facilitator, |_| true)
    }

    /// Manages the programme's city, or facilitates the programme itself.
    #[must_use]
    pub fn facilitates(&self, programme_id: Uuid, city_id: Uuid) -> bool {
        self.manages_city(city_id)
            || self.has(RoleKind::Facilitator, |r| {
                r.programme_id == Some(programme_id)
            })
    }
}

fn check(allowed: bool) -> AppResult<()> {
    if allowed {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// Platform-wide operations: creating cities, appointing city admins.
///
/// # Errors
/// 403 `forbidden`.
pub fn require_admin(roles: &Roles) -> AppResult<()> {
    check(roles.is_admin())
}

/// Running a city: its settings, programmes and facilitators.
///
/// # Errors
/// 403 `forbidden`.
pub fn require_city_manager(roles: &Roles, city_id: Uuid) -> AppResult<()> {
    check(roles.manages_city(city_id))
}

/// Seeing a programme's people.
///
/// # Errors
/// 403 `forbidden`.
pub fn require_facilitator(roles: &Roles, programme_id: Uuid, city_id: Uuid) -> AppResult<()> {
    check(roles.facilitates(programme_id, city_id))
}

#[cfg(test)]
mod tests {
    use super::Roles;
    use crate::db::roles::RoleRow;
    use uuid::Uuid;

    fn row(role: &str, city: Option<Uuid>, programme: Option<Uuid>) -> RoleRow {
        RoleRow {
            role: role.to_owned(),
            city_id: city,
            city_slug: None,
            programme_id: programme,
        }
    }

    #[test]
    fn scoped_roles_grant_nothing_elsewhere() {
        let (larvik, kristiansand, p1, p2) = (
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        );
        let city_admin = Roles(vec![row("city_admin", Some(larvik), None)]);
        assert!(city_admin.manages_city(larvik));
        assert!(!city_admin.manages_city(kristiansand));
        assert!(city_admin.facilitates(p1, larvik));
        assert!(!city_admin.facilitates(p2, kristiansand));
        assert!(!city_admin.is_admin());

        let facilitator = Roles(vec![row("facilitator", Some(larvik), Some(p1))]);
        assert!(facilitator.facilitates(p1, larvik));
        assert!(!facilitator.facilitates(p2, larvik));
        assert!(!facilitator.manages_city(larvik));

        let admin = Roles(vec![row("admin", None, None)]);
        assert!(admin.manages_city(kristiansand) && admin.facilitates(p2, kristiansand));
        assert!(!Roles::default().facilitates(p1, larvik));
    }
}
