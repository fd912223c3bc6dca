//! Nordic national identity numbers in free text, recognised by their format,
//! a real date and their check digits, so that pre-screening can flag a
//! campaign that exposes one. Years, prices, phone numbers and digit runs of
//! the right length that fail the checks are not flagged.

/// Whose number it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Country {
    Norway,
    Sweden,
    Denmark,
    Finland,
    Iceland,
}

/// An identity number found in a text. Where formats overlap (a Danish CPR
/// and a Swedish personnummer can share ten digits), the first country whose
/// checks pass is named; either way it is flagged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub country: Country,
    /// Byte offsets of the match in the text.
    pub start: usize,
    pub end: usize,
}

/// Every identity number in `text`.
#[must_use]
pub fn find(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let boundary = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        if boundary && bytes[at].is_ascii_digit() {
            if let Some(hit) = match_at(bytes, at) {
                at = hit.end;
                found.push(hit);
                continue;
            }
        }
        at += 1;
    }
    found
}

fn match_at(bytes: &[u8], start: usize) -> Option<Found> {
    // Candidates: a run of digits, optionally one separator (`-`, `+`,
    // space, or a Finnish century letter) then more digits or a check letter.
    let mut end = start;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    let head = &bytes[start..end];
    let candidates: Vec<(Vec<u8>, Option<u8>, usize)> = {
        let mut list = vec![(head.to_vec(), None, end)];
        if end < bytes.len() && head.len() == 6 {
            let sep = bytes[end];
            let tail_start = end + 1;
            let mut tail_end = tail_start;
            while tail_end < bytes.len()
                && tail_end - tail_start < 5
                && bytes[tail_end].is_ascii_alphanumeric()
            {
                tail_end += 1;
            }
            let tail = &bytes[tail_start..tail_end];
            let mut joined = head.to_vec();
            joined.extend_from_slice(tail);
            list.push((joined, Some(sep), tail_end));
        }
        list
    };
    for (digits, sep, end) in candidates {
        let after_ok = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
        if !after_ok {
            continue;
        }
        if let Some(country) = classify(&digits, sep) {
            return Some(Found {
                country,
                start,
                end,
            });
        }
    }
    None
}

fn classify(chars: &[u8], sep: Option<u8>) -> Option<Country> {
    let all_digits = chars.iter().all(u8::is_ascii_digit);
    match (chars.len(), sep) {
        (11, None | Some(b' ')) if all_digits && norwegian(chars) => Some(Country::Norway),
        (10, None | Some(b'-' | b'+')) if all_digits && swedish(chars) => Some(Country::Sweden),
        (12, None) if all_digits && swedish(&chars[2..]) && plausible_century(chars) => {
            Some(Country::Sweden)
        }
        (10, Some(b'-') | None) if all_digits && danish(chars) => Some(Country::Denmark),
        (10, Some(b'-') | None) if all_digits && icelandic(chars) => Some(Country::Iceland),
        (10, Some(sep)) if finnish_century(sep) && finnish(chars) => Some(Country::Finland),
        _ => None,
    }
}

fn digit(chars: &[u8], i: usize) -> u32 {
    u32::from(chars[i] - b'0')
}

fn number(chars: &[u8], from: usize, len: usize) -> u32 {
    (from..from + len).fold(0, |acc, i| acc * 10 + digit(chars, i))
}

fn valid_date(day: u32, month: u32) -> bool {
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return false,
    };
    (1..=days).contains(&day)
}

fn weighted(chars: &[u8], weights: &[u32]) -> u32 {
    weights
        .iter()
        .enumerate()
        .map(|(i, w)| digit(chars, i) * w)
        .sum()
}

/// Fødselsnummer (and D- and H-numbers): DDMMYY IIIKK, two mod-11 checks.
fn norwegian(c: &[u8]) -> bool {
    let mut day = number(c, 0, 2);
    let mut month = number(c, 2, 2);
    if day > 40 {
        day -= 40; // D-number
    }
    if month > 40 {
        month -= 40; // H-number
    }
    if !valid_date(day, month) {
        return false;
    }
    let check = |sum: u32| match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        k => Some(k),
    };
    let k1 = check(weighted(c, &[3, 7, 6, 1, 8, 9, 4, 5, 2]));
    let k2 = check(weighted(c, &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]));
    k1 == Some(digit(c, 9)) && k2 == Some(digit(c, 10))
}

