//! The words of moderation: decisions, reports, and what the history and the
//! audit trail record.

super::enums::str_enum!(
    /// A facilitator's decision on a submitted campaign.
    Verdict {
        Approve = "approve",
        RequestChanges = "request_changes",
        Reject = "reject",
    }
);

super::enums::str_enum!(
    /// Why someone reports a public campaign.
    ReportReason {
        Hate = "hate",
        PersonalData = "personal_data",
        Bullying = "bullying",
        Spam = "spam",
        /// Needs `details`.
        Other = "other",
    }
);

impl ReportReason {
    /// Reports a moderator hears of at once, not in the next digest.
    #[must_use]
    pub fn urgent(self) -> bool {
        matches!(self, Self::Hate | Self::PersonalData)
    }
}

super::enums::str_enum!(
    /// Where a public report stands.
    ReportStatus {
        /// Waiting for a moderator.
        Open = "open",
        /// Looked at; the campaign stays public.
        Dismissed = "dismissed",
        /// The campaign was taken off every public place.
        Unpublished = "unpublished",
    }
);

super::enums::str_enum!(
    /// What a moderator does with a report.
    ReportAction {
        /// Keep the campaign public.
        Dismiss = "dismiss",
        /// Take the campaign off every public place and return it to its team.
        Unpublish = "unpublish",
    }
);

super::enums::str_enum!(
    /// A moderation step the audit trail records.
    AuditAction {
        Approve = "approve",
        RequestChanges = "request_changes",
        Reject = "reject",
        Archive = "archive",
        Unpublish = "unpublish",
        DismissReport = "dismiss_report",
        VerifyReach = "verify_reach",
        DeclineReach = "decline_reach",
    }
);

super::enums::str_enum!(
    /// A step in a campaign's history, as its team sees it.
    CampaignEvent {
        Created = "created",
        Submitted = "submitted",
        Withdrawn = "withdrawn",
        Approved = "approved",
        ChangesRequested = "changes_requested",
        Rejected = "rejected",
        Archived = "archived",
        Unpublished = "unpublished",
    }
);

impl Verdict {
    /// The move this decision makes in a campaign's life.
    #[must_use]
    pub fn transition(self) -> super::Transition {
        match self {
            Self::Approve => super::Transition::Approve,
            Self::RequestChanges => super::Transition::RequestChanges,
            Self::Reject => super::Transition::Reject,
        }
    }
}

impl From<Verdict> for AuditAction {
    fn from(verdict: Verdict) -> Self {
        match verdict {
            Verdict::Approve => Self::Approve,
            Verdict::RequestChanges => Self::RequestChanges,
            Verdict::Reject => Self::Reject,
        }
    }
}

impl AuditAction {
    /// The history entry the team sees for this step, if any.
    #[must_use]
    pub fn event(self) -> Option<CampaignEvent> {
        match self {
            Self::Approve => Some(CampaignEvent::Approved),
            Self::RequestChanges => Some(CampaignEvent::ChangesRequested),
            Self::Reject => Some(CampaignEvent::Rejected),
            Self::Archive => Some(CampaignEvent::Archived),
            Self::Unpublish => Some(CampaignEvent::Unpublished),
            Self::DismissReport | Self::VerifyReach | Self::DeclineReach => None,
        }
    }
}
