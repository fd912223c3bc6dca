//! A slow, plainly written second reading of the identity-number rules, to
//! check [`super::national_id::find`] against (the fuzz target and the
//! replayed corpus compare the two on every input). It shares no code with
//! the finder: dates are checked by the calendar (`chrono`, in a leap year,
//! since a number's two-digit year may be one), check digits are computed
//! from the countries' published descriptions, and candidates are cut from
//! the text as strings.

use chrono::NaiveDate;

use super::national_id::Country;

/// Every identity number in `text`, as (country, start, end) in bytes.
#[must_use]
pub fn find(text: &str) -> Vec<(Country, usize, usize)> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        match number_at(text, at) {
            Some((country, end)) => {
                found.push((country, at, end));
                at = end;
            }
            None => at += 1,
        }
    }
    found
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

/// The number starting at byte `at`, if one does.
fn number_at(text: &str, at: usize) -> Option<(Country, usize)> {
    let bytes = text.as_bytes();
    if at > 0 && is_word(bytes[at - 1]) {
        return None;
    }
    let run = bytes[at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if run == 0 {
        return None;
    }
    // The whole run of digits, or six digits, one separator and up to five
    // letters or digits; a candidate must not run on into a word.
    let mut candidates = vec![(at + run, None)];
    if run == 6 && at + run < bytes.len() {
        let tail = bytes[at + 7..]
            .iter()
            .take(5)
            .take_while(|b| is_word(**b))
            .count();
        candidates.push((at + 7 + tail, Some(bytes[at + 6])));
    }
    candidates.into_iter().find_map(|(end, separator)| {
        if bytes.get(end).is_some_and(|b| is_word(*b)) {
            return None;
        }
        let span = &bytes[at..end];
        let chars = if separator.is_some() {
            let mut s = String::from_utf8_lossy(&span[..6]).into_owned();
            s.push_str(&String::from_utf8_lossy(&span[7..]));
            s
        } else {
            String::from_utf8_lossy(span).into_owned()
        };
        country_of(&chars, separator).map(|country| (country, end))
    })
}

fn country_of(chars: &str, separator: Option<u8>) -> Option<Country> {
    let digits = chars.bytes().all(|b| b.is_ascii_digit());
    let sep = separator.map(char::from);
    if digits && chars.len() == 11 && matches!(sep, None | Some(' ')) && norway(chars) {
        return Some(Country::Norway);
    }
    if digits && chars.len() == 10 && matches!(sep, None | Some('-' | '+')) && sweden(chars) {
        return Some(Country::Sweden);
    }
    if digits
        && chars.len() == 12
        && sep.is_none()
        && ["18", "19", "20"].contains(&&chars[..2])
        && sweden(&chars[2..])
    {
        return Some(Country::Sweden);
    }
    if digits && chars.len() == 10 && matches!(sep, None | Some('-')) {
        if denmark(chars) {
            return Some(Country::Denmark);
        }
        if iceland(chars) {
            return Some(Country::Iceland);
        }
    }
    if chars.len() == 10 && sep.is_some_and(finnish_century) && finland(chars) {
        return Some(Country::Finland);
    }
    None
}

fn value(chars: &str, from: usize, len: usize) -> u32 {
    chars[from..from + len].parse().unwrap_or(u32::MAX)
}

fn digits(chars: &str) -> Vec<u32> {
    chars.chars().filter_map(|c| c.to_digit(10)).collect()
}

/// A real day of the year (the 29th of February included).
fn real_day(day: u32, month: u32) -> bool {
    NaiveDate::from_ymd_opt(2000, month, day).is_some()
}

fn weighted_sum(digits: &[u32], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(d, w)| d * w).sum()
}

