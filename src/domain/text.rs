//! Free text with limits: no control characters (newlines and tabs allowed
//! only where a field is multi-line), at most `MAX` characters as sent, and
//! at least `MIN` once trimmed. The same rules are written as `pattern` and
//! `maxLength` in the API document (see `api::patterns`), so a client can
//! check them before sending.

use super::Invalid;

/// Text of `MIN..=MAX` characters; `MULTILINE` allows line breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundedText<const MIN: usize, const MAX: usize, const MULTILINE: bool>(String);

impl<const MIN: usize, const MAX: usize, const MULTILINE: bool> BoundedText<MIN, MAX, MULTILINE> {
    /// # Errors
    /// A message fit for a field error.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        if raw.chars().count() > MAX {
            return Err(Invalid::too_long(MAX));
        }
        let bad_control = raw
            .chars()
            .any(|c| c.is_control() && !(MULTILINE && (c == '\n' || c == '\r' || c == '\t')));
        if bad_control {
            return Err(Invalid::format("contains characters that are not allowed"));
        }
        let value = raw.trim();
        if value.chars().count() < MIN {
            return Err(if MIN == 1 {
                Invalid::required("this field is required")
            } else {
                Invalid::too_short(MIN)
            });
        }
        Ok(Self(value.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    #[must_use]
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A person's name as shown to others.
pub type DisplayName = BoundedText<1, 80, false>;
/// The name of a city or programme.
pub type Name = BoundedText<1, 120, false>;
/// A longer, multi-line description.
pub type Description = BoundedText<0, 4000, true>;
/// A moderator's feedback, reason or note.
pub type ModerationNote = BoundedText<0, 4000, true>;
/// What a member of the public adds to a report.
pub type ReportDetails = BoundedText<0, 2000, true>;

#[cfg(test)]
mod tests {
    use super::{Description, DisplayName};

    #[test]
    fn trims_and_counts_characters_not_bytes() {
        assert_eq!(DisplayName::parse("  Åse  ").unwrap().as_str(), "Åse");
        assert!(DisplayName::parse(&"ø".repeat(80)).is_ok());
        assert!(DisplayName::parse(&"ø".repeat(81)).is_err());
        // The limit counts what was sent, spaces included.
        assert!(DisplayName::parse(&format!("{} ", "ø".repeat(80))).is_err());
    }

    #[test]
    fn refuses_empty_and_control_characters() {
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse("a\u{0}b").is_err());
        assert!(DisplayName::parse("a\nb").is_err());
        assert!(
            DisplayName::parse("ab\n").is_err(),
            "a control character anywhere"
        );
        assert!(Description::parse("line one\nline two").is_ok());
        assert!(Description::parse("").is_ok());
    }
}
