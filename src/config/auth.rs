//! Sign-in: one-time email links and the OAuth2 / OpenID Connect providers.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use url::Url;

use super::serialize_secret;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// Idle lifetime of a session; renewed while it is used.
    pub session_idle_days: i64,
    /// A session ends this long after sign-in, however much it is used.
    pub session_absolute_days: i64,
    /// How often a used session's expiry is pushed forward.
    pub session_renew_minutes: i64,
    /// Lifetime of a sign-in link.
    pub link_minutes: i64,
    /// Sign-in links sent to one address per hour, per asking client.
    pub links_per_address_per_hour: u32,
    /// Sign-in requests accepted from one client address per hour.
    pub requests_per_client_per_hour: u32,
    /// The youngest age that may enrol in a programme (13 is the age of
    /// digital consent in all five Nordic countries).
    pub minimum_age: i32,
    /// OAuth2 / OpenID Connect providers shown beside the email link.
    pub providers: Vec<ProviderConfig>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// OpenID Connect: endpoints by issuer discovery, identity from the ID token.
    Oidc,
    /// Plain OAuth2: explicit endpoints, identity from the userinfo endpoint.
    Oauth2,
}

/// One sign-in provider (school identity, Google, Microsoft, ...).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// URL-safe id, e.g. `feide`; part of the callback URL.
    pub id: String,
    /// Shown on the sign-in button, e.g. `Feide`.
    pub name: String,
    pub kind: ProviderKind,
    /// OpenID Connect issuer, exactly as the provider writes it (discovery at
    /// `<issuer>/.well-known/openid-configuration`).
    #[serde(default)]
    pub issuer: Option<String>,
    /// Plain OAuth2 endpoints.
    #[serde(default)]
    pub authorize_url: Option<Url>,
    #[serde(default)]
    pub token_url: Option<Url>,
    #[serde(default)]
    pub userinfo_url: Option<Url>,
    pub client_id: String,
    #[serde(default, serialize_with = "serialize_secret")]
    pub client_secret: Option<SecretString>,
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// Userinfo field names for plain OAuth2 providers.
    #[serde(default)]
    pub claims: ClaimNames,
    /// Treat the provider's email addresses as verified even without an
    /// `email_verified` claim (only for providers that vouch for them).
    #[serde(default)]
    pub trust_email: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClaimNames {
    pub subject: String,
    pub email: String,
    pub email_verified: String,
    pub name: String,
}

impl Default for ClaimNames {
    fn default() -> Self {
        Self {
            subject: "sub".to_owned(),
            email: "email".to_owned(),
            email_verified: "email_verified".to_owned(),
            name: "name".to_owned(),
        }
    }
}

fn default_scopes() -> Vec<String> {
    vec![
        "openid".to_owned(),
        "email".to_owned(),
        "profile".to_owned(),
    ]
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            session_idle_days: 30,
            session_absolute_days: 90,
            session_renew_minutes: 60,
            link_minutes: 15,
            links_per_address_per_hour: 5,
            requests_per_client_per_hour: 30,
            minimum_age: 13,
            providers: Vec::new(),
        }
    }
}
