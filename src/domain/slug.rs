use std::fmt;

use super::Invalid;

/// A URL-safe identifier: lower-case letters, digits and single hyphens, 2 to 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    /// # Errors
    /// A message fit for a field error.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = raw;
        if value.len() < 2 || value.len() > 64 {
            return Err(Invalid::length(
                value.len(),
                2,
                64,
                "a slug has 2 to 64 characters",
            ));
        }
        if !value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(Invalid::format("a slug uses only a-z, 0-9 and hyphens"));
        }
        if value.starts_with('-') || value.ends_with('-') || value.contains("--") {
            return Err(Invalid::format(
                "a slug has no leading, trailing or double hyphens",
            ));
        }
        Ok(Self(value.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Slug;

    #[test]
    fn takes_plain_slugs() {
        assert_eq!(Slug::parse("kominn-2026").unwrap().as_str(), "kominn-2026");
    }

    #[test]
    fn refuses_bad_slugs() {
        for bad in [
            "a", "Larvik", "lar vik", "-larvik", "larvik-", "lar--vik", "lærdal",
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Slug::parse(&"a".repeat(65)).is_err());
    }
}
