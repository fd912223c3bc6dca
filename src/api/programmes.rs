//! Programmes a city runs, and their facilitators.

use crate::domain::Invalid;
use chrono::NaiveDate;
use poem_openapi::{
    param::{Path, Query},
    payload::Json,
    Object, OpenApi,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    auth_guard::Auth,
    check::Check,
    cities::{parse_email, EmailRequest, HolderCreated, Removed, RoleHolder},
    json::JsonBody,
    ApiTags,
};
use crate::{
    db::programmes::ProgrammeRow,
    domain::{Description, Locale, Name, ProgrammeKind, Slug},
    error::AppError,
    service::{
        enrolment,
        programmes::{self, ProgrammeChange, ProgrammeInput},
    },
    state::AppState,
};

pub struct ProgrammesApi {
    pub state: AppState,
}

/// A programme: a cohort of young people trained as changemakers.
#[derive(Debug, Object)]
pub struct Programme {
    pub id: Uuid,
    /// The city's slug.
    pub city: String,
    pub slug: String,
    pub name: String,
    pub kind: ProgrammeKind,
    pub description: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The programme's main language.
    pub locale: Locale,
    /// How many changemakers the programme aims to train.
    #[oai(nullable)]
    pub changemaker_target: Option<i32>,
    /// The youngest age that may enrol, counted by birth year.
    pub minimum_age: i32,
}

/// The caller's place in a programme.
#[derive(Debug, Object)]
pub struct Enrolment {
    pub programme_id: Uuid,
    pub enrolled_at: chrono::DateTime<chrono::Utc>,
}

/// A page of programmes.
#[derive(Debug, Object)]
pub struct ProgrammePage {
    pub items: Vec<Programme>,
    /// Pass as `cursor` for the next page; null on the last page.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

/// A new programme.
#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct CreateProgrammeRequest {
    /// Unique within the city.
    #[oai(validator(max_length = 64, min_length = 2, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$"))]
    pub slug: String,
    #[oai(validator(
        max_length = 120,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub name: String,
    pub kind: ProgrammeKind,
    /// Up to 4000 characters.
    #[oai(validator(
        max_length = 4000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub description: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub locale: Locale,
    /// 1 to 100000.
    #[oai(nullable)]
    pub changemaker_target: Option<i32>,
}

/// Changes to a programme; absent fields stay as they are.
#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct UpdateProgrammeRequest {
    #[oai(nullable)]
    #[oai(validator(max_length = 64, min_length = 2, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$"))]
    pub slug: Option<String>,
    #[oai(nullable)]
    #[oai(validator(
        max_length = 120,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub name: Option<String>,
    #[oai(nullable)]
    pub kind: Option<ProgrammeKind>,
    #[oai(nullable)]
    #[oai(validator(
        max_length = 4000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub description: Option<String>,
    #[oai(nullable)]
    pub starts_on: Option<NaiveDate>,
    #[oai(nullable)]
    pub ends_on: Option<NaiveDate>,
    #[oai(nullable)]
    pub locale: Option<Locale>,
    #[oai(nullable)]
    pub changemaker_target: Option<i32>,
}

impl Programme {
    fn from_row(row: ProgrammeRow, state: &AppState) -> Self {
        Self {
            minimum_age: state.config.auth.minimum_age,
            id: row.id,
            city: row.city_slug,
            slug: row.slug,
            name: row.name,
            kind: row.kind,
            description: row.description,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            locale: row.locale,
            changemaker_target: row.changemaker_target,
        }
    }
}

fn target(check: &mut Check, value: Option<i32>) -> Option<i32> {
    match value {
        Some(v) if !(1..=100_000).contains(&v) => {
            check.fail(
                "changemaker_target",
                Invalid::range(1, 100_000, "between 1 and 100000"),
            );
            None
        }
        other => other,
    }
}

fn parse_cursor(cursor: Option<String>) -> Result<Option<Uuid>, AppError> {
    cursor
        .filter(|c| !c.is_empty())
        .map(|c| {
            Uuid::parse_str(&c).map_err(|_| AppError::BadRequest {
                code: "invalid_cursor",
                detail: "the cursor is not one this API gave out".to_owned(),
            })
        })
        .transpose()
}

