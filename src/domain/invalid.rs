//! Why a value does not parse: a stable code that clients translate, the
//! limits the message needs, and an English message for people reading the
//! raw response. `crate::i18n` words the same code in the person's language.

use std::{borrow::Cow, fmt};

use super::enums::str_enum;

str_enum!(
    /// What is wrong with one field, for clients to show in their language.
    FieldCode {
        /// Missing or empty.
        Required = "required",
        /// Shorter than `min` characters.
        TooShort = "too_short",
        /// Longer than `max` characters.
        TooLong = "too_long",
        /// A number, date or count outside what is allowed.
        OutOfRange = "out_of_range",
        /// Not in the expected form (a date, a link, an address, a type).
        InvalidFormat = "invalid_format",
        /// Well-formed, but not accepted here.
        NotAllowed = "not_allowed",
        /// A date later than today.
        InTheFuture = "in_the_future",
    }
);

/// A value refused, with what a message about it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub code: FieldCode,
    /// The lowest allowed number or length, when there is one.
    pub min: Option<i64>,
    /// The highest allowed number or length, when there is one.
    pub max: Option<i64>,
    /// The English message.
    pub message: Cow<'static, str>,
}

impl Invalid {
    pub fn new(code: FieldCode, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            code,
            min: None,
            max: None,
            message: message.into(),
        }
    }

    pub fn required(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(FieldCode::Required, message)
    }

    pub fn format(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(FieldCode::InvalidFormat, message)
    }

    pub fn not_allowed(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(FieldCode::NotAllowed, message)
    }

    #[must_use]
    pub fn too_long(max: usize) -> Self {
        Self::new(FieldCode::TooLong, format!("at most {max} characters")).with_max(max)
    }

    #[must_use]
    pub fn too_short(min: usize) -> Self {
        Self::new(FieldCode::TooShort, format!("at least {min} characters")).with_min(min)
    }

    /// A length of `count` outside `min..=max`, with its own message.
    pub fn length(
        count: usize,
        min: usize,
        max: usize,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        let problem = if count < min {
            Self::too_short(min)
        } else {
            Self::too_long(max)
        };
        Self {
            message: message.into(),
            ..problem
        }
    }

    /// A number outside `min..=max`.
    pub fn range(min: i64, max: i64, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            code: FieldCode::OutOfRange,
            min: Some(min),
            max: Some(max),
            message: message.into(),
        }
    }

    #[must_use]
    pub fn with_min(mut self, min: usize) -> Self {
        self.min = i64::try_from(min).ok();
        self
    }

    #[must_use]
    pub fn with_max(mut self, max: usize) -> Self {
        self.max = i64::try_from(max).ok();
        self
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Invalid {}
