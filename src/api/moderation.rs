//! Moderation: the queue, decisions, archiving, reports and the audit trail.

use chrono::{DateTime, Utc};
use poem_openapi::{
    param::{Path, Query},
    payload::Json,
    Enum, Object, OpenApi,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{auth_guard::Auth, campaigns::Campaign, cursor, json::JsonBody, ApiTags};
use crate::{
    db::{moderation::AuditRow, reports::ReportRow},
    domain::{
        prescreen::FlagKind, AuditAction, CampaignStatus, ModerationNote, ReportAction,
        ReportReason, ReportStatus, Verdict,
    },
    error::AppError,
    service::{
        moderation::{self, Flag, QueueItem},
        reports,
    },
    state::AppState,
};

pub struct ModerationApi {
    pub state: AppState,
}

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
    pub detail: Option<String>,
}

fn flag(f: Flag) -> PrescreenFlag {
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

fn queue_entry(item: QueueItem) -> QueueEntry {
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
    pub feedback: Option<String>,
    /// The campaign version the decision was made on.
    pub version: i32,
}

#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct ArchiveRequest {
    /// Why; the team reads it. Up to 4000 characters.
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
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolution_note: Option<String>,
    /// Whether the campaign is taken down.
    pub campaign_hidden: bool,
}

fn report(r: ReportRow) -> Report {
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
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct ResolveRequest {
    pub action: ReportAction,
    /// Required to unpublish (the team reads it). Up to 4000 characters.
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
    pub actor_id: Option<Uuid>,
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
    pub reason: Option<String>,
    pub report_id: Option<Uuid>,
    pub at: DateTime<Utc>,
}

fn audit_entry(a: AuditRow) -> Result<AuditEntry, AppError> {
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
        at: a.created_at,
    })
}

#[derive(Debug, Object)]
pub struct AuditPage {
    /// Newest first.
    pub items: Vec<AuditEntry>,
    pub next_cursor: Option<String>,
}

fn note(field: &str, raw: Option<&str>) -> Result<ModerationNote, AppError> {
    ModerationNote::parse(raw.unwrap_or("")).map_err(|m| AppError::validation(field, m))
}

#[OpenApi(tag = "ApiTags::Moderation")]
impl ModerationApi {
    /// The moderation queue
    ///
    /// Submitted campaigns in the programmes the caller moderates, oldest
    /// first, each with its pre-screen flags.
    #[oai(
        path = "/moderation/queue",
        method = "get",
        operation_id = "moderationQueue"
    )]
    async fn queue(
        &self,
        auth: Auth,
        programme_id: Query<Option<Uuid>>,
        limit: Query<Option<u32>>,
        cursor: Query<Option<String>>,
    ) -> Result<Json<QueuePage>, AppError> {
        let after = cursor::decode(cursor.0.as_deref())?;
        let page = moderation::queue(
            &self.state,
            auth.principal(),
            programme_id.0,
            after,
            limit.0.unwrap_or(24),
        )
        .await?;
        Ok(Json(QueuePage {
            items: page.items.into_iter().map(queue_entry).collect(),
            next_cursor: page.next.map(cursor::encode),
        }))
    }

    /// Review aids for a campaign
    ///
    /// Its pre-screen flags and what changed against the published version.
    #[oai(
        path = "/moderation/campaigns/:id/review",
        method = "get",
        operation_id = "reviewCampaign"
    )]
    async fn review(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<Review>, AppError> {
        let review = moderation::review(&self.state, auth.principal(), id.0).await?;
        Ok(Json(Review {
            flags: review.flags.into_iter().map(flag).collect(),
            changed_fields: review
                .changed_fields
                .into_iter()
                .map(str::to_owned)
                .collect(),
            is_update: review.is_update,
        }))
    }

    /// Decide on a submitted campaign
    ///
    /// Approving publishes the working draft at once. A stale `version` or a
    /// campaign that is not submitted gets 409.
    #[oai(
        path = "/campaigns/:id/decision",
        method = "post",
        operation_id = "decideCampaign"
    )]
    async fn decide(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: JsonBody<DecisionRequest>,
    ) -> Result<Json<Campaign>, AppError> {
        let b = body.0;
        let feedback = note("feedback", b.feedback.as_deref())?;
        let verdict = b.decision;
        let view = moderation::decide(
            &self.state,
            auth.principal(),
            id.0,
            verdict,
            feedback,
            b.version,
        )
        .await?;
        Ok(Json(view.into()))
    }

    /// Archive an approved campaign
    ///
    /// It leaves every public place; the team is told why.
    #[oai(
        path = "/campaigns/:id/archive",
        method = "post",
        operation_id = "archiveCampaign"
    )]
    async fn archive(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: JsonBody<ArchiveRequest>,
    ) -> Result<Json<Campaign>, AppError> {
        let reason = note("reason", Some(&body.0.reason))?;
        let view = moderation::archive(&self.state, auth.principal(), id.0, reason).await?;
        Ok(Json(view.into()))
    }

    /// Reports from the public
    ///
    /// In the programmes the caller moderates: open ones oldest first,
    /// resolved ones newest first.
    #[oai(
        path = "/moderation/reports",
        method = "get",
        operation_id = "listReports"
    )]
    async fn reports(
        &self,
        auth: Auth,
        status: Query<Option<ReportStatus>>,
        programme_id: Query<Option<Uuid>>,
        limit: Query<Option<u32>>,
        cursor: Query<Option<String>>,
    ) -> Result<Json<ReportPage>, AppError> {
        let after = cursor::decode(cursor.0.as_deref())?.map(|(_, id)| id);
        let status = status.0.unwrap_or(ReportStatus::Open);
        let page = reports::list(
            &self.state,
            auth.principal(),
            status,
            programme_id.0,
            after,
            limit.0.unwrap_or(24),
        )
        .await?;
        Ok(Json(ReportPage {
            items: page.items.into_iter().map(report).collect(),
            next_cursor: page.next.map(cursor::encode),
        }))
    }

    /// Resolve a report
    ///
    /// Dismiss it, or unpublish the campaign: it disappears from every public
    /// place at once, and the campaign's other open reports close with it.
    #[oai(
        path = "/moderation/reports/:id/resolve",
        method = "post",
        operation_id = "resolveReport"
    )]
    async fn resolve(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: JsonBody<ResolveRequest>,
    ) -> Result<Json<Report>, AppError> {
        let b = body.0;
        let note = note("note", b.note.as_deref())?;
        let action = b.action;
        let row = reports::resolve(&self.state, auth.principal(), id.0, action, note).await?;
        Ok(Json(report(row)))
    }

    /// The audit trail
    ///
    /// Every moderation decision in the programmes of the cities the caller
    /// manages (city admins, admins): who, when, what, why. Entries are never
    /// changed or removed.
    #[oai(
        path = "/moderation/audit",
        method = "get",
        operation_id = "moderationAudit"
    )]
    async fn audit(
        &self,
        auth: Auth,
        programme_id: Query<Option<Uuid>>,
        limit: Query<Option<u32>>,
        cursor: Query<Option<String>>,
    ) -> Result<Json<AuditPage>, AppError> {
        let before = cursor::decode(cursor.0.as_deref())?;
        let page = moderation::audit(
            &self.state,
            auth.principal(),
            programme_id.0,
            before,
            limit.0.unwrap_or(24),
        )
        .await?;
        Ok(Json(AuditPage {
            items: page
                .items
                .into_iter()
                .map(audit_entry)
                .collect::<Result<_, _>>()?,
            next_cursor: page.next.map(cursor::encode),
        }))
    }
}
