//! Team join codes: short, easy to read aloud and type on a phone.

use rand::{rngs::OsRng, Rng};

/// No 0/O, 1/I/L, 2/Z, 5/S, 8/B: nothing that looks like something else.
pub const ALPHABET: &[u8] = b"34679ACDEFGHJKMNPQRTUVWXY";
pub const LENGTH: usize = 8;

/// A join code as typed: case-insensitive, spaces and dashes ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinCode(String);

impl JoinCode {
    #[must_use]
    pub fn generate() -> Self {
        let mut rng = OsRng;
        let code = (0..LENGTH)
            .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
            .collect();
        Self(code)
    }

    /// # Errors
    /// A message fit for a field error.
    pub fn parse(raw: &str) -> Result<Self, super::Invalid> {
        let code: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if code.len() != LENGTH || !code.bytes().all(|b| ALPHABET.contains(&b)) {
            return Err(super::Invalid::format(
                "a join code has 8 letters and digits, like K7MX-4QPD",
            ));
        }
        Ok(Self(code))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::{JoinCode, ALPHABET};

    #[test]
    fn generated_codes_parse_and_avoid_look_alikes() {
        for _ in 0..200 {
            let code = JoinCode::generate();
            assert_eq!(JoinCode::parse(code.as_str()).unwrap(), code);
            assert!(!code.as_str().contains(['0', 'O', '1', 'I', 'L']));
        }
        assert_eq!(ALPHABET.len(), 25);
    }

    #[test]
    fn typing_is_forgiving_but_not_sloppy() {
        assert_eq!(JoinCode::parse(" k7mx-4qpd ").unwrap().as_str(), "K7MX4QPD");
        assert!(JoinCode::parse("K7MX4QP").is_err());
        assert!(JoinCode::parse("K7MX4QP0").is_err());
    }
}
