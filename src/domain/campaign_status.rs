//! The life of a campaign, and which moves between states are allowed.
//!
//! ```text
//! draft ──submit──▶ submitted ──approve──▶ approved ──archive──▶ archived
//!   ▲                 │  │  └──reject──▶ rejected
//!   └────withdraw─────┘  └──request_changes──▶ changes_requested ──submit──▶ submitted
//! ```
//! An approved campaign whose team edits it is submitted again while its
//! published version stays public; withdrawing such a submission returns it
//! to `approved`.

super::enums::str_enum!(
    /// Where a campaign is in its life.
    CampaignStatus {
        /// Being written; only the team sees it.
        Draft = "draft",
        /// Waiting for a facilitator.
        Submitted = "submitted",
        /// Published.
        Approved = "approved",
        /// Back with the team, with feedback.
        ChangesRequested = "changes_requested",
        /// Not published; final.
        Rejected = "rejected",
        /// Taken down after it ran; final.
        Archived = "archived",
    }
);

super::enums::str_enum!(
    /// Which of a campaign's two texts: the team's working draft, or the
    /// version an approval made public.
    ContentKind {
        Draft = "draft",
        Published = "published",
    }
);

/// Something that moves a campaign from one status to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Submit,
    /// Back from `submitted`; `published` says whether an approved version exists.
    Withdraw {
        published: bool,
    },
    Approve,
    RequestChanges,
    Reject,
    Archive,
    /// Taken down after a report: an approved campaign goes back to its
    /// team; one already with a moderator or the team stays where it is.
    Unpublish,
}

impl CampaignStatus {
    /// The status after `transition`, or `None` when the rules forbid it.
    #[must_use]
    pub fn apply(self, transition: Transition) -> Option<Self> {
        use CampaignStatus as S;
        use Transition as T;
        match (self, transition) {
            (S::Draft | S::ChangesRequested | S::Approved, T::Submit) => Some(S::Submitted),
            (S::Submitted, T::Withdraw { published: false }) => Some(S::Draft),
            (S::Submitted, T::Withdraw { published: true }) => Some(S::Approved),
            (S::Submitted, T::Approve) => Some(S::Approved),
            (S::Submitted, T::RequestChanges) => Some(S::ChangesRequested),
            (S::Submitted, T::Reject) => Some(S::Rejected),
            (S::Approved, T::Archive) => Some(S::Archived),
            (S::Approved, T::Unpublish) => Some(S::ChangesRequested),
            (S::Submitted | S::ChangesRequested | S::Rejected, T::Unpublish) => Some(self),
            _ => None,
        }
    }

    /// Whether the campaign is open work: not yet decided on, so it counts
    /// toward the team's limit of open campaigns.
    #[must_use]
    pub fn open(self) -> bool {
        matches!(self, Self::Draft | Self::Submitted | Self::ChangesRequested)
    }

    /// Whether the team may edit the working draft in this status.
    #[must_use]
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::ChangesRequested | Self::Approved)
    }
}

#[cfg(test)]
mod tests {
    use super::{CampaignStatus as S, Transition as T};

    const ALL: [S; 6] = [
        S::Draft,
        S::Submitted,
        S::Approved,
        S::ChangesRequested,
        S::Rejected,
        S::Archived,
    ];

    #[test]
    fn the_allowed_moves() {
        assert_eq!(S::Draft.apply(T::Submit), Some(S::Submitted));
        assert_eq!(S::ChangesRequested.apply(T::Submit), Some(S::Submitted));
        assert_eq!(S::Submitted.apply(T::Approve), Some(S::Approved));
        assert_eq!(
            S::Submitted.apply(T::RequestChanges),
            Some(S::ChangesRequested)
        );
        assert_eq!(S::Submitted.apply(T::Reject), Some(S::Rejected));
        assert_eq!(S::Approved.apply(T::Archive), Some(S::Archived));
        assert_eq!(S::Approved.apply(T::Unpublish), Some(S::ChangesRequested));
        assert_eq!(S::Submitted.apply(T::Unpublish), Some(S::Submitted));
        assert_eq!(S::Archived.apply(T::Unpublish), None);
        assert_eq!(
            S::Submitted.apply(T::Withdraw { published: false }),
            Some(S::Draft)
        );
        assert_eq!(
            S::Submitted.apply(T::Withdraw { published: true }),
            Some(S::Approved)
        );
    }

    #[test]
    fn everything_else_is_refused() {
        for status in ALL {
            for transition in [T::Approve, T::RequestChanges, T::Reject] {
                assert_eq!(status.apply(transition).is_some(), status == S::Submitted);
            }
        }
        for done in [S::Rejected, S::Archived] {
            assert_eq!(done.apply(T::Submit), None);
            assert_eq!(done.apply(T::Archive), None);
            assert!(!done.editable());
        }
        assert_eq!(S::Draft.apply(T::Archive), None);
        assert_eq!(S::Submitted.apply(T::Submit), None);
        assert!(!S::Submitted.editable());
    }

    #[test]
    fn round_trips_as_text() {
        for status in ALL {
            assert_eq!(S::from_str_opt(status.as_str()), Some(status));
        }
    }
}
