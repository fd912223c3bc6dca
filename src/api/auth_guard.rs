//! Security schemes: the session token as a Bearer header or as the HttpOnly
//! session cookie. A cookie-authenticated write from another origin is refused.

use poem::{
    http::Method,
    web::cookie::{Cookie, SameSite},
    Request,
};
use poem_openapi::{
    auth::{ApiKey, Bearer},
    SecurityScheme,
};

use crate::{
    error::AppError,
    i18n::PersonLocale,
    service::{auth, Principal},
    state::AppState,
};

/// Whether checking the session failed because the database could not be
/// asked. Both schemes are tried in turn and the last refusal wins, which
/// would turn a database outage into a 401 (and a client signing its person
/// out); the problems middleware answers 503 instead when this was recorded.
#[derive(Debug, Clone, Default)]
pub struct AuthOutage(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl AuthOutage {
    fn record(req: &Request) {
        if let Some(slot) = req.data::<Self>() {
            slot.0.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }

    #[must_use]
    pub fn happened(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The session behind `token`, recording an outage on the way.
async fn authenticate(
    req: &Request,
    state: &AppState,
    token: &str,
) -> poem::Result<Option<auth::Authenticated>> {
    match auth::authenticate(state, token).await {
        Ok(found) => Ok(found),
        Err(err) => {
            if matches!(err, AppError::Unavailable(_)) {
                AuthOutage::record(req);
            }
            Err(err.into())
        }
    }
}

/// Name of the session cookie (must match the `key_name` below).
pub const SESSION_COOKIE: &str = "changemakers_session";

/// `Authorization: Bearer <token>` for clients other than the web app.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "check_bearer")]
pub struct BearerAuth(Principal);

/// The session cookie set by the sign-in endpoints (the web app).
#[derive(SecurityScheme)]
#[oai(
    ty = "api_key",
    key_name = "changemakers_session",
    key_in = "cookie",
    checker = "check_cookie"
)]
pub struct CookieAuth(Principal);

/// A signed-in person, by either scheme.
#[derive(SecurityScheme)]
pub enum Auth {
    Bearer(BearerAuth),
    Cookie(CookieAuth),
}

impl Auth {
    #[must_use]
    pub fn principal(&self) -> Principal {
        match self {
            Self::Bearer(BearerAuth(p)) | Self::Cookie(CookieAuth(p)) => *p,
        }
    }
}

/// A signed-in person if the request carries a valid session, else nobody:
/// for public reads that show more to those with a role.
#[derive(SecurityScheme)]
pub enum MaybeAuth {
    Bearer(BearerAuth),
    Cookie(CookieAuth),
    #[oai(fallback)]
    Anonymous,
}

impl MaybeAuth {
    #[must_use]
    pub fn principal(&self) -> Option<Principal> {
        match self {
            Self::Bearer(BearerAuth(p)) | Self::Cookie(CookieAuth(p)) => Some(*p),
            Self::Anonymous => None,
        }
    }
}

fn state(req: &Request) -> Result<&AppState, AppError> {
    req.data::<AppState>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("application state missing")))
}

async fn check_bearer(req: &Request, bearer: Bearer) -> poem::Result<Principal> {
    let state = state(req)?;
    match authenticate(req, state, &bearer.token).await? {
        Some(found) => {
            PersonLocale::record(req, found.locale);
            Ok(found.principal)
        }
        None => Err(AppError::Unauthorized.into()),
    }
}

async fn check_cookie(req: &Request, key: ApiKey) -> poem::Result<Principal> {
    let state = state(req)?;
    refuse_cross_origin(req, state)?;
    let Some(found) = authenticate(req, state, &key.key).await? else {
        return Err(AppError::Unauthorized.into());
    };
    PersonLocale::record(req, found.locale);
    if let Some(until) = found.renewed_until {
        let seconds = (until - state.clock.now()).num_seconds().max(0);
        req.cookie().add(session_cookie(
            state,
            &key.key,
            std::time::Duration::from_secs(u64::try_from(seconds).unwrap_or(0)),
        ));
    }
    Ok(found.principal)
}

/// Refuses a state-changing request whose `Origin` (or `Sec-Fetch-Site`) shows
/// it came from another site; SameSite=Lax already keeps most of them out.
fn refuse_cross_origin(req: &Request, state: &AppState) -> Result<(), AppError> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let refused = || AppError::Forbidden {
        code: "cross_origin_request",
        detail: "requests from other sites cannot use the session cookie".to_owned(),
    };
    if let Some(origin) = req.header("origin") {
        let config = &state.config;
        if origin == config.public_origin() || config.allowed_origins.iter().any(|o| o == origin) {
            return Ok(());
        }
        return Err(refused());
    }
    match req.header("sec-fetch-site") {
        Some("same-origin" | "none") | None => Ok(()),
        Some(_) => Err(refused()),
    }
}

/// The session cookie carrying `token`.
#[must_use]
pub fn session_cookie(state: &AppState, token: &str, max_age: std::time::Duration) -> Cookie {
    let mut cookie = Cookie::new_with_str(SESSION_COOKIE, token);
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_path("/");
    cookie.set_secure(state.config.secure_cookies());
    cookie.set_max_age(max_age);
    cookie
}

/// A cookie that removes the session cookie from the browser.
#[must_use]
pub fn cleared_cookie(state: &AppState) -> Cookie {
    session_cookie(state, "", std::time::Duration::ZERO)
}
