//! The figures the platform reports, and the local day they are counted on.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Country, Locale};

/// One column of the rollups: what happened on a day in a programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Figure {
    /// People who joined the programme.
    Enrolled,
    /// People whose first enrolment anywhere was in the programme.
    EnrolledFirst,
    /// People the programme trained.
    Trained,
    /// People whose first training anywhere was in the programme.
    TrainedFirst,
    Teams,
    CampaignsSubmitted,
    CampaignsApproved,
    ReachReported,
    ReachVerified,
    Views,
}

impl Figure {
    pub const ALL: [Self; 10] = [
        Self::Enrolled,
        Self::EnrolledFirst,
        Self::Trained,
        Self::TrainedFirst,
        Self::Teams,
        Self::CampaignsSubmitted,
        Self::CampaignsApproved,
        Self::ReachReported,
        Self::ReachVerified,
        Self::Views,
    ];

    /// The rollup column; also the name the recount prints.
    #[must_use]
    pub fn column(self) -> &'static str {
        match self {
            Self::Enrolled => "enrolled",
            Self::EnrolledFirst => "enrolled_first",
            Self::Trained => "trained",
            Self::TrainedFirst => "trained_first",
            Self::Teams => "teams",
            Self::CampaignsSubmitted => "campaigns_submitted",
            Self::CampaignsApproved => "campaigns_approved",
            Self::ReachReported => "reach_reported",
            Self::ReachVerified => "reach_verified",
            Self::Views => "views",
        }
    }

    #[must_use]
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Every figure of one programme-day (or any sum of them), by `Figure::index`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally(pub [i64; 10]);

impl Tally {
    #[must_use]
    pub fn get(&self, figure: Figure) -> i64 {
        self.0[figure.index()]
    }

    pub fn add(&mut self, figure: Figure, amount: i64) {
        self.0[figure.index()] += amount;
    }

    pub fn merge(&mut self, other: &Self) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    #[must_use]
    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|v| *v == 0)
    }
}

impl Country {
    /// The time zone whose calendar a city's figures are dated by.
    #[must_use]
    pub fn time_zone(self) -> chrono_tz::Tz {
        match self {
            Self::Dk => chrono_tz::Europe::Copenhagen,
            Self::Fi => chrono_tz::Europe::Helsinki,
            Self::Is => chrono_tz::Atlantic::Reykjavik,
            Self::No => chrono_tz::Europe::Oslo,
            Self::Se => chrono_tz::Europe::Stockholm,
        }
    }

    /// The local calendar day of a moment, in this country.
    #[must_use]
    pub fn local_date(self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.time_zone()).date_naive()
    }
}

/// A whole number with the locale's digit grouping: `3,000`, `3 000`, `3.000`.
#[must_use]
pub fn group_digits(n: i64, locale: Locale) -> String {
    let sep = match locale {
        Locale::En => ",",
        Locale::Da | Locale::Is => ".",
        Locale::Nb | Locale::Sv | Locale::Fi => "\u{a0}",
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use crate::domain::Country;

    #[test]
    fn days_follow_the_local_calendar() {
        let late = Utc.with_ymd_and_hms(2026, 3, 31, 22, 30, 0).unwrap();
        assert_eq!(
            Country::No.local_date(late),
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            "00:30 in Oslo is already April"
        );
        assert_eq!(
            Country::Is.local_date(late),
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
        );
    }
}
