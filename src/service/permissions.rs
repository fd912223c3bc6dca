//! Who may do what. One function per rule; every service calls one before
//! acting. What a person is to a campaign is answered once, by
//! [`CampaignRelation::of`], and the own-team rule is one predicate,
//! [`is_own`].

use uuid::Uuid;

use crate::{
    db::{self, campaigns::CampaignRow, roles::RoleRow, teams::MembershipRow},
    domain::{RoleKind, TeamRole},
    error::{AppError, AppResult},
    state::AppState,
};

/// Whose work something is, for the own-team rule.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// A team's work: its campaigns and their reach.
    Team(Uuid),
    /// A person, with the teams they are in.
    Person { id: Uuid, teams: &'a [Uuid] },
}

/// The own-team rule: nobody moderates, verifies or counts the work of a
/// team they are in, or themselves.
#[must_use]
pub fn is_own(actor: Uuid, actor_teams: &[Uuid], subject: Subject<'_>) -> bool {
    match subject {
        Subject::Team(team) => actor_teams.contains(&team),
        Subject::Person { id, teams } => {
            id == actor || teams.iter().any(|t| actor_teams.contains(t))
        }
    }
}

/// 409 `own_campaign` when the own-team rule forbids the act.
///
/// # Errors
/// As said.
pub fn require_not_own(own: bool) -> AppResult<()> {
    if own {
        Err(AppError::conflict(
            "own_campaign",
            "another facilitator must do this for yourself or your own team",
        ))
    } else {
        Ok(())
    }
}

/// What a person is to a campaign. Every service that acts on a campaign,
/// its media or its reach asks this, and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CampaignRelation {
    /// Their role in the campaign's team, when they are in it.
    pub team_role: Option<TeamRole>,
    /// A facilitator of its programme, an admin of its city, or an admin.
    pub staff: bool,
}

impl CampaignRelation {
    /// # Errors
    /// Database failures.
    pub async fn of(state: &AppState, user_id: Uuid, campaign: &CampaignRow) -> AppResult<Self> {
        let teams = db::teams::memberships(&state.db, user_id).await?;
        let roles = Roles::load(state, user_id).await?;
        Ok(Self::from_parts(&teams, &roles, campaign))
    }

    /// The relation from what is known of the person.
    #[must_use]
    pub fn from_parts(teams: &[MembershipRow], roles: &Roles, campaign: &CampaignRow) -> Self {
        Self {
            team_role: teams
                .iter()
                .find(|m| m.team_id == campaign.team_id)
                .map(|m| m.role),
            staff: roles.facilitates(campaign.programme_id, campaign.city_id),
        }
    }

    /// In its team.
    #[must_use]
    pub fn is_member(self) -> bool {
        self.team_role.is_some()
    }

    /// The campaign is there for them at all (its team and its staff); to
    /// anyone else it does not exist.
    #[must_use]
    pub fn sees(self) -> bool {
        self.is_member() || self.staff
    }

    /// The own-team rule, asked of this campaign.
    #[must_use]
    pub fn own_team(self) -> bool {
        self.is_member()
    }
}

/// Deciding on a campaign or verifying its reach: its staff, never its own
/// team. `what` names the thing for the 404 that everyone else gets.
///
/// # Errors
/// 404 for anyone but its staff; 409 `own_campaign` for a member of its team.
pub fn require_moderator_of(relation: CampaignRelation, what: &'static str) -> AppResult<()> {
    if !relation.staff {
        return Err(AppError::NotFound(what));
    }
    require_not_own(relation.own_team())
}

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

/// What a person is to a team: their role in it, and whether they are staff
/// of its programme (a facilitator, its city's admin, an admin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeamAccess {
    pub role: Option<TeamRole>,
    pub staff: bool,
}

impl TeamAccess {
    /// Runs the team: its lead, or its programme's staff, so a team whose
    /// lead is gone is never stranded.
    #[must_use]
    pub fn runs(self) -> bool {
        self.role == Some(TeamRole::Lead) || self.staff
    }
}

