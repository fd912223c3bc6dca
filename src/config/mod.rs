//! Typed configuration: defaults, then an optional TOML file, then
//! `CHANGEMAKERS__*` environment variables (`__` separates levels, e.g.
//! `CHANGEMAKERS__DATABASE__URL`).

use std::{net::SocketAddr, path::PathBuf};

use figment::{
    providers::{Env, Format, Serialized, Toml},
    Figment,
};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use url::Url;

mod moderation;

pub use moderation::{MailRetryConfig, ModerationConfig};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address the HTTP server binds to.
    pub listen: SocketAddr,
    /// The URL people use to reach the platform; links in emails point here.
    pub public_url: Url,
    /// Where the embedded defaults keep their files (SQLite, media, outbox).
    pub data_dir: PathBuf,
    /// Extra origins allowed to make cookie-authenticated writes (e.g. a dev server).
    pub allowed_origins: Vec<String>,
    /// Take the client address from `X-Forwarded-For` (behind a proxy).
    pub trust_forwarded_for: bool,
    /// How many proxies of yours stand in front of the platform; the client
    /// is the address the outermost of them saw (that many entries from the
    /// right of `X-Forwarded-For`), never an entry the client could write.
    pub trusted_proxy_hops: usize,
    /// The key under which rate-limit subjects (addresses, user ids) are
    /// hashed. Give every instance the same one; when unset, a key is made
    /// in `<data_dir>/rate-limit.key` on first start.
    #[serde(serialize_with = "serialize_secret")]
    pub rate_limit_key: Option<SecretString>,
    pub database: DatabaseConfig,
    pub mail: MailConfig,
    pub auth: AuthConfig,
    pub limits: LimitsConfig,
    pub teams: TeamsConfig,
    pub media: MediaConfig,
    pub storage: StorageConfig,
    pub log: LogConfig,
    pub moderation: ModerationConfig,
}

/// Where media objects are kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageBackend {
    /// A directory under the data dir (the embedded default).
    #[default]
    Fs,
    /// An S3-compatible object store (AWS S3, MinIO, Garage, Ceph, ...).
    S3,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    pub backend: StorageBackend,
    pub s3: S3Config,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct S3Config {
    /// The store's endpoint, e.g. `https://s3.eu-north-1.amazonaws.com` or a
    /// MinIO address; empty for AWS's default endpoint of the region.
    pub endpoint: Option<Url>,
    pub region: String,
    pub bucket: String,
    /// Prepended to every key, so several deployments can share a bucket.
    pub prefix: String,
    pub access_key_id: String,
    #[serde(serialize_with = "serialize_secret")]
    pub secret_access_key: Option<SecretString>,
    /// Path-style addressing (`endpoint/bucket/key`), which most
    /// S3-compatible stores need; AWS takes both.
    pub path_style: bool,
    /// Give up on one request after this long (the upload then gets 503).
    pub timeout_seconds: u64,
}

