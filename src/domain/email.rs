use std::fmt;

/// A normalised email address: trimmed and lower-cased, so one address is one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    /// # Errors
    /// A message fit for a field error when the text is not a plausible address.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err("an email address is required");
        }
        if value.len() > Self::MAX_LEN {
            return Err("an email address has at most 254 characters");
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("an email address has no spaces");
        }
        let Some((local, domain)) = value.split_once('@') else {
            return Err("an email address needs an @");
        };
        let domain_ok = !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err("this is not a valid email address");
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
