//! Teams: creating, joining by code, members, invites and the training ledger.

use chrono::NaiveDate;
use poem_openapi::{param::Path, payload::Json, ApiResponse, Object, OpenApi};
use serde::Deserialize;
use uuid::Uuid;

use super::{auth_guard::Auth, check::Check, cities::parse_email, json::JsonBody, ApiTags};
use crate::{
    db::{teams::TeamRow, training::ParticipantRow},
    error::AppError,
    service::{
        teams::{self, TeamName, TeamView},
        training,
    },
    state::AppState,
};

pub struct TeamsApi {
    pub state: AppState,
}

/// A member of a team.
#[derive(Debug, Object)]
pub struct TeamMember {
    pub user_id: Uuid,
    /// Null until the person has chosen a name.
    #[oai(nullable)]
    pub display_name: Option<String>,
    pub role: crate::domain::TeamRole,
    pub joined_at: chrono::DateTime<chrono::Utc>,
}

/// A team.
#[derive(Debug, Object)]
pub struct Team {
    pub id: Uuid,
    pub programme_id: Uuid,
    pub name: String,
    /// Shown to members only: the code friends type (or follow as `/join?code=`) to join.
    #[oai(nullable)]
    pub join_code: Option<String>,
    pub members: Vec<TeamMember>,
    /// The caller's role; null for a facilitator looking on.
    #[oai(nullable)]
    pub my_role: Option<crate::domain::TeamRole>,
}

/// A team in a programme's list, for facilitators.
#[derive(Debug, Object)]
pub struct TeamSummary {
    pub id: Uuid,
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct CreateTeamRequest {
    /// 2 to 60 characters.
    #[oai(validator(
        max_length = 60,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x1f\\x7f-\\x9f]*[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub name: String,
}

#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct JoinRequest {
    /// The team's join code; case, spaces and dashes do not matter.
    #[oai(validator(
        pattern = "^[\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\-]*([34679ACDEFGHJKMNPQRTUVWXYacdefghjkmnpqrtuvwxy][\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\-]*){8}$"
    ))]
    pub code: String,
}

#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct InviteRequest {
    #[oai(validator(
        max_length = 254,
        pattern = "^[\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*[!-?A-~\\xc0-\\xd6\\xd8-\\xf6\\xf8-\\u012f\\u0131-\\u017f]{1,64}@[A-Za-z0-9\\-\\xc0-\\xd6\\xd8-\\xf6\\xf8-\\u012f\\u0131-\\u017f]+(\\.[A-Za-z0-9\\-\\xc0-\\xd6\\xd8-\\xf6\\xf8-\\u012f\\u0131-\\u017f]+)+[\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
    ))]
    pub email: String,
}

#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct LeadRequest {
    /// The member who becomes lead.
    pub user_id: Uuid,
}

#[derive(Debug, Object)]
pub struct JoinCodeResponse {
    pub join_code: String,
}