#[OpenApi(tag = "ApiTags::Programmes")]
impl ProgrammesApi {
    /// List a city's programmes
    ///
    /// Newest first, cursor-paginated. Public.
    #[oai(
        path = "/cities/:slug/programmes",
        method = "get",
        operation_id = "listProgrammes"
    )]
    async fn list(
        &self,
        slug: Path<String>,
        /// Items per page: 1 to 100 (24 when absent).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// Where the page starts: the `next_cursor` of the page before.
        #[oai(validator(
            pattern = "^([0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$"
        ))]
        cursor: Query<Option<String>>,
    ) -> Result<Json<ProgrammePage>, AppError> {
        let cursor = parse_cursor(cursor.0)?;
        let page = programmes::list_for_city(
            &self.state,
            &slug.0,
            cursor,
            limit.0.unwrap_or(crate::service::pagination::DEFAULT_LIMIT),
        )
        .await?;
        Ok(Json(ProgrammePage {
            items: page
                .items
                .into_iter()
                .map(|row| Programme::from_row(row, &self.state))
                .collect(),
            next_cursor: page.next.map(|id| id.to_string()),
        }))
    }

    /// Create a programme
    ///
    /// The city's admins and admins. A slug taken in this city gets 409 `slug_taken`.
    #[oai(
        path = "/cities/:slug/programmes",
        method = "post",
        operation_id = "createProgramme"
    )]
    async fn create(
        &self,
        auth: Auth,
        slug: Path<String>,
        body: JsonBody<CreateProgrammeRequest>,
    ) -> Result<ProgrammeCreated, AppError> {
        let body = body.0;
        let mut check = Check::default();
        let new_slug = check.field("slug", Slug::parse(&body.slug));
        let name = check.field("name", Name::parse(&body.name));
        let description = check.field("description", Description::parse(&body.description));
        let changemaker_target = target(&mut check, body.changemaker_target);
        let (Some(new_slug), Some(name), Some(description), true) =
            (new_slug, name, description, check.is_ok())
        else {
            return Err(check.into_error());
        };
        let input = ProgrammeInput {
            slug: new_slug,
            name,
            kind: body.kind,
            description,
            starts_on: body.starts_on,
            ends_on: body.ends_on,
            locale: body.locale,
            changemaker_target,
        };
        let row = programmes::create(&self.state, auth.principal(), &slug.0, input).await?;
        Ok(ProgrammeCreated::Created(Json(Programme::from_row(
            row,
            &self.state,
        ))))
    }

    /// Get a programme
    #[oai(
        path = "/programmes/:id",
        method = "get",
        operation_id = "getProgramme"
    )]
    async fn get(&self, id: Path<Uuid>) -> Result<Json<Programme>, AppError> {
        let row = programmes::get(&self.state, id.0).await?;
        Ok(Json(Programme::from_row(row, &self.state)))
    }

    /// Change a programme
    ///
    /// The city's admins and admins.
    #[oai(
        path = "/programmes/:id",
        method = "patch",
        operation_id = "updateProgramme"
    )]
    async fn update(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: JsonBody<UpdateProgrammeRequest>,
    ) -> Result<Json<Programme>, AppError> {
        let body = body.0;
        let mut check = Check::default();
        let change = ProgrammeChange {
            slug: check.optional("slug", body.slug, |v| Slug::parse(&v)),
            name: check.optional("name", body.name, |v| Name::parse(&v)),
            kind: body.kind,
            description: check
                .optional("description", body.description, |v| Description::parse(&v)),
            starts_on: body.starts_on,
            ends_on: body.ends_on,
            locale: body.locale,
            changemaker_target: target(&mut check, body.changemaker_target),
        };
        if !check.is_ok() {
            return Err(check.into_error());
        }
        let row = programmes::update(&self.state, auth.principal(), id.0, change).await?;
        Ok(Json(Programme::from_row(row, &self.state)))
    }

    /// Enrol in a programme
    ///
    /// Enrols the caller (again changes nothing). Needs a birth year on the
    /// account (403 `birth_year_required`); under the minimum age (13 by
    /// default, counted by birth year) gets 403 `under_minimum_age`.
    #[oai(
        path = "/programmes/:id/enrol",
        method = "post",
        operation_id = "enrol"
    )]
    async fn enrol(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<Enrolment>, AppError> {
        let enrolled = enrolment::enrol(&self.state, auth.principal(), id.0).await?;
        Ok(Json(Enrolment {
            programme_id: enrolled.programme_id,
            enrolled_at: enrolled.enrolled_at,
        }))
    }

    /// List a programme's facilitators
    #[oai(
        path = "/programmes/:id/facilitators",
        method = "get",
        operation_id = "listFacilitators"
    )]
    async fn facilitators(
        &self,
        auth: Auth,
        id: Path<Uuid>,
    ) -> Result<Json<Vec<RoleHolder>>, AppError> {
        let rows = programmes::list_facilitators(&self.state, auth.principal(), id.0).await?;
        Ok(Json(rows.into_iter().map(RoleHolder::from).collect()))
    }

    /// Add a facilitator
    ///
    /// The city's admins and admins. The person signs in with this email address.
    #[oai(
        path = "/programmes/:id/facilitators",
        method = "post",
        operation_id = "addFacilitator"
    )]
    async fn add_facilitator(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: JsonBody<EmailRequest>,
    ) -> Result<HolderCreated, AppError> {
        let email = parse_email(&body.0.email)?;
        let holder =
            programmes::add_facilitator(&self.state, auth.principal(), id.0, email).await?;
        Ok(HolderCreated::Created(Json(holder.into())))
    }

    /// Remove a facilitator
    #[oai(
        path = "/programmes/:id/facilitators/:user_id",
        method = "delete",
        operation_id = "removeFacilitator"
    )]
    async fn remove_facilitator(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        user_id: Path<Uuid>,
    ) -> Result<Removed, AppError> {
        programmes::remove_facilitator(&self.state, auth.principal(), id.0, user_id.0).await?;
        Ok(Removed::Done)
    }
}

#[derive(poem_openapi::ApiResponse)]
pub enum ProgrammeCreated {
    /// The programme was created.
    #[oai(status = 201)]
    Created(Json<Programme>),
}
