//! Pre-screening of submitted text: national identity numbers (with their
//! check digits), phone numbers, email addresses and words from a configured
//! list. It only flags for a human moderator; it never decides anything.
//!
//! What a flag shows is masked, so a queue or an email listing flags does not
//! spread the very data it warns about.

use super::national_id::{self, Country};

/// What was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    NationalId,
    Phone,
    Email,
    Word,
}

/// One finding in one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FlagKind,
    /// The country of an identity number (`NO`, `SE`, ...) or the listed word.
    pub detail: Option<String>,
    /// The match, masked for identity numbers, phones and emails.
    pub excerpt: String,
}

/// Words and phrases to flag. An entry ending in `*` matches any word that
/// starts with it; a phrase matches its words in a row. Case is ignored.
#[derive(Debug, Clone, Default)]
pub struct WordList {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    source: String,
    words: Vec<String>,
    prefix: bool,
}

impl WordList {
    pub fn new<'a>(entries: impl IntoIterator<Item = &'a String>) -> Self {
        let entries = entries
            .into_iter()
            .filter_map(|raw| {
                let trimmed = raw.trim();
                let (body, prefix) = trimmed
                    .strip_suffix('*')
                    .map_or((trimmed, false), |b| (b, true));
                let words: Vec<String> = tokens(body).into_iter().map(|t| t.lower).collect();
                (!words.is_empty()).then(|| Entry {
                    source: trimmed.to_owned(),
                    words,
                    prefix,
                })
            })
            .collect();
        Self { entries }
    }
}

struct Token {
    lower: String,
    start: usize,
    end: usize,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Token {
                    lower: text[s..i].to_lowercase(),
                    start: s,
                    end: i,
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Token {
            lower: text[s..].to_lowercase(),
            start: s,
            end: text.len(),
        });
    }
    out
}

/// Everything worth a moderator's look in `text`.
#[must_use]
pub fn screen(text: &str, words: &WordList) -> Vec<Finding> {
    let ids = national_id::find(text);
    let mut findings: Vec<Finding> = ids
        .iter()
        .map(|id| Finding {
            kind: FlagKind::NationalId,
            detail: Some(country_code(id.country).to_owned()),
            excerpt: mask_digits(&text[id.start..id.end], 6),
        })
        .collect();
    for (start, end) in phones(text) {
        if ids.iter().any(|id| start < id.end && id.start < end) {
            continue;
        }
        findings.push(Finding {
            kind: FlagKind::Phone,
            detail: None,
            excerpt: mask_digits(&text[start..end], 3),
        });
    }
    for (start, end) in emails(text) {
        findings.push(Finding {
            kind: FlagKind::Email,
            detail: None,
            excerpt: mask_email(&text[start..end]),
        });
    }
    findings.extend(listed_words(text, words));
    findings
}

fn country_code(country: Country) -> &'static str {
    match country {
        Country::Norway => "NO",
        Country::Sweden => "SE",
        Country::Denmark => "DK",
        Country::Finland => "FI",
        Country::Iceland => "IS",
    }
}

/// Keeps the first `keep` digits and masks the others.
fn mask_digits(text: &str, keep: usize) -> String {
    let mut seen = 0;
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                seen += 1;
                if seen > keep {
                    return '•';
                }
            }
            c
        })
        .collect()
}

fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_owned(),
    }
}

fn listed_words(text: &str, list: &WordList) -> Vec<Finding> {
    let toks = tokens(text);
    let mut found = Vec::new();
    for entry in &list.entries {
        let n = entry.words.len();
        for window in toks.windows(n) {
            let matches = window
                .iter()
                .zip(&entry.words)
                .enumerate()
                .all(|(i, (t, w))| {
                    if entry.prefix && i == n - 1 {
                        t.lower.starts_with(w.as_str())
                    } else {
                        t.lower == *w
                    }
                });
            if matches {
                found.push(Finding {
                    kind: FlagKind::Word,
                    detail: Some(entry.source.clone()),
                    excerpt: text[window[0].start..window[n - 1].end].to_owned(),
                });
                break;
            }
        }
    }
    found
}

const CURRENCIES: &[&str] = &[
    "kr", "nok", "sek", "dkk", "isk", "eur", "euro", "€", "$", ",-",
];

fn next_to_currency(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].trim_end().to_lowercase();
    let after = text[end..].trim_start().to_lowercase();
    CURRENCIES
        .iter()
        .any(|c| before.ends_with(c) || after.starts_with(c))
}

/// Spans of Nordic phone numbers: with a +45/46/47/354/358 (or 00) prefix, or
/// in the local mobile and landline shapes. Runs grouped in thousands, dates
/// and amounts next to a currency are not phone numbers.
fn phones(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let boundary = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        let starts = bytes[at].is_ascii_digit()
            || (bytes[at] == b'+' && bytes.get(at + 1).is_some_and(u8::is_ascii_digit));
        if !(boundary && starts) {
            at += 1;
            continue;
        }
        let (end, groups) = digit_run(bytes, at);
        let plus = bytes[at] == b'+';
        if is_phone(&groups, plus) && !next_to_currency(text, at, end) {
            spans.push((at, end));
        }
        at = end.max(at + 1);
    }
    spans
}

