//! Teams: created by a participant (its lead), joined by code or invite.

use chrono::Duration;
use tracing::instrument;
use uuid::Uuid;

use super::{
    enrolment, notify,
    permissions::{self, Roles},
    programmes,
    rate_limit::{self, Verdict},
    Principal,
};
use crate::{
    db::{
        self,
        teams::{Created, MemberRow, TeamRow},
    },
    domain::{BoundedText, Email, JoinCode, TeamRole},
    error::{AppError, AppResult},
    mail,
    state::AppState,
};

/// A team's name: 2 to 60 characters.
pub type TeamName = BoundedText<2, 60, false>;

/// A team as one of its members or a facilitator sees it.
pub struct TeamView {
    pub team: TeamRow,
    pub members: Vec<MemberRow>,
    /// The caller's role in the team; `None` for a facilitator looking on.
    pub my_role: Option<TeamRole>,
}

fn not_found() -> AppError {
    AppError::NotFound("team")
}

/// Loads a team the caller may see: its members and its programme's
/// facilitators. To anyone else it does not exist.
///
/// # Errors
/// 404 otherwise.
pub async fn visible(
    state: &AppState,
    principal: Principal,
    id: Uuid,
) -> AppResult<(TeamRow, Option<TeamRole>)> {
    let team = db::teams::by_id(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    let role = db::teams::role_of(&state.db, id, principal.user_id).await?;
    if role.is_none() {
        let roles = Roles::load(state, principal.user_id).await?;
        if !permissions::moderates(&roles, team.programme_id, team.city_id) {
            return Err(not_found());
        }
    }
    Ok((team, role))
}

/// A team the caller may see, and whether they run it (its lead, or a
/// facilitator of its programme, its city's admin or an admin).
async fn runs(
    state: &AppState,
    principal: Principal,
    id: Uuid,
) -> AppResult<(TeamRow, permissions::TeamAccess)> {
    let (team, role) = visible(state, principal, id).await?;
    let staff = if role.is_none() {
        true
    } else {
        let roles = Roles::load(state, principal.user_id).await?;
        permissions::moderates(&roles, team.programme_id, team.city_id)
    };
    Ok((team, permissions::TeamAccess { role, staff }))
}

async fn view(state: &AppState, team: TeamRow, my_role: Option<TeamRole>) -> AppResult<TeamView> {
    let members = db::teams::members(&state.db, team.id).await?;
    Ok(TeamView {
        team,
        members,
        my_role,
    })
}

/// # Errors
/// 404 when the caller may not see the team.
pub async fn get(state: &AppState, principal: Principal, id: Uuid) -> AppResult<TeamView> {
    let (team, role) = visible(state, principal, id).await?;
    view(state, team, role).await
}

/// Creates a team in a programme, with the caller (enrolled on the way) as lead.
///
/// # Errors
/// The enrolment rules (403 `under_minimum_age`, ...); 409 `already_in_a_team`.
#[instrument(skip_all, fields(user_id = %principal.user_id, programme_id = %programme_id))]
pub async fn create(
    state: &AppState,
    principal: Principal,
    programme_id: Uuid,
    name: TeamName,
) -> AppResult<TeamView> {
    enrolment::enrol(state, principal, programme_id).await?;
    let now = state.clock.now();
    let id = Uuid::now_v7();
    for _ in 0..5 {
        let code = JoinCode::generate();
        let mut tx = state.db.begin().await?;
        let created = db::teams::create(
            &mut tx,
            id,
            programme_id,
            name.as_str(),
            code.as_str(),
            principal.user_id,
            now,
        )
        .await;
        match created? {
            Created::Created => {
                super::stats::rollup::team_created(&mut tx, programme_id, now).await?;
                tx.commit().await?;
                let team = db::teams::by_id(&state.db, id)
                    .await?
                    .ok_or_else(not_found)?;
                return view(state, team, Some(TeamRole::Lead)).await;
            }
            Created::CodeTaken => {}
            Created::LeadTaken => {
                return Err(AppError::conflict(
                    "already_in_a_team",
                    "you are already in a team in this programme",
                ));
            }
        }
    }
    Err(anyhow::anyhow!("could not draw a free join code").into())
}

/// Joins the team with `code`, enrolling in its programme if needed.
///
/// # Errors
/// 429 `rate_limited` after too many attempts; 404 for an unknown code;
/// the enrolment rules; 409 `team_full` or `already_in_a_team`.
#[instrument(skip_all, fields(user_id = %principal.user_id))]
pub async fn join(state: &AppState, principal: Principal, code: &str) -> AppResult<TeamView> {
    let limit = state.config.teams.join_attempts_per_hour;
    if let Verdict::Limited {
        retry_after_seconds,
    } = rate_limit::hit(
        state,
        "join_code",
        &principal.user_id.to_string(),
        limit,
        Duration::hours(1),
    )
    .await?
    {
        return Err(AppError::RateLimited {
            retry_after_seconds,
        });
    }
    let unknown = || AppError::NotFound("team with this code");
    let code = JoinCode::parse(code).map_err(|_| unknown())?;
    let team = db::teams::by_code(&state.db, code.as_str())
        .await?
        .ok_or_else(unknown)?;
    if let Some(role) = db::teams::role_of(&state.db, team.id, principal.user_id).await? {
        return view(state, team, Some(role)).await;
    }
    enrolment::enrol(state, principal, team.programme_id).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let size = db::teams::count_members(&mut tx, team.id).await?;
    if size >= i64::from(state.config.teams.max_members) {
        return Err(AppError::conflict(
            "team_full",
            format!(
                "a team has at most {} members",
                state.config.teams.max_members
            ),
        ));
    }
    if !db::teams::add_member(
        &mut tx,
        team.id,
        team.programme_id,
        principal.user_id,
        TeamRole::Member,
        now,
    )
    .await?
    {
        return Err(AppError::conflict(
            "already_in_a_team",
            "you are already in a team in this programme",
        ));
    }
    notify::new_member(&mut tx, team.id, &team.name, principal.user_id, now).await?;
    tx.commit().await?;
    tracing::info!(team_id = %team.id, "joined a team");
    view(state, team, Some(TeamRole::Member)).await
}

/// Removes a member: the lead and the programme's staff remove others,
/// anyone removes themselves. When the lead goes, the longest-standing
/// member leads.
///
/// # Errors
/// 404 when the caller cannot see the team or the person is not in it;
/// 403 for removing someone else without leading the team or running it.
#[instrument(skip_all, fields(user_id = %principal.user_id, team_id = %team_id))]
pub async fn remove_member(
    state: &AppState,
    principal: Principal,
    team_id: Uuid,
    user_id: Uuid,
) -> AppResult<()> {
    let (team, access) = runs(state, principal, team_id).await?;
    let leaving = user_id == principal.user_id;
    permissions::require_lead_or_self(access, leaving)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !db::teams::remove_member(&mut tx, team.id, user_id).await? {
        return Err(AppError::NotFound("member"));
    }
    after_departure(&mut tx, &team, now).await?;
    tx.commit().await?;
    Ok(())
}

/// After someone left a team, in the same transaction: when nobody leads
/// it, its longest-standing member does and is told; a team nobody is in
/// any more is archived (its campaigns stay as they are).
///
/// # Errors
/// Database failures.
pub(crate) async fn after_departure(
    tx: &mut db::Tx,
    team: &TeamRow,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), sqlx::Error> {
    if let Some(lead) = db::teams::succeed(tx, team.id).await? {
        notify::new_lead(tx, team.id, &team.name, lead, now).await?;
    }
    db::teams::archive_if_empty(tx, team.id, now).await?;
    Ok(())
}

/// Makes a member the team's lead: the lead hands over, or the programme's
/// staff appoint one.
///
/// # Errors
/// 403 unless the caller leads the team or runs it; 404 when the person is
/// not a member.
pub async fn transfer_lead(
    state: &AppState,
    principal: Principal,
    team_id: Uuid,
    to: Uuid,
) -> AppResult<TeamView> {
    let (team, access) = runs(state, principal, team_id).await?;
    permissions::require_team_runner(access)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !db::teams::appoint_lead(&mut tx, team.id, to).await? {
        return Err(AppError::NotFound("member"));
    }
    if to != principal.user_id {
        notify::new_lead(&mut tx, team.id, &team.name, to, now).await?;
    }
    tx.commit().await?;
    let role = db::teams::role_of(&state.db, team.id, principal.user_id).await?;
    view(state, team, role).await
}

/// Draws a new join code; the old one stops working.
///
/// # Errors
/// 403 unless the caller is lead.
pub async fn rotate_code(
    state: &AppState,
    principal: Principal,
    team_id: Uuid,
) -> AppResult<String> {
    let (team, access) = runs(state, principal, team_id).await?;
    permissions::require_team_runner(access)?;
    for _ in 0..5 {
        let code = JoinCode::generate();
        if db::teams::set_join_code(&state.db, team.id, code.as_str(), state.clock.now()).await? {
            return Ok(code.as_str().to_owned());
        }
    }
    Err(anyhow::anyhow!("could not draw a free join code").into())
}

/// Emails a join link for the team.
///
/// # Errors
/// 404 unless the caller is a member; 429 after too many invites.
pub async fn invite(
    state: &AppState,
    principal: Principal,
    team_id: Uuid,
    email: Email,
) -> AppResult<()> {
    let (team, my_role) = visible(state, principal, team_id).await?;
    permissions::require_team_member(my_role)?;
    if let Verdict::Limited {
        retry_after_seconds,
    } = rate_limit::hit(
        state,
        "team_invite",
        &team.id.to_string(),
        state.config.teams.invites_per_hour,
        Duration::hours(1),
    )
    .await?
    {
        return Err(AppError::RateLimited {
            retry_after_seconds,
        });
    }
    let inviter = db::users::by_id(&state.db, principal.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let programme = programmes::get(state, team.programme_id).await?;
    let locale = programme.locale;
    let mut link = state.config.public_url.clone();
    link.set_path("/join");
    link.set_query(Some(&format!("code={}", team.join_code)));
    let message = mail::team_invite_mail(
        email.as_str(),
        inviter.display_name.as_deref().unwrap_or("A friend"),
        &team.name,
        &team.join_code,
        link.as_str(),
        locale,
    );
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    db::teams::record_invite(&mut tx, team.id, email.as_str(), principal.user_id, now).await?;
    let join_path = format!("/join?code={}", team.join_code);
    notify::invite(
        &mut tx,
        email.as_str(),
        &team.name,
        &join_path,
        &message,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The teams of a programme, for its facilitators.
///
/// # Errors
/// 404 for an unknown programme; 403 unless a facilitator.
pub async fn for_programme(
    state: &AppState,
    principal: Principal,
    programme_id: Uuid,
) -> AppResult<Vec<TeamRow>> {
    let programme = programmes::get(state, programme_id).await?;
    let roles = Roles::load(state, principal.user_id).await?;
    super::permissions::require_facilitator(&roles, programme.id, programme.city_id)?;
    Ok(db::teams::for_programme(&state.db, programme_id).await?)
}
