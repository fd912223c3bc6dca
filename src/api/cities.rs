//! Cities of the alliance and their admins.

use poem_openapi::{param::Path, payload::Json, ApiResponse, Object, OpenApi};
use serde::Deserialize;
use uuid::Uuid;

use super::{auth_guard::Auth, check::Check, json::JsonBody, ApiTags};
use crate::{
    db::{cities::CityRow, roles::HolderRow},
    domain::{Country, Email, Name, Slug},
    error::AppError,
    service::cities::{self, CityChange, NewCity},
    state::AppState,
};

pub struct CitiesApi {
    pub state: AppState,
}

/// A city of the alliance.
#[derive(Debug, Object)]
pub struct City {
    pub id: Uuid,
    /// URL-safe name, e.g. `larvik`.
    pub slug: String,
    pub name: String,
    pub country: Country,
}

/// A new city.
#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct CreateCityRequest {
    /// 2 to 64 characters of a-z, 0-9 and single hyphens.
    #[oai(validator(max_length = 64, min_length = 2, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$"))]
    pub slug: String,
    /// 1 to 120 characters.
    #[oai(validator(
        max_length = 120,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub name: String,
    pub country: Country,
}

/// Changes to a city; absent fields stay as they are.
#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct UpdateCityRequest {
    #[oai(nullable)]
    #[oai(validator(
        max_length = 120,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub name: Option<String>,
    /// Admins only.
    #[oai(nullable)]
    pub country: Option<Country>,
}

/// Give someone a role by their email address.
#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct EmailRequest {
    /// The person's email; an account is made for a new address.
    #[oai(validator(
        max_length = 254,
        pattern = "^[\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*[!-?A-~\\xc0-\\xd6\\xd8-\\xf6\\xf8-\\u012f\\u0131-\\u017f]{1,64}@[A-Za-z0-9\\-\\xc0-\\xd6\\xd8-\\xf6\\xf8-\\u012f\\u0131-\\u017f]+(\\.[A-Za-z0-9\\-\\xc0-\\xd6\\xd8-\\xf6\\xf8-\\u012f\\u0131-\\u017f]+)+[\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
    ))]
    pub email: String,
}

/// A person who holds a role here.
#[derive(Debug, Object)]
pub struct RoleHolder {
    pub user_id: Uuid,
    pub email: String,
    #[oai(nullable)]
    pub display_name: Option<String>,
    pub granted_at: chrono::DateTime<chrono::Utc>,
}

#[derive(ApiResponse)]
pub enum CityCreated {
    /// The city was created.
    #[oai(status = 201)]
    Created(Json<City>),
}

#[derive(ApiResponse)]
pub enum HolderCreated {
    /// The role is granted (granting it again changes nothing).
    #[oai(status = 201)]
    Created(Json<RoleHolder>),
}

#[derive(ApiResponse)]
pub enum Removed {
    /// Removed.
    #[oai(status = 204)]
    Done,
}

impl From<CityRow> for City {
    fn from(row: CityRow) -> Self {
        Self {
            id: row.id,
            slug: row.slug,
            name: row.name,
            country: row.country,
        }
    }
}

impl From<HolderRow> for RoleHolder {
    fn from(row: HolderRow) -> Self {
        Self {
            user_id: row.user_id,
            email: row.email.unwrap_or_default(),
            display_name: row.display_name,
            granted_at: row.granted_at,
        }
    }
}

/// Parses an email field into the domain type or a 422.
pub fn parse_email(raw: &str) -> Result<Email, AppError> {
    let mut check = Check::default();
    check
        .field("email", Email::parse(raw))
        .ok_or_else(|| check.into_error())
}

#[OpenApi(prefix_path = "/cities", tag = "ApiTags::Cities")]
impl CitiesApi {
    /// List cities
    ///
    /// Every city of the alliance, by country and name. Public.
    #[oai(path = "/", method = "get", operation_id = "listCities")]
    async fn list(&self) -> Result<Json<Vec<City>>, AppError> {
        let rows = cities::list(&self.state).await?;
        Ok(Json(rows.into_iter().map(City::from).collect()))
    }

    /// Create a city
    ///
    /// Admins only. A taken slug gets 409 `slug_taken`.
    #[oai(path = "/", method = "post", operation_id = "createCity")]
    async fn create(
        &self,
        auth: Auth,
        body: JsonBody<CreateCityRequest>,
    ) -> Result<CityCreated, AppError> {
        let body = body.0;
        let mut check = Check::default();
        let slug = check.field("slug", Slug::parse(&body.slug));
        let name = check.field("name", Name::parse(&body.name));
        let (Some(slug), Some(name)) = (slug, name) else {
            return Err(check.into_error());
        };
        let new = NewCity {
            slug,
            name,
            country: body.country,
        };
        let city = cities::create(&self.state, auth.principal(), new).await?;
        Ok(CityCreated::Created(Json(city.into())))
    }

    /// Get a city
    #[oai(path = "/:slug", method = "get", operation_id = "getCity")]
    async fn get(&self, slug: Path<String>) -> Result<Json<City>, AppError> {
        Ok(Json(cities::get(&self.state, &slug.0).await?.into()))
    }

    /// Change a city
    ///
    /// Its city admins and admins; only admins may change the country.
    #[oai(path = "/:slug", method = "patch", operation_id = "updateCity")]
    async fn update(
        &self,
        auth: Auth,
        slug: Path<String>,
        body: JsonBody<UpdateCityRequest>,
    ) -> Result<Json<City>, AppError> {
        let body = body.0;
        let mut check = Check::default();
        let name = check.optional("name", body.name, |v| Name::parse(&v));
        if !check.is_ok() {
            return Err(check.into_error());
        }
        let change = CityChange {
            name,
            country: body.country,
        };
        let city = cities::update(&self.state, auth.principal(), &slug.0, change).await?;
        Ok(Json(city.into()))
    }

    /// List a city's admins
    #[oai(
        path = "/:slug/admins",
        method = "get",
        operation_id = "listCityAdmins"
    )]
    async fn admins(
        &self,
        auth: Auth,
        slug: Path<String>,
    ) -> Result<Json<Vec<RoleHolder>>, AppError> {
        let rows = cities::list_admins(&self.state, auth.principal(), &slug.0).await?;
        Ok(Json(rows.into_iter().map(RoleHolder::from).collect()))
    }

    /// Make someone a city admin
    ///
    /// Admins only. The person signs in with this email address.
    #[oai(path = "/:slug/admins", method = "post", operation_id = "addCityAdmin")]
    async fn add_admin(
        &self,
        auth: Auth,
        slug: Path<String>,
        body: JsonBody<EmailRequest>,
    ) -> Result<HolderCreated, AppError> {
        let email = parse_email(&body.0.email)?;
        let holder = cities::add_admin(&self.state, auth.principal(), &slug.0, email).await?;
        Ok(HolderCreated::Created(Json(holder.into())))
    }

    /// Remove a city admin
    #[oai(
        path = "/:slug/admins/:user_id",
        method = "delete",
        operation_id = "removeCityAdmin"
    )]
    async fn remove_admin(
        &self,
        auth: Auth,
        slug: Path<String>,
        user_id: Path<Uuid>,
    ) -> Result<Removed, AppError> {
        cities::remove_admin(&self.state, auth.principal(), &slug.0, user_id.0).await?;
        Ok(Removed::Done)
    }
}
