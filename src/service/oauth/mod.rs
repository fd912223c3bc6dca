//! Sign-in through OAuth2 / OpenID Connect providers: authorization code flow
//! with PKCE (S256), a single-use `state` bound to the browser by a cookie,
//! a nonce checked in the ID token, and accounts found by (provider, subject).

mod providers;

use chrono::Duration;
use openidconnect::{
    core::{CoreAuthenticationFlow, CoreClient},
    reqwest, AuthorizationCode, ClientId, ClientSecret, CsrfToken, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use secrecy::ExposeSecret;
use tracing::instrument;
use uuid::Uuid;

use providers::unavailable;
pub use providers::{Providers, SharedProviders};

use crate::service::{auth::SignedIn, sessions, tokens};
use crate::{
    config::{ProviderConfig, ProviderKind},
    db::{self, oauth_flows::NewFlow},
    domain::Locale,
    error::{AppError, AppResult},
    state::AppState,
};

/// How long a started sign-in may take at the provider.
const FLOW_MINUTES: i64 = 10;
fn invalid_state(detail: &str) -> AppError {
    AppError::BadRequest {
        code: "invalid_state",
        detail: detail.to_owned(),
    }
}

/// Accepts only a path on this site as the place to return to after sign-in.
///
/// # Errors
/// 400 `invalid_redirect` for anything else (another host, a scheme, `//`).
pub fn safe_redirect(raw: Option<&str>) -> AppResult<String> {
    let Some(path) = raw.filter(|p| !p.is_empty()) else {
        return Ok("/".to_owned());
    };
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.contains('\\')
        && path.len() <= 512
        && !path.chars().any(char::is_control);
    if ok {
        Ok(path.to_owned())
    } else {
        Err(AppError::BadRequest {
            code: "invalid_redirect",
            detail: "redirect must be a path on this site, such as /account".to_owned(),
        })
    }
}

fn callback_url(state: &AppState, provider: &str) -> RedirectUrl {
    let mut url = state.config.public_url.clone();
    url.set_path(&format!("/api/v1/auth/oauth/{provider}/callback"));
    RedirectUrl::from_url(url)
}

/// Where to send the browser, and the secret for the browser-binding cookie.
pub struct Started {
    pub authorize_url: url::Url,
    pub browser_token: String,
}

/// Begins a sign-in (or, with `link_user_id`, links a provider to that person).
///
/// # Errors
/// 404 for an unknown provider, 400 `invalid_redirect`, 503 when the provider
/// cannot be reached.
#[instrument(skip_all, fields(provider = %provider_id))]
pub async fn start(
    state: &AppState,
    provider_id: &str,
    redirect: Option<&str>,
    login_hint: Option<&str>,
    link_user_id: Option<Uuid>,
) -> AppResult<Started> {
    let providers = &state.providers;
    let provider = providers.get(provider_id)?;
    let redirect = safe_redirect(redirect)?;
    let state_token = tokens::generate();
    let nonce = tokens::generate();
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let redirect_uri = callback_url(state, provider_id);
    let scopes = provider
        .scopes
        .iter()
        .filter(|s| s.as_str() != "openid")
        .map(|s| Scope::new(s.clone()));
    let client_secret = provider
        .client_secret
        .as_ref()
        .map(|s| ClientSecret::new(s.expose_secret().to_owned()));

    let authorize_url = match provider.kind {
        ProviderKind::Oidc => {
            let metadata = providers.metadata(provider).await?;
            let client = CoreClient::from_provider_metadata(
                metadata,
                ClientId::new(provider.client_id.clone()),
                client_secret,
            )
            .set_redirect_uri(redirect_uri);
            let (csrf, nonce_value) = (state_token.clone(), nonce.clone());
            let mut request = client
                .authorize_url(
                    CoreAuthenticationFlow::AuthorizationCode,
                    move || CsrfToken::new(csrf),
                    move || Nonce::new(nonce_value),
                )
                .add_scopes(scopes)
                .set_pkce_challenge(challenge);
            if let Some(hint) = login_hint {
                request = request.add_extra_param("login_hint", hint.to_owned());
            }
            request.url().0
        }
        ProviderKind::Oauth2 => {
            let client = plain_client(provider, client_secret.as_ref(), &redirect_uri)?;
            let csrf = state_token.clone();
            let mut request = client
                .authorize_url(move || oauth2::CsrfToken::new(csrf))
                .add_scopes(
                    provider
                        .scopes
                        .iter()
                        .map(|s| oauth2::Scope::new(s.clone())),
                )
                .set_pkce_challenge(oauth2::PkceCodeChallenge::from_code_verifier_sha256(
                    &oauth2::PkceCodeVerifier::new(verifier.secret().clone()),
                ));
            if let Some(hint) = login_hint {
                request = request.add_extra_param("login_hint", hint.to_owned());
            }
            request.url().0
        }
    };

    let browser_token = tokens::generate();
    let now = state.clock.now();
    db::oauth_flows::insert(
        &state.db,
        &NewFlow {
            state_hash: &tokens::hash(&state_token),
            browser_hash: &tokens::hash(&browser_token),
            provider: provider_id,
            pkce_verifier: verifier.secret(),
            nonce: &nonce,
            redirect: &redirect,
            link_user_id,
        },
        now,
        now + Duration::minutes(FLOW_MINUTES),
    )
    .await?;
    Ok(Started {
        authorize_url,
        browser_token,
    })
}

type PlainClient = oauth2::Client<
    oauth2::basic::BasicErrorResponse,
    oauth2::basic::BasicTokenResponse,
    oauth2::basic::BasicTokenIntrospectionResponse,
    oauth2::StandardRevocableToken,
    oauth2::basic::BasicRevocationErrorResponse,
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
>;

fn plain_client(
    provider: &ProviderConfig,
    secret: Option<&ClientSecret>,
    redirect_uri: &RedirectUrl,
) -> AppResult<PlainClient> {
    let (Some(authorize), Some(token)) = (&provider.authorize_url, &provider.token_url) else {
        return Err(
            anyhow::anyhow!("provider {} lacks authorize_url or token_url", provider.id).into(),
        );
    };
    let mut client =
        oauth2::basic::BasicClient::new(oauth2::ClientId::new(provider.client_id.clone()))
            .set_auth_uri(oauth2::AuthUrl::from_url(authorize.clone()))
            .set_token_uri(oauth2::TokenUrl::from_url(token.clone()))
            .set_redirect_uri(oauth2::RedirectUrl::from_url(redirect_uri.url().clone()));
    if let Some(secret) = secret {
        client = client.set_client_secret(oauth2::ClientSecret::new(secret.secret().clone()));
    }
    Ok(client)
}

/// Who the provider says the person is.
#[derive(Debug, Clone)]
pub struct ProviderIdentity {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
}

/// The end of a successful flow: a session and where to go.
pub struct Finished {
    pub signed_in: SignedIn,
    pub redirect: String,
}

/// Completes a flow: checks the state and its browser, exchanges the code
/// (with the PKCE verifier), validates the ID token and its nonce, and
/// signs the person in.
///
/// # Errors
/// 400 `invalid_state` for an unknown, reused, expired or foreign state;
/// 400 `invalid_id_token` or `code_exchange_failed` when the provider's
/// answer does not hold; 409 `identity_linked_elsewhere`.
#[instrument(skip_all, fields(provider = %provider_id))]
pub async fn finish(
    state: &AppState,
    provider_id: &str,
    code: &str,
    state_param: &str,
    browser_token: Option<&str>,
    locale: Locale,
    device: Option<&str>,
) -> AppResult<Finished> {
    let provider = state.providers.get(provider_id)?;
    if !tokens::looks_valid(state_param) {
        return Err(invalid_state("the sign-in state is not valid"));
    }
    let state_hash = tokens::hash(state_param);
    // Only the browser that started the flow may finish it; from any other
    // the flow is left as it is, for its own browser to complete.
    let browser_hash = browser_token.map(tokens::hash).unwrap_or_default();
    let Some(flow) = db::oauth_flows::take(&state.db, &state_hash, &browser_hash).await? else {
        return Err(if db::oauth_flows::exists(&state.db, &state_hash).await? {
            invalid_state("the sign-in was started in another browser")
        } else {
            invalid_state("this sign-in was already completed or never started")
        });
    };
    let now = state.clock.now();
    if flow.provider != provider_id {
        return Err(invalid_state(
            "the sign-in state belongs to another provider",
        ));
    }
    if flow.expires_at <= now {
        return Err(invalid_state(
            "the sign-in took too long; please start again",
        ));
    }

    let identity = exchange(state, provider, code, &flow.pkce_verifier, &flow.nonce).await?;
    let signed_in = sessions::sign_in_with_identity(
        state,
        provider,
        &identity,
        flow.link_user_id,
        locale,
        device,
    )
    .await?;
    Ok(Finished {
        signed_in,
        redirect: flow.redirect,
    })
}

async fn exchange(
    state: &AppState,
    provider: &ProviderConfig,
    code: &str,
    verifier: &str,
    nonce: &str,
) -> AppResult<ProviderIdentity> {
    let http = &state.providers.http;
    let redirect_uri = callback_url(state, &provider.id);
    let secret = provider
        .client_secret
        .as_ref()
        .map(|s| ClientSecret::new(s.expose_secret().to_owned()));
    let exchange_failed = |err: &dyn std::fmt::Display| {
        tracing::warn!(provider = %provider.id, error = %err, "code exchange failed");
        AppError::BadRequest {
            code: "code_exchange_failed",
            detail: "the provider did not accept this sign-in; please start again".to_owned(),
        }
    };
    match provider.kind {
        ProviderKind::Oidc => {
            let metadata = state.providers.metadata(provider).await?;
            let client = CoreClient::from_provider_metadata(
                metadata,
                ClientId::new(provider.client_id.clone()),
                secret,
            )
            .set_redirect_uri(redirect_uri);
            let response = client
                .exchange_code(AuthorizationCode::new(code.to_owned()))
                .map_err(|e| exchange_failed(&e))?
                .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
                .request_async(http)
                .await
                .map_err(|e| exchange_failed(&e))?;
            let invalid = |err: &dyn std::fmt::Display| {
                tracing::warn!(provider = %provider.id, error = %err, "ID token refused");
                AppError::BadRequest {
                    code: "invalid_id_token",
                    detail: "the provider's identity token did not validate".to_owned(),
                }
            };
            let id_token = response
                .id_token()
                .ok_or_else(|| invalid(&"no ID token in the response"))?;
            let claims = id_token
                .claims(&client.id_token_verifier(), &Nonce::new(nonce.to_owned()))
                .map_err(|e| invalid(&e))?;
            Ok(ProviderIdentity {
                subject: claims.subject().as_str().to_owned(),
                email: claims.email().map(|e| e.as_str().to_lowercase()),
                email_verified: provider.trust_email || claims.email_verified().unwrap_or(false),
                name: claims
                    .name()
                    .and_then(|n| n.get(None))
                    .map(|n| n.as_str().to_owned()),
            })
        }
        ProviderKind::Oauth2 => {
            let client = plain_client(provider, secret.as_ref(), &redirect_uri)?;
            let response = client
                .exchange_code(oauth2::AuthorizationCode::new(code.to_owned()))
                .set_pkce_verifier(oauth2::PkceCodeVerifier::new(verifier.to_owned()))
                .request_async(http)
                .await
                .map_err(|e| exchange_failed(&e))?;
            userinfo(state, provider, response.access_token().secret()).await
        }
    }
}

async fn userinfo(
    state: &AppState,
    provider: &ProviderConfig,
    access_token: &str,
) -> AppResult<ProviderIdentity> {
    let url = provider
        .userinfo_url
        .clone()
        .ok_or_else(|| anyhow::anyhow!("provider {} has no userinfo_url", provider.id))?;
    let body: serde_json::Value = state
        .providers
        .http
        .get(url)
        .bearer_auth(access_token)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|err| {
            tracing::warn!(error = %err, "userinfo request failed");
            unavailable()
        })?
        .json()
        .await
        .map_err(|err| {
            tracing::warn!(error = %err, "userinfo answer is not JSON");
            unavailable()
        })?;
    let text = |name: &str| match body.get(name) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let claims = &provider.claims;
    let subject = text(&claims.subject).ok_or_else(|| AppError::BadRequest {
        code: "invalid_id_token",
        detail: "the provider did not say who signed in".to_owned(),
    })?;
    Ok(ProviderIdentity {
        subject,
        email: text(&claims.email).map(|e| e.to_lowercase()),
        email_verified: provider.trust_email
            || body.get(&claims.email_verified) == Some(&serde_json::Value::Bool(true)),
        name: text(&claims.name),
    })
}
