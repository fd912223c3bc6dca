//! Sign-in by email link, and sign-out.

use poem::{web::cookie::CookieJar, Request};
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};
use serde::Deserialize;

use super::{
    auth_guard::{cleared_cookie, session_cookie, Auth},
    check::Check,
    client::{client_network, device},
    json::JsonBody,
    me::MeResponse,
    ApiTags,
};
use crate::{
    domain::{Email, Locale},
    error::AppError,
    service::{auth, me},
    state::AppState,
};

pub struct AuthApi {
    pub state: AppState,
}

/// Ask for a sign-in link.
#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct EmailSignInRequest {
    /// Where to send the link.
    #[oai(validator(
        max_length = 254,
        pattern = "^[\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*[!-?A-~\\xc0-\\xd6\\xd8-\\xf6\\xf8-\\u012f\\u0131-\\u017f]{1,64}@[A-Za-z0-9\\-\\xc0-\\xd6\\xd8-\\xf6\\xf8-\\u012f\\u0131-\\u017f]+(\\.[A-Za-z0-9\\-\\xc0-\\xd6\\xd8-\\xf6\\xf8-\\u012f\\u0131-\\u017f]+)+[\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
    ))]
    pub email: String,
    /// The language of the email when the address has no account yet.
    #[oai(nullable)]
    pub locale: Option<Locale>,
}

/// Exchange a sign-in link's token for a session.
#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct VerifyRequest {
    /// The `token` parameter of the link.
    #[oai(validator(pattern = "^[A-Za-z0-9_-]{43}$"))]
    pub token: String,
}

/// A new session.
#[derive(Debug, Object)]
pub struct SignInResponse {
    /// The session token, for `Authorization: Bearer`; the web app uses the cookie instead.
    pub token: String,
    /// When the session ends unless it is used.
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub user: MeResponse,
}

#[derive(ApiResponse)]
pub enum AcceptedResponse {
    /// Accepted: a link is on its way if the address can receive one.
    #[oai(status = 202)]
    Accepted,
}

#[derive(ApiResponse)]
pub enum LoggedOut {
    /// The session is revoked and the cookie cleared.
    #[oai(status = 204)]
    Done,
}

#[OpenApi(prefix_path = "/auth", tag = "ApiTags::Auth")]
impl AuthApi {
    /// Send a one-time sign-in link
    ///
    /// Emails a link to `<public URL>/auth/verify?token=...`, valid for 15
    /// minutes and usable once. The answer is 202 whether or not the address
    /// has an account; a new address gets its account when the link is used.
    /// Too many requests from one client get 429 `rate_limited`.
    #[oai(path = "/email", method = "post", operation_id = "requestEmailSignIn")]
    async fn request_email(
        &self,
        req: &Request,
        body: JsonBody<EmailSignInRequest>,
    ) -> Result<AcceptedResponse, AppError> {
        let body = body.0;
        let mut check = Check::default();
        let email = check.field("email", Email::parse(&body.email));
        let Some(email) = email else {
            return Err(check.into_error());
        };
        let ip = client_network(
            req,
            self.state.config.trust_forwarded_for,
            self.state.config.trusted_proxy_hops,
        );
        auth::request_link(&self.state, email, body.locale, ip).await?;
        Ok(AcceptedResponse::Accepted)
    }

    /// Sign in with a link's token
    ///
    /// Starts a new session: sets the HttpOnly session cookie and returns the
    /// token for other clients. An unknown token gets 400 `invalid_token`; a
    /// used or expired one gets 410 `token_used` or `token_expired`.
    #[oai(
        path = "/email/verify",
        method = "post",
        operation_id = "verifyEmailSignIn"
    )]
    async fn verify(
        &self,
        req: &Request,
        jar: &CookieJar,
        body: JsonBody<VerifyRequest>,
    ) -> Result<Json<SignInResponse>, AppError> {
        let device = device(req);
        let signed_in =
            auth::verify_link(&self.state, body.0.token.trim(), device.as_deref()).await?;
        let seconds = (signed_in.expires_at - self.state.clock.now())
            .num_seconds()
            .max(0);
        jar.add(session_cookie(
            &self.state,
            &signed_in.token,
            std::time::Duration::from_secs(u64::try_from(seconds).unwrap_or(0)),
        ));
        let view = me::view(&self.state, signed_in.user).await?;
        Ok(Json(SignInResponse {
            token: signed_in.token,
            expires_at: signed_in.expires_at,
            user: view.into(),
        }))
    }

    /// Sign out
    ///
    /// Revokes the current session on the server and clears the cookie.
    #[oai(path = "/logout", method = "post", operation_id = "logout")]
    async fn logout(&self, auth: Auth, jar: &CookieJar) -> Result<LoggedOut, AppError> {
        auth::logout(&self.state, auth.principal()).await?;
        jar.add(cleared_cookie(&self.state));
        Ok(LoggedOut::Done)
    }
}
