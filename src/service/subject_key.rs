//! The key under which rate-limit subjects (client addresses, email
//! addresses, user ids) are hashed before they are stored: HMAC-SHA-256, so
//! a stored hash cannot be reversed by hashing every address there is.

use std::{fmt, path::Path, sync::Arc};

use anyhow::Context;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::ExposeSecret;
use sha2::Sha256;

use crate::config::Config;

/// The file the key is made in when none is configured.
pub const KEY_FILE: &str = "rate-limit.key";

/// A secret key; its bytes never reach a log.
#[derive(Clone)]
pub struct SubjectKey(Arc<Vec<u8>>);

impl fmt::Debug for SubjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SubjectKey([redacted])")
    }
}

impl SubjectKey {
    /// A fresh random key, kept only in memory.
    #[must_use]
    pub fn random() -> Self {
        let mut bytes = vec![0_u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        Self(Arc::new(bytes))
    }

    /// The configured key, or the one in the data directory, made there on
    /// first start.
    ///
    /// # Errors
    /// When the key file cannot be read or written, or holds too short a key.
    pub fn load(config: &Config) -> anyhow::Result<Self> {
        if let Some(secret) = &config.rate_limit_key {
            let bytes = secret.expose_secret().as_bytes().to_vec();
            anyhow::ensure!(
                bytes.len() >= 16,
                "rate_limit_key needs at least 16 characters"
            );
            return Ok(Self(Arc::new(bytes)));
        }
        Self::from_file(&config.data_dir.join(KEY_FILE))
    }

    fn from_file(path: &Path) -> anyhow::Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let bytes = URL_SAFE_NO_PAD
                    .decode(text.trim())
                    .with_context(|| format!("{} does not hold a key", path.display()))?;
                anyhow::ensure!(
                    bytes.len() >= 16,
                    "{} holds too short a key",
                    path.display()
                );
                Ok(Self(Arc::new(bytes)))
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::random();
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                }
                write_private(path, &URL_SAFE_NO_PAD.encode(key.0.as_slice()))
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Ok(key)
            }
            Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// The keyed hash of `subject` in `bucket`.
    #[must_use]
    pub fn hash(&self, bucket: &str, subject: &str) -> Vec<u8> {
        // HMAC takes a key of any length.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            unreachable!("HMAC accepts every key length")
        };
        mac.update(bucket.as_bytes());
        mac.update(&[0]);
        mac.update(subject.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::{io::Write, os::unix::fs::OpenOptionsExt};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::{SubjectKey, URL_SAFE_NO_PAD};
    use base64::Engine;
    use sha2::{Digest, Sha256};

    #[test]
    fn hashes_are_keyed() {
        let (a, b) = (SubjectKey::random(), SubjectKey::random());
        assert_eq!(
            a.hash("report_client", "203.0.113.7"),
            a.hash("report_client", "203.0.113.7")
        );
        assert_ne!(
            a.hash("report_client", "203.0.113.7"),
            b.hash("report_client", "203.0.113.7")
        );
        assert_ne!(
            a.hash("report_client", "203.0.113.7"),
            a.hash("sign_in", "203.0.113.7")
        );
        // Not the plain digest a dictionary could be built from.
        let plain = Sha256::digest(b"report_client\x00203.0.113.7").to_vec();
        assert_ne!(a.hash("report_client", "203.0.113.7"), plain);
        assert!(!format!("{a:?}").contains(&URL_SAFE_NO_PAD.encode(a.0.as_slice())));
    }

    #[test]
    fn the_key_file_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join(super::KEY_FILE);
        let first = SubjectKey::from_file(&path).unwrap();
        let again = SubjectKey::from_file(&path).unwrap();
        assert_eq!(first.hash("b", "s"), again.hash("b", "s"));
        std::fs::write(&path, "not a key!").unwrap();
        assert!(SubjectKey::from_file(&path).is_err());
    }
}
