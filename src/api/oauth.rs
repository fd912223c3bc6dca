//! Sign-in through OAuth2 / OpenID Connect providers.

use poem::{
    web::cookie::{Cookie, CookieJar, SameSite},
    Request,
};
use poem_openapi::{
    param::{Path, Query},
    payload::Json,
    ApiResponse, Object, OpenApi,
};

use super::{
    auth_guard::{session_cookie, SESSION_COOKIE},
    client::device,
    ApiTags,
};
use crate::{
    domain::Locale,
    error::AppError,
    service::{auth, oauth},
    state::AppState,
};

/// Binds a started sign-in to the browser that started it.
const FLOW_COOKIE: &str = "changemakers_oauth";
const FLOW_COOKIE_PATH: &str = "/api/v1/auth/oauth";

pub struct OauthApi {
    pub state: AppState,
}

/// A configured sign-in provider.
#[derive(Debug, Object)]
pub struct Provider {
    /// Used in `/auth/oauth/{provider}/start`.
    pub id: String,
    /// The name on the sign-in button.
    pub name: String,
}

#[derive(ApiResponse)]
pub enum Redirect {
    /// Continue at the `Location`.
    #[oai(status = 302)]
    Found(#[oai(header = "Location")] String),
}

fn flow_cookie(state: &AppState, value: &str, max_age: std::time::Duration) -> Cookie {
    let mut cookie = Cookie::new_with_str(FLOW_COOKIE, value);
    cookie.set_http_only(true);
    // Lax: the provider sends the browser back with a top-level GET.
    cookie.set_same_site(SameSite::Lax);
    cookie.set_path(FLOW_COOKIE_PATH);
    cookie.set_secure(state.config.secure_cookies());
    cookie.set_max_age(max_age);
    cookie
}

#[OpenApi(prefix_path = "/auth", tag = "ApiTags::Auth")]
impl OauthApi {
    /// List sign-in providers
    ///
    /// The OAuth2 / OpenID Connect providers configured beside the email link.
    #[oai(path = "/providers", method = "get", operation_id = "listProviders")]
    #[allow(clippy::unused_async)]
    async fn providers(&self) -> Json<Vec<Provider>> {
        Json(
            self.state
                .providers
                .list()
                .map(|(id, name)| Provider {
                    id: id.to_owned(),
                    name: name.to_owned(),
                })
                .collect(),
        )
    }

    /// Start signing in with a provider
    ///
    /// Redirects (302) to the provider: authorization code flow with PKCE
    /// (S256), a single-use `state` bound to this browser, and a nonce.
    /// `redirect` is where the app continues afterwards: a path on this site
    /// only (else 400 `invalid_redirect`). With `link=true` and a signed-in
    /// session, the provider account is linked to the signed-in person.
    #[oai(
        path = "/oauth/:provider/start",
        method = "get",
        operation_id = "startOauth"
    )]
    async fn start(
        &self,
        jar: &CookieJar,
        provider: Path<String>,
        redirect: Query<Option<String>>,
        /// Passed on to the provider to preselect an account.
        login_hint: Query<Option<String>>,
        link: Query<Option<bool>>,
    ) -> Result<Redirect, AppError> {
        let link_user_id = if link.0 == Some(true) {
            let token = jar
                .get(SESSION_COOKIE)
                .map(|c| c.value_str().to_owned())
                .ok_or(AppError::Unauthorized)?;
            let found = auth::authenticate(&self.state, &token)
                .await?
                .ok_or(AppError::Unauthorized)?;
            Some(found.principal.user_id)
        } else {
            None
        };
        let started = oauth::start(
            &self.state,
            &provider.0,
            redirect.0.as_deref(),
            login_hint.0.as_deref(),
            link_user_id,
        )
        .await?;
        jar.add(flow_cookie(
            &self.state,
            &started.browser_token,
            std::time::Duration::from_secs(600),
        ));
        Ok(Redirect::Found(started.authorize_url.to_string()))
    }

    /// Finish signing in with a provider
    ///
    /// The provider sends the browser here. On success: a new session cookie
    /// and a 302 into the app. An unknown, reused, expired or foreign `state`
    /// gets 400 `invalid_state`. When the person declined at the provider,
    /// the app's sign-in page says so.
    #[oai(
        path = "/oauth/:provider/callback",
        method = "get",
        operation_id = "finishOauth"
    )]
    async fn callback(
        &self,
        req: &Request,
        jar: &CookieJar,
        provider: Path<String>,
        code: Query<Option<String>>,
        state: Query<Option<String>>,
        error: Query<Option<String>>,
    ) -> Result<Redirect, AppError> {
        let browser = jar.get(FLOW_COOKIE).map(|c| c.value_str().to_owned());
        jar.add(flow_cookie(&self.state, "", std::time::Duration::ZERO));
        if error.0.is_some() {
            return Ok(Redirect::Found("/?signin_error=provider".to_owned()));
        }
        let (Some(code), Some(state_param)) = (code.0, state.0) else {
            return Err(AppError::BadRequest {
                code: "invalid_state",
                detail: "the provider's answer lacks code or state".to_owned(),
            });
        };
        let locale = req
            .header("accept-language")
            .and_then(Locale::negotiate)
            .unwrap_or(Locale::En);
        let finished = oauth::finish(
            &self.state,
            &provider.0,
            &code,
            &state_param,
            browser.as_deref(),
            locale,
            device(req).as_deref(),
        )
        .await?;
        let seconds = (finished.signed_in.expires_at - self.state.clock.now())
            .num_seconds()
            .max(0);
        jar.add(session_cookie(
            &self.state,
            &finished.signed_in.token,
            std::time::Duration::from_secs(u64::try_from(seconds).unwrap_or(0)),
        ));
        Ok(Redirect::Found(finished.redirect))
    }
}
