//! The signed-in person's own account.

use chrono::Datelike;
use poem::web::cookie::CookieJar;
use poem_openapi::{
    param::Path,
    payload::{Attachment, AttachmentType, Json},
    ApiResponse, Object, OpenApi,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    auth_guard::{cleared_cookie, Auth},
    check::Check,
    json::JsonBody,
    ApiTags,
};
use crate::{
    db::roles::RoleRow,
    domain::{BirthYear, DisplayName, Locale, RoleKind},
    error::AppError,
    service::{
        me::{self, MeView, ProfileUpdate},
        privacy,
    },
    state::AppState,
};

pub struct MeApi {
    pub state: AppState,
}

/// A role the person holds.
#[derive(Debug, Object)]
pub struct RoleGrant {
    pub role: RoleKind,
    /// The city the role reaches (slug), for city admins and facilitators.
    #[oai(nullable)]
    pub city: Option<String>,
    /// The city's name, to show instead of its slug.
    #[oai(nullable)]
    pub city_name: Option<String>,
    /// The programme, for facilitators.
    #[oai(nullable)]
    pub programme_id: Option<Uuid>,
    /// The programme's name, for facilitators.
    #[oai(nullable)]
    pub programme_name: Option<String>,
}

/// A team the person belongs to.
#[derive(Debug, Object)]
pub struct TeamMembership {
    pub id: Uuid,
    pub name: String,
    pub programme_id: Uuid,
    /// The programme's name, to show beside the team's.
    pub programme_name: String,
    pub role: crate::domain::TeamRole,
}

/// The signed-in person.
#[derive(Debug, Object)]
pub struct MeResponse {
    pub id: Uuid,
    /// Null for an account made through a provider that gave no verified address.
    #[oai(nullable)]
    pub email: Option<String>,
    /// Unset until the person chooses a name.
    #[oai(nullable)]
    pub display_name: Option<String>,
    /// Unset until the person gives it; only the year is kept.
    #[oai(nullable)]
    pub birth_year: Option<i32>,
    pub locale: Locale,
    /// Roles beyond being a changemaker.
    pub roles: Vec<RoleGrant>,
    /// Teams the person is a member of.
    pub teams: Vec<TeamMembership>,
}

/// A provider account linked to the person.
#[derive(Debug, Object)]
pub struct LinkedIdentity {
    /// The provider's id.
    pub provider: String,
    /// The provider's name, when it is still configured.
    #[oai(nullable)]
    pub name: Option<String>,
    /// The address the provider vouched for, if any.
    #[oai(nullable)]
    pub email: Option<String>,
    pub linked_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: chrono::DateTime<chrono::Utc>,
}

#[derive(ApiResponse)]
pub enum Deleted {
    /// Done.
    #[oai(status = 204)]
    Done,
}

/// Changes to one's profile; absent fields stay as they are.
#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct UpdateMeRequest {
    /// 1 to 80 characters.
    #[oai(nullable)]
    #[oai(validator(
        max_length = 80,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub display_name: Option<String>,
    /// Between 1900 and this year.
    #[oai(nullable)]
    pub birth_year: Option<i32>,
    #[oai(nullable)]
    pub locale: Option<Locale>,
}

impl From<&RoleRow> for RoleGrant {
    fn from(row: &RoleRow) -> Self {
        Self {
            role: row.role,
            city: row.city_slug.clone(),
            city_name: row.city_name.clone(),
            programme_id: row.programme_id,
            programme_name: row.programme_name.clone(),
        }
    }
}

impl From<MeView> for MeResponse {
    fn from(view: MeView) -> Self {
        Self {
            id: view.user.id,
            email: view.user.email,
            display_name: view.user.display_name,
            birth_year: view.user.birth_year,
            locale: view.user.locale,
            roles: view.roles.iter().map(RoleGrant::from).collect(),
            teams: view
                .teams
                .into_iter()
                .map(|t| TeamMembership {
                    id: t.team_id,
                    name: t.name,
                    programme_id: t.programme_id,
                    programme_name: t.programme_name,
                    role: t.role,
                })
                .collect(),
        }
    }
}

