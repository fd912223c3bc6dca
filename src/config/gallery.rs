//! Settings of the public gallery and the embeds.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GalleryConfig {
    /// How long a rendered gallery, card or public campaign is kept in
    /// memory at most; 0 renders every request. Changes to public content
    /// miss the cache at once whatever this is.
    pub cache_seconds: u64,
    /// Most bytes of rendered public responses kept in memory.
    pub cache_bytes: u64,
    /// How often an instance reads the content version, so that it sees
    /// changes another instance made (milliseconds).
    pub version_check_ms: u64,
}

impl Default for GalleryConfig {
    fn default() -> Self {
        Self {
            cache_seconds: 300,
            cache_bytes: 64 * 1024 * 1024,
            version_check_ms: 1000,
        }
    }
}