/// A participant of a programme, for its facilitators.
#[derive(Debug, Object)]
pub struct Participant {
    pub user_id: Uuid,
    #[oai(nullable)]
    pub display_name: Option<String>,
    #[oai(nullable)]
    pub email: Option<String>,
    #[oai(nullable)]
    pub team_id: Option<Uuid>,
    #[oai(nullable)]
    pub team_name: Option<String>,
    pub enrolled_at: chrono::DateTime<chrono::Utc>,
    /// When the person completed the changemaker training; null if not yet.
    #[oai(nullable)]
    pub trained_on: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct TrainingRequest {
    /// The day the training was completed; not in the future.
    pub trained_on: NaiveDate,
}

#[derive(ApiResponse)]
pub enum TeamCreated {
    /// The team, with its join code; the caller is its lead.
    #[oai(status = 201)]
    Created(Json<Team>),
}

#[derive(ApiResponse)]
pub enum Done {
    /// Done.
    #[oai(status = 204)]
    Done,
}

#[derive(ApiResponse)]
pub enum Accepted {
    /// The invite is on its way.
    #[oai(status = 202)]
    Accepted,
}

impl From<TeamView> for Team {
    fn from(view: TeamView) -> Self {
        let member = view.my_role.is_some();
        Self {
            id: view.team.id,
            programme_id: view.team.programme_id,
            name: view.team.name,
            join_code: member.then_some(view.team.join_code),
            members: view
                .members
                .into_iter()
                .map(|m| TeamMember {
                    user_id: m.user_id,
                    display_name: m.display_name,
                    role: m.role,
                    joined_at: m.joined_at,
                })
                .collect(),
            my_role: view.my_role,
        }
    }
}

impl From<TeamRow> for TeamSummary {
    fn from(row: TeamRow) -> Self {
        Self {
            id: row.id,
            name: row.name,
            created_at: row.created_at,
        }
    }
}

impl From<ParticipantRow> for Participant {
    fn from(row: ParticipantRow) -> Self {
        Self {
            user_id: row.user_id,
            display_name: row.display_name,
            email: row.email,
            team_id: row.team_id,
            team_name: row.team_name,
            enrolled_at: row.enrolled_at,
            trained_on: row.trained_on,
        }
    }
}

#[OpenApi(tag = "ApiTags::Teams")]
impl TeamsApi {
    /// Create a team
    ///
    /// The caller becomes its lead (and is enrolled in the programme, under
    /// the same age rule). One team per person per programme.
    #[oai(
        path = "/programmes/:id/teams",
        method = "post",
        operation_id = "createTeam"
    )]
    async fn create(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: JsonBody<CreateTeamRequest>,
    ) -> Result<TeamCreated, AppError> {
        let mut check = Check::default();
        let name = check
            .field("name", TeamName::parse(&body.0.name))
            .ok_or_else(|| check.into_error())?;
        let view = teams::create(&self.state, auth.principal(), id.0, name).await?;
        Ok(TeamCreated::Created(Json(view.into())))
    }

    /// List a programme's teams
    ///
    /// Facilitators of the programme.
    #[oai(
        path = "/programmes/:id/teams",
        method = "get",
        operation_id = "listTeams"
    )]
    async fn list(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<Vec<TeamSummary>>, AppError> {
        let rows = teams::for_programme(&self.state, auth.principal(), id.0).await?;
        Ok(Json(rows.into_iter().map(TeamSummary::from).collect()))
    }

    /// Get a team
    ///
    /// Its members and facilitators only; to anyone else it does not exist (404).
    #[oai(path = "/teams/:id", method = "get", operation_id = "getTeam")]
    async fn get(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<Team>, AppError> {
        Ok(Json(
            teams::get(&self.state, auth.principal(), id.0)
                .await?
                .into(),
        ))
    }

    /// Join a team with its code
    ///
    /// Enrols the caller in the team's programme if needed. Attempts are
    /// throttled (429 `rate_limited`); a full team gets 409 `team_full`.
    #[oai(path = "/teams/join", method = "post", operation_id = "joinTeam")]
    async fn join(&self, auth: Auth, body: JsonBody<JoinRequest>) -> Result<Json<Team>, AppError> {
        Ok(Json(
            teams::join(&self.state, auth.principal(), &body.0.code)
                .await?
                .into(),
        ))
    }

    /// Invite someone by email
    ///
    /// Sends a join link in the programme's language. Members only.
    #[oai(
        path = "/teams/:id/invites",
        method = "post",
        operation_id = "inviteToTeam"
    )]
    async fn invite(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: JsonBody<InviteRequest>,
    ) -> Result<Accepted, AppError> {
        let email = parse_email(&body.0.email)?;
        teams::invite(&self.state, auth.principal(), id.0, email).await?;
        Ok(Accepted::Accepted)
    }

    /// Remove a member, or leave
    ///
    /// The lead and the programme's staff remove others; anyone may remove
    /// themselves. When the lead goes, the longest-standing member leads and
    /// is told; a team nobody is in any more is archived (its code stops
    /// working, its campaigns stay).
    #[oai(
        path = "/teams/:id/members/:user_id",
        method = "delete",
        operation_id = "removeTeamMember"
    )]
    async fn remove(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        user_id: Path<Uuid>,
    ) -> Result<Done, AppError> {
        teams::remove_member(&self.state, auth.principal(), id.0, user_id.0).await?;
        Ok(Done::Done)
    }

    /// Hand over the lead role, or appoint a lead
    ///
    /// The lead hands over; the programme's staff appoint any member. The
    /// new lead is told.
    #[oai(
        path = "/teams/:id/lead",
        method = "post",
        operation_id = "transferTeamLead"
    )]
    async fn lead(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: JsonBody<LeadRequest>,
    ) -> Result<Json<Team>, AppError> {
        Ok(Json(
            teams::transfer_lead(&self.state, auth.principal(), id.0, body.0.user_id)
                .await?
                .into(),
        ))
    }

    /// Draw a new join code
    ///
    /// The lead or the programme's staff; the old code stops working at once.
    #[oai(
        path = "/teams/:id/join-code",
        method = "post",
        operation_id = "rotateJoinCode"
    )]
    async fn rotate(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<JoinCodeResponse>, AppError> {
        let join_code = teams::rotate_code(&self.state, auth.principal(), id.0).await?;
        Ok(Json(JoinCodeResponse { join_code }))
    }

    /// List a programme's participants
    ///
    /// Facilitators of the programme: who is enrolled, in which team, and
    /// who completed the changemaker training.
    #[oai(
        path = "/programmes/:id/participants",
        method = "get",
        operation_id = "listParticipants"
    )]
    async fn participants(
        &self,
        auth: Auth,
        id: Path<Uuid>,
    ) -> Result<Json<Vec<Participant>>, AppError> {
        let rows = training::participants(&self.state, auth.principal(), id.0).await?;
        Ok(Json(rows.into_iter().map(Participant::from).collect()))
    }

    /// Mark a participant trained
    ///
    /// A trained changemaker counts toward the goal, once per person however
    /// many programmes trained them.
    #[oai(
        path = "/programmes/:id/participants/:user_id/training",
        method = "post",
        operation_id = "markTrained"
    )]
    async fn mark(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        user_id: Path<Uuid>,
        body: JsonBody<TrainingRequest>,
    ) -> Result<Done, AppError> {
        training::set_trained(
            &self.state,
            auth.principal(),
            id.0,
            user_id.0,
            Some(body.0.trained_on),
        )
        .await?;
        Ok(Done::Done)
    }

    /// Undo a training mark
    #[oai(
        path = "/programmes/:id/participants/:user_id/training",
        method = "delete",
        operation_id = "unmarkTrained"
    )]
    async fn unmark(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        user_id: Path<Uuid>,
    ) -> Result<Done, AppError> {
        training::set_trained(&self.state, auth.principal(), id.0, user_id.0, None).await?;
        Ok(Done::Done)
    }
}