#[OpenApi(prefix_path = "/me", tag = "ApiTags::Me")]
impl MeApi {
    /// Who am I
    ///
    /// The signed-in person, their roles and their teams.
    #[oai(path = "/", method = "get", operation_id = "getMe")]
    async fn get(&self, auth: Auth) -> Result<Json<MeResponse>, AppError> {
        Ok(Json(me::get(&self.state, auth.principal()).await?.into()))
    }

    /// Change my profile
    #[oai(path = "/", method = "patch", operation_id = "updateMe")]
    async fn update(
        &self,
        auth: Auth,
        body: JsonBody<UpdateMeRequest>,
    ) -> Result<Json<MeResponse>, AppError> {
        let body = body.0;
        let year = self.state.clock.now().year();
        let mut check = Check::default();
        let update = ProfileUpdate {
            display_name: check.optional("display_name", body.display_name, |v| {
                DisplayName::parse(&v)
            }),
            birth_year: check
                .optional("birth_year", body.birth_year, |v| BirthYear::parse(v, year)),
            locale: body.locale,
        };
        if !check.is_ok() {
            return Err(check.into_error());
        }
        Ok(Json(
            me::update(&self.state, auth.principal(), update)
                .await?
                .into(),
        ))
    }

    /// Download my data
    ///
    /// Every piece of personal data held about the caller, as a JSON file
    /// (GDPR articles 15 and 20).
    #[oai(path = "/export", method = "get", operation_id = "exportMe")]
    async fn export(&self, auth: Auth) -> Result<Attachment<Vec<u8>>, AppError> {
        let data = privacy::export(&self.state, auth.principal()).await?;
        let body = serde_json::to_vec_pretty(&data).map_err(anyhow::Error::from)?;
        Ok(Attachment::new(body)
            .attachment_type(AttachmentType::Attachment)
            .filename("changemakers-my-data.json"))
    }

    /// Delete my account
    ///
    /// Erases the caller's personal data, ends every session and frees the
    /// email address. Content a team made stays, its author shown as a former
    /// member.
    #[oai(path = "/", method = "delete", operation_id = "deleteMe")]
    async fn delete(&self, auth: Auth, jar: &CookieJar) -> Result<Deleted, AppError> {
        privacy::delete_account(&self.state, auth.principal()).await?;
        jar.add(cleared_cookie(&self.state));
        Ok(Deleted::Done)
    }

    /// List my linked sign-in providers
    #[oai(
        path = "/identities",
        method = "get",
        operation_id = "listMyIdentities"
    )]
    async fn identities(&self, auth: Auth) -> Result<Json<Vec<LinkedIdentity>>, AppError> {
        let rows = me::identities(&self.state, auth.principal()).await?;
        let names: Vec<(String, String)> = self
            .state
            .providers
            .list()
            .map(|(id, name)| (id.to_owned(), name.to_owned()))
            .collect();
        Ok(Json(
            rows.into_iter()
                .map(|row| LinkedIdentity {
                    name: names
                        .iter()
                        .find(|(id, _)| *id == row.provider)
                        .map(|(_, n)| n.clone()),
                    provider: row.provider,
                    email: row.email,
                    linked_at: row.created_at,
                    last_used_at: row.last_used_at,
                })
                .collect(),
        ))
    }

    /// Unlink a sign-in provider
    ///
    /// Refused with 409 `last_sign_in_method` when it is the only way left to sign in.
    #[oai(
        path = "/identities/:provider",
        method = "delete",
        operation_id = "unlinkMyIdentity"
    )]
    async fn unlink(&self, auth: Auth, provider: Path<String>) -> Result<Deleted, AppError> {
        me::unlink(&self.state, auth.principal(), &provider.0).await?;
        Ok(Deleted::Done)
    }
}
