//! The configured sign-in providers, the HTTP client that talks to them,
//! and their discovered OpenID Connect metadata (reused for an hour).

use std::{collections::HashMap, sync::Arc, time::Instant};

use openidconnect::{core::CoreProviderMetadata, reqwest, IssuerUrl};
use tokio::sync::Mutex;

use crate::{
    config::ProviderConfig,
    error::{AppError, AppResult},
};

/// How long discovered provider metadata is reused.
const METADATA_SECONDS: u64 = 3600;

/// The configured providers, an HTTP client for talking to them, and their
/// discovered metadata.
pub struct Providers {
    configs: Vec<ProviderConfig>,
    pub(super) http: reqwest::Client,
    metadata: Mutex<HashMap<String, (Instant, CoreProviderMetadata)>>,
}

impl Providers {
    /// # Errors
    /// When the HTTP client cannot be built.
    pub fn new(configs: Vec<ProviderConfig>) -> anyhow::Result<Self> {
        let http = reqwest::ClientBuilder::new()
            // Following redirects from a provider would open the door to SSRF.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()?;
        Ok(Self {
            configs,
            http,
            metadata: Mutex::new(HashMap::new()),
        })
    }

    /// `(id, display name)` of every provider, in configured order.
    pub fn list(&self) -> impl Iterator<Item = (&str, &str)> {
        self.configs
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
    }

    pub(super) fn get(&self, id: &str) -> AppResult<&ProviderConfig> {
        self.configs
            .iter()
            .find(|p| p.id == id)
            .ok_or(AppError::NotFound("sign-in provider"))
    }

    pub(super) async fn metadata(
        &self,
        provider: &ProviderConfig,
    ) -> AppResult<CoreProviderMetadata> {
        let mut cache = self.metadata.lock().await;
        if let Some((at, metadata)) = cache.get(&provider.id) {
            if at.elapsed().as_secs() < METADATA_SECONDS {
                return Ok(metadata.clone());
            }
        }
        let issuer = provider
            .issuer
            .clone()
            .ok_or_else(|| anyhow::anyhow!("provider {} has no issuer", provider.id))?;
        let issuer = IssuerUrl::new(issuer).map_err(|err| anyhow::anyhow!("bad issuer: {err}"))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|err| {
                tracing::warn!(provider = %provider.id, error = %err, "discovery failed");
                unavailable()
            })?;
        // A cache's age, not a rule a test moves.
        #[allow(clippy::disallowed_methods)]
        let fetched = Instant::now();
        cache.insert(provider.id.clone(), (fetched, metadata.clone()));
        Ok(metadata)
    }
}

pub(super) fn unavailable() -> AppError {
    AppError::Unavailable("the sign-in provider")
}

pub type SharedProviders = Arc<Providers>;