impl Default for S3Config {
    fn default() -> Self {
        Self {
            endpoint: None,
            region: "us-east-1".to_owned(),
            bucket: "changemakers".to_owned(),
            prefix: String::new(),
            access_key_id: String::new(),
            secret_access_key: None,
            path_style: true,
            timeout_seconds: 30,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaConfig {
    /// Largest photo upload, in bytes.
    pub max_image_bytes: u64,
    /// Most pixels a photo may have.
    pub max_image_pixels: u64,
    /// Largest video upload, in bytes.
    pub max_video_bytes: u64,
    /// Media processing workers per instance.
    pub workers: usize,
    /// Images decoded at once per instance (bounds peak memory).
    pub concurrent_decodes: usize,
    /// Widths of the renditions made of every photo (never upscaled).
    pub rendition_widths: Vec<u32>,
}

impl Default for MediaConfig {
    fn default() -> Self {
        Self {
            max_image_bytes: 25 * 1024 * 1024,
            max_image_pixels: 50_000_000,
            max_video_bytes: 200 * 1024 * 1024,
            workers: 2,
            concurrent_decodes: 2,
            rendition_widths: vec![320, 960, 1920],
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TeamsConfig {
    /// Most members a team may have.
    pub max_members: u32,
    /// Join-code attempts per person per hour (throttles guessing).
    pub join_attempts_per_hour: u32,
    /// Invites one team may send per hour.
    pub invites_per_hour: u32,
}

impl Default for TeamsConfig {
    fn default() -> Self {
        Self {
            max_members: 8,
            join_attempts_per_hour: 10,
            invites_per_hour: 20,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://path` or `postgres://...`; empty means `<data_dir>/changemakers.db`.
    pub url: Option<String>,
    pub max_connections: u32,
    /// Apply pending migrations when `serve` starts.
    pub migrate_on_start: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailTransportKind {
    /// `.eml` files in `<data_dir>/outbox`, and sign-in links in the log.
    Outbox,
    Smtp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTls {
    /// Plain SMTP; only for a relay on the same host or a test server.
    None,
    Starttls,
    /// Implicit TLS (usually port 465).
    Tls,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    pub transport: MailTransportKind,
    /// The sender, e.g. `changemakers <no-reply@example.org>`.
    pub from: String,
    pub smtp: SmtpConfig,
    /// How notification mail is retried while the server is unreachable.
    pub retry: MailRetryConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    #[serde(serialize_with = "serialize_secret")]
    pub password: Option<SecretString>,
    pub timeout_seconds: u64,
}

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
    /// Sign-in links sent to one address per hour.
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

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Largest JSON request body, in bytes.
    pub json_body_bytes: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    pub format: LogFormat,
    /// A tracing filter, e.g. `info,changemakers=debug`.
    pub filter: String,
}

// serde hands `serialize_with` a reference to the field as it is.
#[allow(clippy::ref_option)]
fn serialize_secret<S: serde::Serializer>(
    value: &Option<SecretString>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(_) => serializer.serialize_some("[redacted]"),
        None => serializer.serialize_none(),
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: Url::parse("http://localhost:8080").unwrap_or_else(|_| unreachable!()),
            data_dir: PathBuf::from("./data"),
            allowed_origins: Vec::new(),
            trust_forwarded_for: false,
            trusted_proxy_hops: 1,
            rate_limit_key: None,
            database: DatabaseConfig::default(),
            mail: MailConfig::default(),
            auth: AuthConfig::default(),
            limits: LimitsConfig::default(),
            teams: TeamsConfig::default(),
            media: MediaConfig::default(),
            storage: StorageConfig::default(),
            log: LogConfig::default(),
            moderation: ModerationConfig::default(),
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: None,
            max_connections: 10,
            migrate_on_start: true,
        }
    }
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            transport: MailTransportKind::Outbox,
            from: "changemakers <no-reply@changemakers.localhost>".to_owned(),
            smtp: SmtpConfig::default(),
            retry: MailRetryConfig::default(),
        }
    }
}

impl Default for SmtpConfig {
    fn default() -> Self {
        Self {
            host: "localhost".to_owned(),
            port: 587,
            tls: SmtpTls::Starttls,
            username: None,
            password: None,
            timeout_seconds: 15,
        }
    }
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

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            json_body_bytes: 64 * 1024,
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: LogFormat::Pretty,
            filter: "info".to_owned(),
        }
    }
}

impl Config {
    /// Loads defaults, then `file` if given, then the environment.
    ///
    /// # Errors
    /// When the file cannot be read or a value has the wrong shape.
    pub fn load(file: Option<&std::path::Path>) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(Self::default()));
        if let Some(path) = file {
            figment = figment.merge(Toml::file_exact(path));
        }
        figment
            .merge(Env::prefixed("CHANGEMAKERS__").split("__"))
            .extract()
            .map_err(Box::new)
    }

    /// The database URL, defaulting to an SQLite file in the data directory.
    #[must_use]
    pub fn database_url(&self) -> String {
        self.database.url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("changemakers.db").display()
            )
        })
    }

    /// Where the embedded storage keeps media objects.
    #[must_use]
    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }

    /// Where uploads wait while they stream in.
    #[must_use]
    pub fn upload_dir(&self) -> PathBuf {
        self.data_dir.join("uploads")
    }

    #[must_use]
    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    /// Whether cookies must carry the `Secure` attribute.
    #[must_use]
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// The origin (`scheme://host[:port]`) of the public URL.
    #[must_use]
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }
}
