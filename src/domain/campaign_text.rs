//! The text fields of a campaign and their limits.

use super::{BoundedText, Invalid};

/// 1 to 120 characters.
pub type CampaignTitle = BoundedText<1, 120, false>;
/// Up to 300 characters; needed before submitting.
pub type CampaignSummary = BoundedText<0, 300, true>;
/// Up to 10,000 characters in the light text format; needed before submitting.
pub type CampaignBody = BoundedText<0, 10_000, true>;
/// Audience and place: up to 200 characters.
pub type ShortText = BoundedText<0, 200, false>;

/// A letter of the Nordic languages beyond ASCII: the Latin letters with
/// their accented forms (æ, ø, å, ä, ö, ü, ð, þ, š, ž, ...), except `İ`,
/// whose lower case is two characters.
#[must_use]
pub fn is_nordic_letter(c: char) -> bool {
    matches!(c, '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{12f}' | '\u{131}'..='\u{17f}')
}

/// What a hashtag is made of: ASCII letters and digits, `_`, Nordic letters.
#[must_use]
pub fn is_tag_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || is_nordic_letter(c)
}

/// A hashtag without its `#`: 2 to 50 letters, digits or underscores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hashtag(String);

impl Hashtag {
    /// # Errors
    /// A message fit for a field error.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let tag = raw.trim().trim_start_matches('#');
        let count = tag.chars().count();
        if !(2..=50).contains(&count) {
            return Err(Invalid::length(
                count,
                2,
                50,
                "a hashtag has 2 to 50 characters",
            ));
        }
        if !tag.chars().all(is_tag_char) {
            return Err(Invalid::format("a hashtag has only letters, digits and _"));
        }
        Ok(Self(tag.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A URL-safe slug made from a title, e.g. `Hils for faen!` -> `hils-for-faen`.
#[must_use]
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.to_lowercase().chars() {
        let mapped: &str = match c {
            'æ' | 'ä' => "ae",
            'ø' | 'ö' => "o",
            'å' | 'á' | 'à' | 'â' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'ü' | 'ú' => "u",
            'í' | 'ï' => "i",
            'ó' | 'ô' => "o",
            'ð' => "d",
            'þ' => "th",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                slug.push(c);
                continue;
            }
            _ => "-",
        };
        slug.push_str(mapped);
    }
    let mut out = String::new();
    for part in slug.split('-').filter(|p| !p.is_empty()) {
        if out.len() + part.len() + 1 > 48 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    if out.is_empty() {
        "campaign".to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{slugify, Hashtag};

    #[test]
    fn slugs_read_well() {
        assert_eq!(slugify("Hils for faen!"), "hils-for-faen");
        assert_eq!(slugify("Åpen by – trygg by"), "apen-by-trygg-by");
        assert_eq!(slugify("Þórsmörk æ ø"), "thorsmork-ae-o");
        assert_eq!(slugify("!!!"), "campaign");
        assert!(slugify(&"lang ".repeat(40)).len() <= 48);
    }

    #[test]
    fn hashtags() {
        assert_eq!(
            Hashtag::parse("#Hilsforfaen").unwrap().as_str(),
            "Hilsforfaen"
        );
        assert_eq!(
            Hashtag::parse("ÅpenBy_2026").unwrap().as_str(),
            "ÅpenBy_2026"
        );
        assert!(Hashtag::parse("#a").is_err());
        assert!(Hashtag::parse("two words").is_err());
        assert!(Hashtag::parse("#<script>").is_err());
    }
}
