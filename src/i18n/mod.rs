//! The server's own words in the person's language: problem titles and
//! details, and field messages. English is written where the error is made;
//! these tables hold the other five languages, in the order of `OTHERS`.
//! A code missing here keeps its English detail, which is never wrong, only
//! less kind.

mod details;
mod fields;
mod titles;

use std::sync::{Arc, OnceLock};

use poem::Request;

use crate::domain::Locale;

pub use fields::field_message;

/// The languages the tables translate into, in their column order.
const OTHERS: [Locale; 5] = [Locale::Nb, Locale::Sv, Locale::Da, Locale::Fi, Locale::Is];

/// The column of `locale` in a table, `None` for English.
fn column(locale: Locale) -> Option<usize> {
    OTHERS.iter().position(|l| *l == locale)
}

/// The problem title for `status` in `locale`.
#[must_use]
pub fn title(status: u16, english: &'static str, locale: Locale) -> &'static str {
    column(locale)
        .and_then(|col| {
            titles::TITLES
                .iter()
                .find(|(s, _)| *s == status)
                .map(|(_, t)| t[col])
        })
        .unwrap_or(english)
}

/// The detail of a problem with `code` in `locale`, when it is translated.
#[must_use]
pub fn detail(code: &str, locale: Locale) -> Option<&'static str> {
    let col = column(locale)?;
    details::DETAILS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, texts)| texts[col])
}

/// The language a request is answered in when nobody is signed in: the
/// first supported one of `Accept-Language`, else English.
#[must_use]
pub fn requested(req: &Request) -> Locale {
    req.header("accept-language")
        .and_then(Locale::negotiate)
        .unwrap_or(Locale::En)
}

/// The signed-in person's language, learnt while a request is handled (by
/// the session check) and read when its error is answered.
#[derive(Debug, Clone, Default)]
pub struct PersonLocale(Arc<OnceLock<Locale>>);

impl PersonLocale {
    pub fn set(&self, locale: Locale) {
        // A request authenticates once; a second check agrees with the first.
        let _ = self.0.set(locale);
    }

    #[must_use]
    pub fn get(&self) -> Option<Locale> {
        self.0.get().copied()
    }

    /// Records the person's language on `req`, when the request carries a slot.
    pub fn record(req: &Request, locale: Locale) {
        if let Some(slot) = req.data::<Self>() {
            slot.set(locale);
        }
    }
}
