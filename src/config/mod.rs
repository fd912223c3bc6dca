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

mod auth;
mod gallery;
mod media;
mod metrics;
mod moderation;
mod stats;

pub use auth::{AuthConfig, ClaimNames, ProviderConfig, ProviderKind};
pub use media::{MediaConfig, S3Config, StorageBackend, StorageConfig};
pub use metrics::MetricsConfig;

pub use gallery::GalleryConfig;
pub use moderation::{MailRetryConfig, ModerationConfig};
pub use stats::StatsConfig;

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
    /// Run the background workers (media processing, notification mail,
    /// digests, housekeeping) in this process. Turn off for an instance that
    /// only answers requests while others do the work.
    pub background_workers: bool,
    pub database: DatabaseConfig,
    pub mail: MailConfig,
    pub auth: AuthConfig,
    pub limits: LimitsConfig,
    pub teams: TeamsConfig,
    pub media: MediaConfig,
    pub storage: StorageConfig,
    pub log: LogConfig,
    pub moderation: ModerationConfig,
    pub stats: StatsConfig,
    pub gallery: GalleryConfig,
    pub metrics: MetricsConfig,
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
    /// Campaigns one team may have open at once (drafts, submitted, with
    /// changes asked for); approved, rejected and archived ones do not count.
    pub max_open_campaigns: u32,
}

impl Default for TeamsConfig {
    fn default() -> Self {
        Self {
            max_members: 8,
            join_attempts_per_hour: 10,
            invites_per_hour: 20,
            max_open_campaigns: 10,
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
    /// How long a request waits for a database connection before it gets
    /// 503 (while the database is away, every request waits this long).
    pub acquire_timeout_seconds: u64,
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
pub struct LimitsConfig {
    /// Largest JSON request body, in bytes.
    pub json_body_bytes: usize,
    /// An upload may take this long before it must keep a pace
    /// (`upload_min_bytes_per_second`); a slower one is cut off with 408.
    pub upload_grace_seconds: u64,
    /// The slowest pace an upload may keep after its grace time; every
    /// this many bytes buy it one more second (a phone on a poor mobile
    /// connection sends far more).
    pub upload_min_bytes_per_second: u64,
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
pub(crate) fn serialize_secret<S: serde::Serializer>(
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
            background_workers: true,
            database: DatabaseConfig::default(),
            mail: MailConfig::default(),
            auth: AuthConfig::default(),
            limits: LimitsConfig::default(),
            teams: TeamsConfig::default(),
            media: MediaConfig::default(),
            storage: StorageConfig::default(),
            log: LogConfig::default(),
            stats: StatsConfig::default(),
            gallery: GalleryConfig::default(),
            moderation: ModerationConfig::default(),
            metrics: MetricsConfig::default(),
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: None,
            max_connections: 10,
            migrate_on_start: true,
            acquire_timeout_seconds: 10,
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

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            json_body_bytes: 64 * 1024,
            upload_grace_seconds: 30,
            upload_min_bytes_per_second: 1024,
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
