//! Reach: what a campaign achieved, as its team reports it and a
//! facilitator verifies it.

use super::BoundedText;

super::enums::str_enum!(
    /// Where a campaign reached people.
    ReachChannel {
        Event = "event",
        SocialMedia = "social_media",
        School = "school",
        Media = "media",
        Online = "online",
        Other = "other",
    }
);

super::enums::str_enum!(
    /// Where a reach report stands. A declined report counts toward
    /// neither the reported nor the verified figure.
    ReachStatus {
        Pending = "pending",
        Verified = "verified",
        Declined = "declined",
    }
);

/// What happened, in the team's words: 1 to 2,000 characters.
pub type ReachDescription = BoundedText<1, 2000, true>;

/// The most people one report may claim.
pub const MAX_PEOPLE: i32 = 1_000_000;

/// What a report adds to the figures: (reported, verified).
#[must_use]
pub fn contribution(status: ReachStatus, reached: i32, verified: Option<i32>) -> (i64, i64) {
    match status {
        ReachStatus::Pending => (i64::from(reached), 0),
        ReachStatus::Verified => (i64::from(reached), i64::from(verified.unwrap_or(reached))),
        ReachStatus::Declined => (0, 0),
    }
}

/// An evidence link: an absolute `http` or `https` URL of at most 2,000 characters.
///
/// # Errors
/// A message fit for a field error.
pub fn evidence_url(raw: &str) -> Result<String, super::Invalid> {
    let raw = raw.trim();
    if raw.chars().count() > 2000 {
        return Err(super::Invalid::too_long(2000));
    }
    match url::Url::parse(raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
            Ok(url.to_string())
        }
        _ => Err(super::Invalid::format(
            "a link starting with https:// or http://",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{contribution, evidence_url, ReachStatus};

    #[test]
    fn declined_reports_count_nowhere() {
        assert_eq!(contribution(ReachStatus::Pending, 500, None), (500, 0));
        assert_eq!(
            contribution(ReachStatus::Verified, 3000, Some(2500)),
            (3000, 2500)
        );
        assert_eq!(contribution(ReachStatus::Declined, 40, None), (0, 0));
    }

    #[test]
    fn only_web_links_are_evidence() {
        assert!(evidence_url("https://instagram.com/p/abc").is_ok());
        assert!(evidence_url("http://example.no/x").is_ok());
        assert!(evidence_url("javascript:alert(1)").is_err());
        assert!(evidence_url("ftp://example.no/x").is_err());
        assert!(evidence_url("example.no").is_err());
    }
}
