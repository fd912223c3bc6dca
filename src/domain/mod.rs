//! Values that parse, never validate twice: once one of these exists, it is valid.

mod birth_year;
pub mod byte_range;
mod campaign_status;
mod campaign_text;
pub mod device;
mod email;
mod enums;
pub mod figures;
mod invalid;
mod join_code;
mod media_kinds;
mod moderation;
pub mod national_id;
#[cfg(any(test, feature = "test-fixtures"))]
pub mod national_id_reference;
pub mod prescreen;
pub mod reach;
pub mod rich_text;
mod slug;
mod text;
mod theme;

pub use birth_year::BirthYear;
pub use campaign_status::{CampaignStatus, ContentKind, Transition};
pub use campaign_text::{
    slugify, CampaignBody, CampaignSummary, CampaignTitle, Hashtag, ShortText,
};
pub use email::Email;
pub use enums::{Country, Locale, NotificationKind, ProgrammeKind, RoleKind, TeamRole};
pub use figures::{Figure, Tally};
pub use invalid::{FieldCode, Invalid};
pub use join_code::JoinCode;
pub use media_kinds::{JobKind, MediaFailure, MediaKind, MediaStatus};
pub use moderation::{
    AuditAction, CampaignEvent, ReportAction, ReportReason, ReportStatus, Verdict,
};
pub use reach::{ReachChannel, ReachDescription, ReachStatus};
pub use slug::Slug;
pub use text::{BoundedText, Description, DisplayName, ModerationNote, Name, ReportDetails};
pub use theme::Theme;
