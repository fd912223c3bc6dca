use std::fmt;

use super::{campaign_text::is_nordic_letter, Invalid};

/// A normalised email address: trimmed and lower-cased, so one address is one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    /// # Errors
    /// A message fit for a field error when the text is not a plausible address.
    pub fn parse(raw: &str) -> Result<Self, super::Invalid> {
        if raw.chars().count() > Self::MAX_LEN {
            return Err(Invalid {
                message: "an email address has at most 254 characters".into(),
                ..Invalid::too_long(Self::MAX_LEN)
            });
        }
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err(Invalid::required("an email address is required"));
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Invalid::format("an email address has no spaces"));
        }
        let Some((local, domain)) = value.split_once('@') else {
            return Err(Invalid::format("an email address needs an @"));
        };
        // Printable ASCII or Nordic letters before the @; after it, at least
        // two labels of letters, digits and hyphens.
        let local_ok = (1..=64).contains(&local.chars().count())
            && local
                .chars()
                .all(|c| (c.is_ascii_graphic() && c != '@') || is_nordic_letter(c));
        let domain_ok = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || is_nordic_letter(c))
            });
        if !local_ok || !domain_ok {
            return Err(Invalid::format("this is not a valid email address"));
        }
        Ok(Self(value))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn normalises_case_and_whitespace() {
        let email = Email::parse("  Ada@Example.NO ").unwrap();
        assert_eq!(email.as_str(), "ada@example.no");
    }

    #[test]
    fn accepts_nordic_letters() {
        assert!(Email::parse("bjørn@kommune.no").is_ok());
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.no",
            "ada@example",
            "a b@example.no",
            "ada@@example.no",
            "ada@example..no",
            "ada@.example.no",
            "ada@exa_mple.no",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(Email::parse(&format!("{}@example.no", "a".repeat(65))).is_err());
    }
}
