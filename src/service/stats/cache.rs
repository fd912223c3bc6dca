//! Public responses rendered once: the bytes and their strong ETag, kept in
//! memory for a few seconds under the normalised query, so a busy goal page
//! costs one read of the rollups per interval however many people look.

use std::{sync::Arc, time::Duration};

use base64::Engine;
use sha2::{Digest, Sha256};

/// A rendered public response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub body: Arc<Vec<u8>>,
    /// A strong validator, quoted as the header wants it.
    pub etag: String,
    /// The campaigns it shows, for counting gallery impressions.
    pub shown: super::views::Shown,
}

impl Rendered {
    #[must_use]
    pub fn new(body: Vec<u8>) -> Self {
        Self::showing(body, Arc::new([]))
    }

    /// A rendered gallery page and the campaigns on it.
    #[must_use]
    pub fn showing(body: Vec<u8>, shown: super::views::Shown) -> Self {
        let digest = Sha256::digest(&body);
        let tag = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..18]);
        Self {
            body: Arc::new(body),
            etag: format!("\"{tag}\""),
            shown,
        }
    }

    /// Whether an `If-None-Match` header names this version.
    #[must_use]
    pub fn matches(&self, if_none_match: Option<&str>) -> bool {
        if_none_match.is_some_and(|h| {
            h.split(',').any(|t| {
                let t = t.trim();
                t == "*" || t.trim_start_matches("W/") == self.etag
            })
        })
    }
}

/// The cache; with a lifetime of 0 it keeps nothing.
#[derive(Clone)]
pub struct PublicCache {
    cache: Option<moka::sync::Cache<String, Rendered>>,
}

impl PublicCache {
    #[must_use]
    pub fn new(seconds: u64) -> Self {
        Self::bounded(seconds, 64 * 1024 * 1024)
    }

    /// A cache holding at most `bytes` of keys and bodies.
    #[must_use]
    pub fn bounded(seconds: u64, bytes: u64) -> Self {
        Self {
            cache: (seconds > 0).then(|| {
                moka::sync::Cache::builder()
                    .max_capacity(bytes)
                    .weigher(|k: &String, v: &Rendered| {
                        u32::try_from(k.len() + v.body.len()).unwrap_or(u32::MAX)
                    })
                    .time_to_live(Duration::from_secs(seconds))
                    .build()
            }),
        }
    }

    #[must_use]
    pub fn get(&self, key: &str) -> Option<Rendered> {
        self.cache.as_ref().and_then(|c| c.get(key))
    }

    pub fn put(&self, key: String, value: Rendered) {
        if let Some(c) = &self.cache {
            c.insert(key, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Rendered;

    #[test]
    fn etags_follow_the_bytes() {
        let a = Rendered::new(b"{\"a\":1}".to_vec());
        let b = Rendered::new(b"{\"a\":2}".to_vec());
        assert_ne!(a.etag, b.etag);
        assert!(a.matches(Some(&a.etag)));
        assert!(a.matches(Some(&format!("W/{}, \"x\"", a.etag))));
        assert!(!a.matches(Some(&b.etag)));
        assert!(!a.matches(None));
    }
}
