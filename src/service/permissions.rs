//! Who may do what. One function per rule; every service calls one before acting.

use uuid::Uuid;

use super::campaigns::Access;
use crate::{
    db::{self, roles::RoleRow},
    domain::{RoleKind, TeamRole},
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
        self.0.iter().any(|r| r.role == role && pred(r))
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

/// Whether the person moderates a programme; for reads where everyone else
/// gets 404 (a team, campaign or report they may not see does not exist to them).
#[must_use]
pub fn moderates(roles: &Roles, programme_id: Uuid, city_id: Uuid) -> bool {
    roles.facilitates(programme_id, city_id)
}

/// Moderating in a programme: its queue, reports and decisions (its
/// facilitators, its city's admins, admins).
///
/// # Errors
/// 403 `forbidden`.
pub fn require_moderator(roles: &Roles, programme_id: Uuid, city_id: Uuid) -> AppResult<()> {
    check(roles.facilitates(programme_id, city_id))
}

/// Moderating somewhere: lists that span every programme the caller moderates.
///
/// # Errors
/// 403 `forbidden`.
pub fn require_moderator_anywhere(roles: &Roles) -> AppResult<()> {
    check(roles.moderates_anything())
}

/// Reading the audit trail of a programme: its city's admins, admins.
///
/// # Errors
/// 403 `forbidden`.
pub fn require_auditor(roles: &Roles, city_id: Uuid) -> AppResult<()> {
    check(roles.manages_city(city_id))
}

/// Reading audit trails that span every city the caller manages.
///
/// # Errors
/// 403 `forbidden`.
pub fn require_auditor_anywhere(roles: &Roles) -> AppResult<()> {
    check(roles.manages_any_city())
}

/// Acting for a team (inviting, writing campaigns): any member, not a
/// facilitator looking on.
///
/// # Errors
/// 403 `forbidden`.
pub fn require_team_member(my_role: Option<TeamRole>) -> AppResult<()> {
    check(my_role.is_some())
}

/// Running a team (removing others, renewing the join code, handing over): its lead.
///
/// # Errors
/// 403 `forbidden`.
pub fn require_team_lead(my_role: Option<TeamRole>) -> AppResult<()> {
    check(my_role == Some(TeamRole::Lead))
}

/// Removing a member: the lead removes anyone; everyone may leave.
///
/// # Errors
/// 403 `forbidden`.
pub fn require_lead_or_self(my_role: Option<TeamRole>, removing_self: bool) -> AppResult<()> {
    check(removing_self || my_role == Some(TeamRole::Lead))
}

/// Changing a campaign or its media: members of its team only (its
/// facilitators read it but never write the team's words).
///
/// # Errors
/// 403 `forbidden`.
pub fn require_campaign_author(access: Access) -> AppResult<()> {
    check(access == Access::Member)
}

#[cfg(test)]
mod tests {
    use super::{require_lead_or_self, require_team_lead, require_team_member, Roles};
    use crate::{
        db::roles::RoleRow,
        domain::{RoleKind, TeamRole},
    };
    use uuid::Uuid;

    fn row(role: RoleKind, city: Option<Uuid>, programme: Option<Uuid>) -> RoleRow {
        RoleRow {
            role,
            city_id: city,
            city_slug: None,
            city_name: None,
            programme_id: programme,
            programme_name: None,
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
        let city_admin = Roles(vec![row(RoleKind::CityAdmin, Some(larvik), None)]);
        assert!(city_admin.manages_city(larvik));
        assert!(!city_admin.manages_city(kristiansand));
        assert!(city_admin.facilitates(p1, larvik));
        assert!(!city_admin.facilitates(p2, kristiansand));
        assert!(!city_admin.is_admin());

        let facilitator = Roles(vec![row(RoleKind::Facilitator, Some(larvik), Some(p1))]);
        assert!(facilitator.facilitates(p1, larvik));
        assert!(!facilitator.facilitates(p2, larvik));
        assert!(!facilitator.manages_city(larvik));

        let admin = Roles(vec![row(RoleKind::Admin, None, None)]);
        assert!(admin.manages_city(kristiansand) && admin.facilitates(p2, kristiansand));
        assert!(!Roles::default().facilitates(p1, larvik));
    }

    #[test]
    fn team_rules() {
        assert!(require_team_member(Some(TeamRole::Member)).is_ok());
        assert!(require_team_member(None).is_err());
        assert!(require_team_lead(Some(TeamRole::Lead)).is_ok());
        assert!(require_team_lead(Some(TeamRole::Member)).is_err());
        assert!(require_team_lead(None).is_err());
        assert!(require_lead_or_self(Some(TeamRole::Member), true).is_ok());
        assert!(require_lead_or_self(Some(TeamRole::Member), false).is_err());
        assert!(require_lead_or_self(Some(TeamRole::Lead), false).is_ok());
    }
}
