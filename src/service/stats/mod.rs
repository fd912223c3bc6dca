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
pub mod export;
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
    /// Counts of people below five are withheld (a public caller looking at
    /// one city or programme).
    pub suppress: bool,
}

impl Figures {
    #[must_use]
    pub fn from_tally(t: &Tally, how: Presentation) -> Self {
        let (trained, enrolled) = if how.single_programme {
            (t.get(Figure::Trained), t.get(Figure::Enrolled))
        } else {
            (t.get(Figure::TrainedFirst), t.get(Figure::EnrolledFirst))
        };
        let mut suppressed = Vec::new();
        let mut people = |name: &'static str, n: i64| {
            if how.suppress && (1..SMALLEST_PUBLIC_COUNT).contains(&n) {
                suppressed.push(name);
                None
            } else {
                Some(n)
            }
        };
        let changemakers_trained = people("changemakers_trained", trained);
        let changemakers_enrolled = people("changemakers_enrolled", enrolled);
        Self {
            changemakers_trained,
            changemakers_enrolled,
            teams: t.get(Figure::Teams),
            campaigns_submitted: t.get(Figure::CampaignsSubmitted),
            campaigns_approved: t.get(Figure::CampaignsApproved),
            people_reached_verified: t.get(Figure::ReachVerified),
            people_reached_reported: t.get(Figure::ReachReported),
            gallery_views: t.get(Figure::Views),
            suppressed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Figures, Presentation};
    use crate::domain::{Figure, Tally};

    #[test]
    fn small_counts_of_people_are_withheld_from_the_public() {
        let mut t = Tally::default();
        t.add(Figure::Trained, 3);
        t.add(Figure::Enrolled, 12);
        t.add(Figure::ReachVerified, 2);
        let public = Figures::from_tally(
            &t,
            Presentation {
                single_programme: true,
                suppress: true,
            },
        );
        assert_eq!(public.changemakers_trained, None);
        assert_eq!(public.changemakers_enrolled, Some(12));
        assert_eq!(
            public.people_reached_verified, 2,
            "reach counts no one of ours"
        );
        assert_eq!(public.suppressed, vec!["changemakers_trained"]);
        let exact = Figures::from_tally(
            &t,
            Presentation {
                single_programme: true,
                suppress: false,
            },
        );
        assert_eq!(exact.changemakers_trained, Some(3));
        assert!(exact.suppressed.is_empty());
    }
}
