//! The figures: the live goal, time series per week or month, exports and
//! the recount. Every figure is read from the rollups (see `rollup`).
//!
//! What is counted:
//! - *trained* and *enrolled* are people. A programme counts everyone it
//!   trained; any wider scope (a city, a country, the alliance) counts a
//!   person once, where they were first trained (or first enrolled).
//! - *reported* reach is what pending and verified reports claim; *verified*
//!   is what facilitators confirmed. A declined report counts toward neither.
//! - *campaigns approved* are the campaigns public now, dated by their first
//!   publication; unpublishing or archiving takes one out at once, while the
//!   reach it achieved stays (it happened).

pub mod cache;
pub mod disclosure;
pub mod export;
pub mod people;
pub mod recount;
pub mod rollup;
pub mod series;
pub mod views;

use crate::domain::{Figure, Tally};

/// The smallest count of people shown to the public for one city or programme.
pub const SMALLEST_PUBLIC_COUNT: i64 = 5;

/// The figures of a scope as they are reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub changemakers_trained: Option<i64>,
    pub changemakers_enrolled: Option<i64>,
    pub teams: i64,
    pub campaigns_submitted: i64,
    pub campaigns_approved: i64,
    pub people_reached_verified: i64,
    pub people_reached_reported: i64,
    pub gallery_views: i64,
    /// The figures withheld because they count fewer than five people.
    pub suppressed: Vec<&'static str>,
}

/// How the figures of a scope may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Presentation {
    /// The scope is one programme: people count per programme.
    pub single_programme: bool,
    /// The caller has no role in the scope: counts of people are the ones
    /// disclosure control allows (see `disclosure`), never the rollups'.
    pub suppress: bool,
}

impl Figures {
    /// The exact figures of a tally.
    #[must_use]
    pub fn from_tally(t: &Tally, how: Presentation) -> Self {
        let (trained, enrolled) = if how.single_programme {
            (t.get(Figure::Trained), t.get(Figure::Enrolled))
        } else {
            (t.get(Figure::TrainedFirst), t.get(Figure::EnrolledFirst))
        };
        Self {
            changemakers_trained: Some(trained),
            changemakers_enrolled: Some(enrolled),
            teams: t.get(Figure::Teams),
            campaigns_submitted: t.get(Figure::CampaignsSubmitted),
            campaigns_approved: t.get(Figure::CampaignsApproved),
            people_reached_verified: t.get(Figure::ReachVerified),
            people_reached_reported: t.get(Figure::ReachReported),
            gallery_views: t.get(Figure::Views),
            suppressed: Vec::new(),
        }
    }

    /// The same figures with the counts of people the public may see in
    /// place of the exact ones; a withheld count is `None` and named in
    /// `suppressed`.
    #[must_use]
    pub fn disclosed(mut self, trained: Option<i64>, enrolled: Option<i64>) -> Self {
        self.suppressed.clear();
        if trained.is_none() {
            self.suppressed.push("changemakers_trained");
        }
        if enrolled.is_none() {
            self.suppressed.push("changemakers_enrolled");
        }
        self.changemakers_trained = trained;
        self.changemakers_enrolled = enrolled;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::{Figures, Presentation};
    use crate::domain::{Figure, Tally};

    #[test]
    fn the_public_sees_the_disclosed_counts_of_people_only() {
        let mut t = Tally::default();
        t.add(Figure::Trained, 3);
        t.add(Figure::Enrolled, 12);
        t.add(Figure::ReachVerified, 2);
        let how = Presentation {
            single_programme: true,
            suppress: true,
        };
        let exact = Figures::from_tally(&t, how);
        assert_eq!(exact.changemakers_trained, Some(3));
        assert!(exact.suppressed.is_empty());
        let public = exact.disclosed(None, Some(10));
        assert_eq!(public.changemakers_trained, None);
        assert_eq!(public.changemakers_enrolled, Some(10));
        assert_eq!(
            public.people_reached_verified, 2,
            "reach counts no one of ours"
        );
        assert_eq!(public.suppressed, vec!["changemakers_trained"]);
    }
}