/// Personnummer (and samordningsnummer): YYMMDD NNNC, Luhn.
fn swedish(c: &[u8]) -> bool {
    let month = number(c, 2, 2);
    let mut day = number(c, 4, 2);
    if day > 60 {
        day -= 60;
    }
    if !valid_date(day, month) {
        return false;
    }
    let sum: u32 = (0..10)
        .map(|i| {
            let d = digit(c, i) * if i % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    sum % 10 == 0
}

fn plausible_century(c: &[u8]) -> bool {
    matches!(number(c, 0, 2), 18..=20)
}

/// CPR: DDMMYY-SSSS with the modulus-11 check.
fn danish(c: &[u8]) -> bool {
    valid_date(number(c, 0, 2), number(c, 2, 2))
        && weighted(c, &[4, 3, 2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0
}

/// Kennitala: DDMMYY-RRCX, mod-11 check digit, century digit 8, 9 or 0.
fn icelandic(c: &[u8]) -> bool {
    let mut day = number(c, 0, 2);
    if day > 40 {
        day -= 40; // organisations
    }
    if !valid_date(day, number(c, 2, 2)) || !matches!(digit(c, 9), 8 | 9 | 0) {
        return false;
    }
    match 11 - weighted(c, &[3, 2, 7, 6, 5, 4, 3, 2]) % 11 {
        11 => digit(c, 8) == 0,
        10 => false,
        k => digit(c, 8) == k,
    }
}

fn finnish_century(sep: u8) -> bool {
    matches!(sep, b'+' | b'-' | b'A'..=b'F' | b'U'..=b'Y')
}

/// Henkilötunnus: DDMMYY C ZZZ Q, the check character from mod 31.
fn finnish(c: &[u8]) -> bool {
    const CHECKS: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    if !c[..9].iter().all(u8::is_ascii_digit) {
        return false;
    }
    if !valid_date(number(c, 0, 2), number(c, 2, 2)) {
        return false;
    }
    let value = number(c, 0, 6) * 1000 + number(c, 6, 3);
    CHECKS.get((value % 31) as usize) == Some(&c[9].to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::{find, Country};

    fn countries(text: &str) -> Vec<Country> {
        find(text).into_iter().map(|f| f.country).collect()
    }

    #[test]
    fn valid_numbers_are_found_for_each_country() {
        // Test numbers with correct check digits (not real people).
        assert_eq!(countries("mitt nr er 01010750160 ok"), [Country::Norway]);
        assert_eq!(countries("D-nummer 41010700130."), [Country::Norway]);
        assert_eq!(countries("pnr 811228-9874"), [Country::Sweden]);
        assert_eq!(countries("pnr 198112289874"), [Country::Sweden]);
        assert_eq!(countries("CPR: 150390-2008"), [Country::Denmark]);
        assert_eq!(countries("hetu 131052-308T"), [Country::Finland]);
        assert_eq!(countries("hetu 010594Y9032"), [Country::Finland]);
        assert_eq!(countries("kt. 120174-3399"), [Country::Iceland]);
    }

    #[test]
    fn a_wrong_check_digit_is_not_a_number() {
        for text in [
            "01010750161",  // Norway, last digit off
            "811228-9875",  // Sweden
            "150390-2009",  // Denmark
            "131052-308U",  // Finland
            "120174-3389",  // Iceland
            "198112289875", // Sweden, long form
        ] {
            assert!(find(text).is_empty(), "{text}: {:?}", find(text));
        }
    }

    #[test]
    fn ordinary_numbers_are_not_flagged() {
        for text in [
            "We reached 3000 people in 2024 and 2025.",
            "Tickets cost 1499,00 kr or 12345678901 øre",
            "Call 22 33 44 55 or +47 912 34 567",
            "Order 12345678901 and 1234567890 and 000000-0000",
            "31.12.2025 at 19:00, 450 NOK",
            "99999999999 11111111111",
        ] {
            assert!(find(text).is_empty(), "{text}: {:?}", find(text));
        }
    }

    #[test]
    fn a_number_inside_a_longer_run_is_not_flagged() {
        assert!(find("x0101075016012").is_empty());
        assert!(find("A01010750160").is_empty());
    }
}