/// A run of digit groups joined by single separators; its end and its groups.
fn digit_run(bytes: &[u8], start: usize) -> (usize, Vec<String>) {
    let mut groups: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut i = if bytes[start] == b'+' {
        start + 1
    } else {
        start
    };
    let mut end = i;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            current.push(char::from(b));
            i += 1;
            end = i;
        } else if matches!(b, b' ' | b'-' | b'.')
            && !current.is_empty()
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            groups.push(std::mem::take(&mut current));
            i += 1;
        } else {
            break;
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    if end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
        return (end, Vec::new());
    }
    (end, groups)
}

fn is_phone(groups: &[String], plus: bool) -> bool {
    if groups.is_empty() {
        return false;
    }
    let digits: String = groups.concat();
    let sizes: Vec<usize> = groups.iter().map(String::len).collect();
    if sizes.len() >= 2 && sizes[1..].iter().all(|&n| n == 3) && sizes[0] <= 3 {
        return false; // 25 000 000: an amount in thousands
    }
    if matches!(sizes.as_slice(), [4, 2, 2] | [2, 2, 4]) {
        return false; // a date
    }
    let international = if plus {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    if let Some(rest) = international {
        return [
            ("45", 8..=8),
            ("46", 7..=10),
            ("47", 8..=8),
            ("354", 7..=7),
            ("358", 5..=11),
        ]
        .iter()
        .any(|(code, len)| {
            rest.strip_prefix(code)
                .is_some_and(|n| len.contains(&n.trim_start_matches('0').len()))
        });
    }
    let first = digits.as_bytes()[0];
    match digits.len() {
        // Norway and Denmark: eight digits, never starting with 0 or 1.
        8 => (b'2'..=b'9').contains(&first),
        // Iceland: seven digits; mobiles start with 6, 7 or 8.
        7 => matches!(first, b'6' | b'7' | b'8'),
        // Sweden: 07x mobiles and 0-prefixed landlines; Finland: 04x and 050.
        9 | 10 => digits.starts_with("07") || digits.starts_with("04") || digits.starts_with("050"),
        _ => false,
    }
}

fn is_local_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// Spans of email addresses.
fn emails(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    for (at, _) in text.match_indices('@') {
        let mut start = at;
        while start > 0 && is_local_char(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < bytes.len()
            && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'.' | b'-'))
        {
            end += 1;
        }
        while end > at + 1 && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let domain = &text[at + 1..end];
        let tld_ok = domain.rsplit_once('.').is_some_and(|(host, tld)| {
            !host.is_empty() && tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())
        });
        if start < at && tld_ok {
            spans.push((start, end));
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::{screen, FlagKind, WordList};

    fn kinds(text: &str) -> Vec<FlagKind> {
        screen(text, &WordList::default())
            .into_iter()
            .map(|f| f.kind)
            .collect()
    }

    #[test]
    fn phone_numbers_in_nordic_shapes_are_flagged() {
        for text in [
            "ring meg på 412 34 567",
            "sms 41234567 i kveld",
            "call +47 412 34 567",
            "ring 0046 70 123 45 67",
            "ring 070-123 45 67",
            "soita 040 123 4567",
            "ring 22 34 56 78",
            "hringdu í +354 611 2345",
        ] {
            assert_eq!(kinds(text), vec![FlagKind::Phone], "{text}");
        }
    }

    #[test]
    fn ordinary_numbers_are_not_phones() {
        for text in [
            "Vi samlet inn 25 000 000 kr",
            "It cost 45000000 NOK",
            "3000 young people in 2026",
            "on 2026-11-21 at the festival",
            "on 21.11.2026",
            "room 1234567",
            "ticket 0123456789",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }

    #[test]
    fn identity_numbers_are_flagged_once_and_masked() {
        let findings = screen("mitt fnr er 01010750160", &WordList::default());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].kind, FlagKind::NationalId);
        assert_eq!(findings[0].detail.as_deref(), Some("NO"));
        assert_eq!(findings[0].excerpt, "010107•••••");
    }

    #[test]
    fn emails_are_flagged_and_masked() {
        let findings = screen("skriv til maja.h@skole.no.", &WordList::default());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].kind, FlagKind::Email);
        assert_eq!(findings[0].excerpt, "m•••@skole.no");
        assert!(kinds("follow us @hilsforfaen").is_empty());
        assert!(kinds("a@b").is_empty());
    }

    #[test]
    fn listed_words_match_whole_words_prefixes_and_phrases() {
        let list = WordList::new(&["idiot".to_owned(), "hat*".to_owned(), "go home".to_owned()]);
        let found: Vec<String> = screen("Idioter! We HATE this. Go  home now", &list)
            .into_iter()
            .map(|f| f.excerpt)
            .collect();
        assert_eq!(found, vec!["HATE".to_owned(), "Go  home".to_owned()]);
        assert!(screen("Idiot.", &list)
            .iter()
            .any(|f| f.kind == FlagKind::Word));
        assert!(screen("what a chat", &list).is_empty());
    }
}