/// Norway's fødselsnummer: DDMMYY, three digits, two mod-11 check digits.
/// D-numbers add 4 to the first digit of the day, H-numbers to the month's.
fn norway(chars: &str) -> bool {
    let day = value(chars, 0, 2);
    let month = value(chars, 2, 2);
    let day = if day > 40 { day - 40 } else { day };
    let month = if month > 40 { month - 40 } else { month };
    let d = digits(chars);
    let control = |sum: u32| {
        let k = (11 - sum % 11) % 11;
        (k != 10).then_some(k)
    };
    real_day(day, month)
        && control(weighted_sum(&d, &[3, 7, 6, 1, 8, 9, 4, 5, 2])) == Some(d[9])
        && control(weighted_sum(&d, &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2])) == Some(d[10])
}

/// Sweden's personnummer: YYMMDD and four digits, the last by Luhn over all
/// ten; samordningsnummer add 60 to the day.
fn sweden(chars: &str) -> bool {
    let month = value(chars, 2, 2);
    let day = value(chars, 4, 2);
    let day = if day > 60 { day - 60 } else { day };
    let luhn: u32 = digits(chars)
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let doubled = if i % 2 == 0 { d * 2 } else { *d };
            if doubled > 9 {
                doubled - 9
            } else {
                doubled
            }
        })
        .sum();
    real_day(day, month) && luhn % 10 == 0
}

/// Denmark's CPR: DDMMYY and four digits, their weighted sum a multiple of 11.
fn denmark(chars: &str) -> bool {
    real_day(value(chars, 0, 2), value(chars, 2, 2))
        && weighted_sum(&digits(chars), &[4, 3, 2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0
}

/// Iceland's kennitala: DDMMYY, two digits, a mod-11 check digit and the
/// century (8, 9 or 0); companies add 40 to the day.
fn iceland(chars: &str) -> bool {
    let day = value(chars, 0, 2);
    let day = if day > 40 { day - 40 } else { day };
    let d = digits(chars);
    let check = (11 - weighted_sum(&d, &[3, 2, 7, 6, 5, 4, 3, 2]) % 11) % 11;
    real_day(day, value(chars, 2, 2)) && [8, 9, 0].contains(&d[9]) && check != 10 && check == d[8]
}

fn finnish_century(sep: char) -> bool {
    "+-ABCDEFUVWXY".contains(sep)
}

/// Finland's henkilötunnus: DDMMYY, the century sign, three digits and a
/// check character: the nine digits as one number, mod 31, looked up.
fn finland(chars: &str) -> bool {
    const CHECK: &str = "0123456789ABCDEFHJKLMNPRSTUVWXY";
    let Ok(number) = chars[..9].parse::<u32>() else {
        return false;
    };
    if !chars[..9].bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let expected = CHECK.as_bytes()[(number % 31) as usize];
    real_day(value(chars, 0, 2), value(chars, 2, 2))
        && chars.as_bytes()[9].to_ascii_uppercase() == expected
}

#[cfg(test)]
mod tests {
    use super::super::national_id;
    use super::*;

    #[test]
    fn the_reference_finds_the_test_numbers_of_each_country() {
        for (text, country) in [
            ("mitt nr er 01010750160 ok", Country::Norway),
            ("pnr 811228-9874", Country::Sweden),
            ("pnr 198112289874", Country::Sweden),
            ("CPR: 150390-2008", Country::Denmark),
            ("hetu 131052-308T", Country::Finland),
            ("kt. 120174-3399", Country::Iceland),
        ] {
            let found = find(text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].0, country, "{text}");
        }
    }

    #[test]
    fn the_finder_and_the_reference_agree_on_every_date_of_a_year() {
        // Every DDMMYY of 1990 with each ending, both ways: thousands of
        // valid and invalid numbers of every country.
        for day in 0..=32 {
            for month in 0..=13 {
                for tail in [
                    "-2008", "-308T", "-3399", "-9874", "50160", " 50160", "A308T",
                ] {
                    let text = format!("x {day:02}{month:02}90{tail} y");
                    let fast: Vec<_> = national_id::find(&text)
                        .into_iter()
                        .map(|f| (f.country, f.start, f.end))
                        .collect();
                    assert_eq!(fast, find(&text), "{text}");
                }
            }
        }
    }
}
