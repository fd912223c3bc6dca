//! Moderation: the queue, decisions, archiving, reports and the audit trail.

mod types;

use poem_openapi::{
    param::{Path, Query},
    payload::Json,
    OpenApi,
};
use uuid::Uuid;

use super::{auth_guard::Auth, campaigns::Campaign, cursor, json::JsonBody, ApiTags};
use crate::{
    domain::{ModerationNote, ReportStatus},
    error::AppError,
    service::{moderation, reports},
    state::AppState,
};
pub use types::*;

pub struct ModerationApi {
    pub state: AppState,
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
        /// Items per page: 1 to 100 (24 when absent).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// Where the page starts: the `next_cursor` of the page before.
        #[oai(validator(pattern = "^(-?([0-9]{1,18}|[0-8][0-9]{18})\\.[0-9a-fA-F]{32})?$"))]
        cursor: Query<Option<String>>,
    ) -> Result<Json<QueuePage>, AppError> {
        let after = cursor::decode(cursor.0.as_deref())?;
        let page = moderation::queue(
            &self.state,
            auth.principal(),
            programme_id.0,
            after,
            limit.0.unwrap_or(crate::service::pagination::DEFAULT_LIMIT),
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
        /// Items per page: 1 to 100 (24 when absent).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// Where the page starts: the `next_cursor` of the page before.
        #[oai(validator(pattern = "^(-?([0-9]{1,18}|[0-8][0-9]{18})\\.[0-9a-fA-F]{32})?$"))]
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
            limit.0.unwrap_or(crate::service::pagination::DEFAULT_LIMIT),
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
        /// Items per page: 1 to 100 (24 when absent).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// Where the page starts: the `next_cursor` of the page before.
        #[oai(validator(pattern = "^(-?([0-9]{1,18}|[0-8][0-9]{18})\\.[0-9a-fA-F]{32})?$"))]
        cursor: Query<Option<String>>,
    ) -> Result<Json<AuditPage>, AppError> {
        let before = cursor::decode(cursor.0.as_deref())?;
        let page = moderation::audit(
            &self.state,
            auth.principal(),
            programme_id.0,
            before,
            limit.0.unwrap_or(crate::service::pagination::DEFAULT_LIMIT),
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
