//! Settings of the operators' metrics endpoint.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// The bearer token a scraper sends (`Authorization: Bearer <token>`).
    /// Unset, `/metrics` is not served: request counts and timings are for
    /// operators, not for anyone who finds the address.
    #[serde(serialize_with = "super::serialize_secret")]
    pub token: Option<SecretString>,
}
