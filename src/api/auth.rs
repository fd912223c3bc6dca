//! Sign-in by email link, and sign-out.

use poem::{
    http::StatusCode,
    web::cookie::{Cookie, CookieJar, SameSite},
    Request,
};
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
    error::{problem_in, AppError},
    service::{auth, me, tokens},
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
    /// Sign in although this is not the browser that asked for the link:
    /// sent once the person saw whose account it is and which device asked.
    #[oai(nullable)]
    #[serde(default)]
    pub confirm: Option<bool>,
}

/// The link was opened in another browser than the one that asked for it:
/// nothing was spent. Show the person whose account this is and which device
/// asked; send the same request with `"confirm": true` to sign in.
#[derive(Debug, Object)]
pub struct ConfirmSignIn {
    /// A URI naming the kind of problem.
    #[oai(rename = "type")]
    pub kind: String,
    /// A short, human-readable summary, in the person's language.
    pub title: String,
    /// 409.
    pub status: u16,
    /// What to do, in the person's language.
    pub detail: String,
    /// `confirm_sign_in`.
    pub code: String,
    /// Always empty.
    pub errors: Vec<crate::error::FieldError>,
    /// The account the link signs into.
    pub email: String,
    /// The coarse name of the device that asked for the link ("Firefox on
    /// Android"), when it told.
    #[oai(nullable)]
    pub device: Option<String>,
}

#[derive(ApiResponse)]
pub enum VerifyResponse {
    /// Signed in: the session cookie is set.
    #[oai(status = 200)]
    SignedIn(Json<SignInResponse>),
    /// Opened in another browser: confirm first (`confirm_sign_in`).
    #[oai(status = 409, content_type = "application/problem+json")]
    Confirm(Json<ConfirmSignIn>),
}

/// The short-lived cookie naming the browser that asked for a sign-in link.
const ASKING_COOKIE: &str = "cm_sign_in";

fn asking_cookie(state: &AppState, value: &str) -> Cookie {
    let mut cookie = Cookie::new_with_str(ASKING_COOKIE, value);
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_path("/api/v1/auth");
    cookie.set_secure(state.config.secure_cookies());
    let minutes = u64::try_from(state.config.auth.link_minutes).unwrap_or(15);
    cookie.set_max_age(std::time::Duration::from_secs(minutes * 60));
    cookie
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
        jar: &CookieJar,
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
        // The asking browser keeps its cookie across several requests.
        let browser = jar
            .get(ASKING_COOKIE)
            .map(|c| c.value_str().to_owned())
            .filter(|v| tokens::looks_valid(v))
            .unwrap_or_else(tokens::generate);
        let device = device(req);
        let asker = auth::Asker {
            browser: &browser,
            device: device.as_deref(),
        };
        auth::request_link(&self.state, email, body.locale, ip, &asker).await?;
        jar.add(asking_cookie(&self.state, &browser));
        Ok(AcceptedResponse::Accepted)
    }

    /// Sign in with a link's token
    ///
    /// Starts a new session: sets the HttpOnly session cookie and returns the
    /// token for other clients. Only the browser that asked for the link
    /// (its short-lived cookie) signs in at once; anywhere else the answer is
    /// 409 `confirm_sign_in` with the account's `email` and the asking
    /// `device`, nothing is spent, and the same request with `"confirm": true`
    /// signs in. An unknown token gets 400 `invalid_token`; a used or expired
    /// one gets 410 `token_used` or `token_expired`.
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
    ) -> Result<VerifyResponse, AppError> {
        let device = device(req);
        let browser = jar.get(ASKING_COOKIE).map(|c| c.value_str().to_owned());
        let verified = auth::verify_link(
            &self.state,
            body.0.token.trim(),
            browser.as_deref(),
            body.0.confirm == Some(true),
            device.as_deref(),
        )
        .await?;
        let signed_in = match verified {
            auth::Verified::SignedIn(signed_in) => signed_in,
            auth::Verified::Confirm { email, device } => {
                let locale = crate::i18n::requested(req);
                let code = "confirm_sign_in";
                let detail = crate::i18n::detail(code, locale).map_or_else(
                    || {
                        "this link was asked for on another device: confirm to sign in here"
                            .to_owned()
                    },
                    str::to_owned,
                );
                let problem = problem_in(StatusCode::CONFLICT, code, detail, Vec::new(), locale);
                return Ok(VerifyResponse::Confirm(Json(ConfirmSignIn {
                    kind: problem.kind,
                    title: problem.title,
                    status: problem.status,
                    detail: problem.detail,
                    code: problem.code,
                    errors: problem.errors,
                    email,
                    device,
                })));
            }
        };
        let seconds = (signed_in.expires_at - self.state.clock.now())
            .num_seconds()
            .max(0);
        jar.add(session_cookie(
            &self.state,
            &signed_in.token,
            std::time::Duration::from_secs(u64::try_from(seconds).unwrap_or(0)),
        ));
        let view = me::view(&self.state, signed_in.user).await?;
        Ok(VerifyResponse::SignedIn(Json(SignInResponse {
            token: signed_in.token,
            expires_at: signed_in.expires_at,
            user: view.into(),
        })))
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
