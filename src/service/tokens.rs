//! Secret tokens: 256 random bits, shown once, stored only as a SHA-256 hash.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::{rngs::OsRng, RngCore};
use sha2::{Digest, Sha256};

/// Length of an encoded token: 32 bytes in unpadded base64url.
pub const ENCODED_LEN: usize = 43;

/// A new random token, URL-safe.
#[must_use]
pub fn generate() -> String {
    let mut bytes = [0_u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The hash stored in place of a token.
#[must_use]
pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// True when `token` has the shape of one of ours (cheap check before a lookup).
#[must_use]
pub fn looks_valid(token: &str) -> bool {
    token.len() == ENCODED_LEN
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::{generate, hash, looks_valid};

    #[test]
    fn tokens_are_unique_and_well_formed() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert!(looks_valid(&a));
        assert_eq!(hash(&a).len(), 32);
        assert_ne!(hash(&a), hash(&b));
        assert!(!looks_valid("short"));
        assert!(!looks_valid(
            &"a".repeat(42).chars().chain(['!']).collect::<String>()
        ));
    }
}
