//! What the moderation endpoints take and give.

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    db::{moderation::AuditRow, reports::ReportRow},
    domain::{
        prescreen::FlagKind, AuditAction, CampaignStatus, ReportAction, ReportReason, ReportStatus,
        Verdict,
    },
    error::AppError,
    service::moderation::{Flag, QueueItem},
};

/// What pre-screening found.
#[derive(Debug, Clone, Copy, Enum)]
#[oai(rename_all = "snake_case")]
pub enum PrescreenKind {
    /// A Nordic national identity number with valid check digits.
    NationalId,
    Phone,
    Email,
    /// A word or phrase from the programme language's word list.
    Word,
}

/// Something in a campaign's text worth a moderator's look. It never decides anything.
#[derive(Debug, Object)]
pub struct PrescreenFlag {
    pub kind: PrescreenKind,
    /// Where: `title`, `summary`, `body`, `hashtag`, `audience`, `location`
    /// or `media.{n}.alt_text`.
    pub field: String,
    /// The match; masked for identity numbers, phones and emails.
    pub excerpt: String,
    /// The country (`NO`, `SE`, `DK`, `FI`, `IS`) of an identity number, or the listed word.
    #[oai(nullable)]
    pub detail: Option<String>,
}

pub(super) fn flag(f: Flag) -> PrescreenFlag {
    PrescreenFlag {
        kind: match f.finding.kind {
            FlagKind::NationalId => PrescreenKind::NationalId,
            FlagKind::Phone => PrescreenKind::Phone,
            FlagKind::Email => PrescreenKind::Email,
            FlagKind::Word => PrescreenKind::Word,
        },
        field: f.field,
        excerpt: f.finding.excerpt,
        detail: f.finding.detail,
    }
}

/// A submitted campaign waiting for a decision.
#[derive(Debug, Object)]
pub struct QueueEntry {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub team_name: String,
    pub programme_id: Uuid,
    pub programme_name: String,
    /// Pass it with the decision.
    pub version: i32,
    pub submitted_at: DateTime<Utc>,
    /// An edit of a campaign that already has a public version.
    pub is_update: bool,
    pub media_count: u32,
    pub flags: Vec<PrescreenFlag>,
}

pub(super) fn queue_entry(item: QueueItem) -> QueueEntry {
    let r = item.row;
    QueueEntry {
        id: r.id,
        slug: r.slug,
        title: r.title,
        summary: r.summary,
        team_name: r.team_name,
        programme_id: r.programme_id,
        programme_name: r.programme_name,
        version: r.version,
        submitted_at: r.submitted_at,
        is_update: r.is_update,
        media_count: u32::try_from(item.media_count).unwrap_or(u32::MAX),
        flags: item.flags.into_iter().map(flag).collect(),
    }
}

#[derive(Debug, Object)]
pub struct QueuePage {
    /// Oldest submission first.
    pub items: Vec<QueueEntry>,
    /// Pass as `cursor` for the next page; null on the last page.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

/// What a moderator sees beside the campaign.
#[derive(Debug, Object)]
pub struct Review {
    pub flags: Vec<PrescreenFlag>,
    /// The fields of the proposed version that differ from the published one
    /// (every filled field when nothing is published yet).
    pub changed_fields: Vec<String>,
    pub is_update: bool,
}

#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct DecisionRequest {
    pub decision: Verdict,
    /// Required unless approving; the team reads it. Up to 4000 characters.
    #[oai(nullable)]
    #[oai(validator(
        max_length = 4000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub feedback: Option<String>,
    /// The campaign version the decision was made on.
    pub version: i32,
}

#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct ArchiveRequest {
    /// Why; the team reads it. Up to 4000 characters.
    #[oai(validator(
        max_length = 4000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub reason: String,
}

/// A report from the public, as moderators see it.
#[derive(Debug, Object)]
pub struct Report {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub campaign_slug: String,
    /// The title the public saw.
    pub campaign_title: String,
    pub team_name: String,
    pub programme_id: Uuid,
    pub programme_name: String,
    pub reason: ReportReason,
    pub details: String,
    pub status: ReportStatus,
    pub created_at: DateTime<Utc>,
    #[oai(nullable)]
    pub resolved_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub resolution_note: Option<String>,
    /// Whether the campaign is taken down.
    pub campaign_hidden: bool,
}

pub(super) fn report(r: ReportRow) -> Report {
    Report {
        id: r.id,
        campaign_id: r.campaign_id,
        campaign_slug: r.campaign_slug,
        campaign_title: r.campaign_title,
        team_name: r.team_name,
        programme_id: r.programme_id,
        programme_name: r.programme_name,
        reason: r.reason,
        details: r.details,
        status: r.status,
        created_at: r.created_at,
        resolved_at: r.resolved_at,
        resolution_note: r.resolution_note,
        campaign_hidden: r.campaign_hidden,
    }
}

#[derive(Debug, Object)]
pub struct ReportPage {
    pub items: Vec<Report>,
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct ResolveRequest {
    pub action: ReportAction,
    /// Required to unpublish (the team reads it). Up to 4000 characters.
    #[oai(nullable)]
    #[oai(validator(
        max_length = 4000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub note: Option<String>,
}

/// One decision in the audit trail.
#[derive(Debug, Object)]
pub struct AuditEntry {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub campaign_slug: String,
    pub programme_id: Uuid,
    pub programme_name: String,
    /// Who decided; null once they deleted their account.
    #[oai(nullable)]
    pub actor_id: Option<Uuid>,
    #[oai(nullable)]
    pub actor_name: Option<String>,
    pub actor_deleted: bool,
    pub action: AuditAction,
    pub from_status: CampaignStatus,
    pub to_status: CampaignStatus,
    /// The campaign version decided on.
    pub campaign_version: i32,
    /// The title decided on.
    pub title: String,
    /// What had changed against the published version.
    pub changed_fields: Vec<String>,
    /// The feedback, reason or note.
    #[oai(nullable)]
    pub reason: Option<String>,
    #[oai(nullable)]
    pub report_id: Option<Uuid>,
    /// For `verify_reach` and `decline_reach`: the reach report decided on.
    #[oai(nullable)]
    pub reach_report_id: Option<Uuid>,
    /// For `verify_reach`: how many people were verified.
    #[oai(nullable)]
    pub people_verified: Option<i32>,
    pub at: DateTime<Utc>,
}

pub(super) fn audit_entry(a: AuditRow) -> Result<AuditEntry, AppError> {
    Ok(AuditEntry {
        id: a.id,
        campaign_id: a.campaign_id,
        campaign_slug: a.campaign_slug,
        programme_id: a.programme_id,
        programme_name: a.programme_name,
        actor_id: if a.actor_deleted { None } else { a.actor_id },
        actor_name: if a.actor_deleted { None } else { a.actor_name },
        actor_deleted: a.actor_deleted,
        action: a.action,
        from_status: a.from_status,
        to_status: a.to_status,
        campaign_version: a.campaign_version,
        title: a.title,
        changed_fields: serde_json::from_str(&a.changed_fields).map_err(|err| {
            anyhow::anyhow!("audit entry {} has unreadable changed fields: {err}", a.id)
        })?,
        reason: a.reason,
        report_id: a.report_id,
        reach_report_id: a.reach_report_id,
        people_verified: a.people_verified,
        at: a.created_at,
    })
}

#[derive(Debug, Object)]
pub struct AuditPage {
    /// Newest first.
    pub items: Vec<AuditEntry>,
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}
