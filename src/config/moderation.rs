//! Settings for moderation and the notification mail it sends.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModerationConfig {
    /// Words and phrases pre-screening flags, per language (`nb`, `sv`, ...;
    /// `*` applies to every language). An entry ending in `*` matches any
    /// word starting with it. Flags only alert a person; nothing is refused.
    pub word_lists: BTreeMap<String, Vec<String>>,
    /// How often facilitators get a digest of what waits for them, in
    /// seconds (a day by default); 0 turns digests off.
    pub digest_interval_seconds: u64,
    /// Where in each interval the digest goes, in seconds after midnight UTC
    /// for a daily digest (06:00 UTC by default).
    pub digest_offset_seconds: u64,
    /// Public reports one client may send per hour.
    pub reports_per_client_per_hour: u32,
}

impl Default for ModerationConfig {
    fn default() -> Self {
        Self {
            word_lists: BTreeMap::new(),
            digest_interval_seconds: 24 * 3600,
            digest_offset_seconds: 6 * 3600,
            reports_per_client_per_hour: 10,
        }
    }
}

/// Retries of notification mail while the mail server is unreachable.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailRetryConfig {
    /// The wait after the first failure; it doubles with every further one.
    pub first_seconds: u64,
    /// The longest wait between two attempts.
    pub max_seconds: u64,
    /// Attempts before a mail is given up (and logged as failed).
    pub max_attempts: i32,
}

impl Default for MailRetryConfig {
    fn default() -> Self {
        Self {
            first_seconds: 30,
            max_seconds: 3600,
            max_attempts: 40,
        }
    }
}

impl MailRetryConfig {
    /// The wait before attempt `attempts + 1`.
    #[must_use]
    pub fn backoff(&self, attempts: i32) -> chrono::Duration {
        let exponent = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
        let seconds = self
            .first_seconds
            .max(1)
            .saturating_mul(2_u64.saturating_pow(exponent))
            .min(self.max_seconds.max(1));
        chrono::Duration::seconds(i64::try_from(seconds).unwrap_or(i64::MAX / 1000))
    }
}

#[cfg(test)]
mod tests {
    use super::MailRetryConfig;
    use chrono::Duration;

    #[test]
    fn the_wait_doubles_up_to_the_cap() {
        let retry = MailRetryConfig::default();
        assert_eq!(retry.backoff(1), Duration::seconds(30));
        assert_eq!(retry.backoff(3), Duration::seconds(120));
        assert_eq!(retry.backoff(30), Duration::seconds(3600));
    }
}