/// Running a team (removing others, renewing the join code, appointing a
/// lead): its lead or its programme's staff.
///
/// # Errors
/// 403 `forbidden`.
pub fn require_team_runner(access: TeamAccess) -> AppResult<()> {
    check(access.runs())
}

/// Removing a member: whoever runs the team removes anyone; everyone may leave.
///
/// # Errors
/// 403 `forbidden`.
pub fn require_lead_or_self(access: TeamAccess, removing_self: bool) -> AppResult<()> {
    check(removing_self || access.runs())
}

/// Changing a campaign or its media: members of its team only (its
/// facilitators read it but never write the team's words).
///
/// # Errors
/// 403 `forbidden`.
pub fn require_campaign_author(relation: CampaignRelation) -> AppResult<()> {
    check(relation.is_member())
}

#[cfg(test)]
mod tests {
    use super::{
        is_own, require_lead_or_self, require_moderator_of, require_team_member,
        require_team_runner, CampaignRelation, Roles, Subject, TeamAccess,
    };
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
    fn the_own_team_rule() {
        let (me, other, mine, theirs) = (
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        );
        assert!(is_own(me, &[mine], Subject::Team(mine)));
        assert!(!is_own(me, &[mine], Subject::Team(theirs)));
        assert!(!is_own(me, &[], Subject::Team(theirs)));
        // Oneself, in a team or not.
        assert!(is_own(me, &[], Subject::Person { id: me, teams: &[] }));
        // A teammate.
        let teammate = Subject::Person {
            id: other,
            teams: &[theirs, mine],
        };
        assert!(is_own(me, &[mine], teammate));
        let stranger = Subject::Person {
            id: other,
            teams: &[theirs],
        };
        assert!(!is_own(me, &[mine], stranger));
    }

    #[test]
    fn every_relation_to_a_campaign() {
        let relation = |team_role, staff| CampaignRelation { team_role, staff };
        let outsider = relation(None, false);
        let member = relation(Some(TeamRole::Member), false);
        let lead = relation(Some(TeamRole::Lead), false);
        let staff = relation(None, true);
        let staff_in_team = relation(Some(TeamRole::Member), true);
        assert!(!outsider.sees() && member.sees() && lead.sees() && staff.sees());
        assert!(member.own_team() && lead.own_team() && !staff.own_team());
        let code = |r| match require_moderator_of(r, "campaign") {
            Ok(()) => "ok".to_owned(),
            Err(e) => e.code().to_owned(),
        };
        assert_eq!(code(staff), "ok");
        assert_eq!(code(staff_in_team), "own_campaign");
        assert_eq!(code(member), "not_found");
        assert_eq!(code(outsider), "not_found");
        assert!(super::require_campaign_author(member).is_ok());
        assert!(super::require_campaign_author(lead).is_ok());
        assert!(super::require_campaign_author(staff).is_err());
    }

    #[test]
    fn team_rules() {
        let access = |role, staff| TeamAccess { role, staff };
        assert!(require_team_member(Some(TeamRole::Member)).is_ok());
        assert!(require_team_member(None).is_err());
        assert!(require_team_runner(access(Some(TeamRole::Lead), false)).is_ok());
        assert!(
            require_team_runner(access(None, true)).is_ok(),
            "staff run a team"
        );
        assert!(require_team_runner(access(Some(TeamRole::Member), false)).is_err());
        assert!(require_team_runner(access(None, false)).is_err());
        assert!(require_lead_or_self(access(Some(TeamRole::Member), false), true).is_ok());
        assert!(require_lead_or_self(access(Some(TeamRole::Member), false), false).is_err());
        assert!(require_lead_or_self(access(Some(TeamRole::Lead), false), false).is_ok());
        assert!(require_lead_or_self(access(None, true), false).is_ok());
    }
}
