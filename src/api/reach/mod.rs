//! Reach reports: logged by a campaign's team, verified by a facilitator.

mod types;

use poem_openapi::{
    param::{Header, Path, Query},
    payload::Json,
    ApiResponse, OpenApi,
};
use uuid::Uuid;

pub use types::*;

use super::{
    auth_guard::Auth,
    cursor,
    json::JsonBody,
    media::{to_dto, Accepted},
    stats::{csv_file, CsvFile, ExportFormat, ExportSeparator},
    upload::MediaUpload,
    ApiTags,
};
use crate::{
    domain::{ModerationNote, ReachDescription, ReachStatus},
    error::AppError,
    service::{
        pagination::DEFAULT_LIMIT,
        reach::{self, ReachInput},
        stats,
    },
    state::AppState,
};

pub struct ReachApi {
    pub state: AppState,
}

#[derive(ApiResponse)]
pub enum Removed {
    /// Deleted.
    #[oai(status = 204)]
    Done,
}

impl ReachApi {
    fn report(&self, view: reach::ReachView) -> ReachReport {
        ReachReport::of(view, &self.state.config.media.rendition_widths)
    }
}

fn description(raw: &str) -> Result<ReachDescription, AppError> {
    ReachDescription::parse(raw).map_err(|m| AppError::validation("description", m))
}

#[OpenApi(tag = "ApiTags::Reach")]
impl ReachApi {
    /// Log a campaign's reach
    ///
    /// For the campaign's team, once the campaign has been approved. Send an
    /// `Idempotency-Key` (any unique string, e.g. a UUID made on the phone):
    /// a retry with the same key returns the first report and creates none.
    #[oai(
        path = "/campaigns/:id/reach",
        method = "post",
        operation_id = "createReach"
    )]
    async fn create(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        /// Makes a retried submit safe: 1 to 100 visible ASCII characters.
        #[oai(name = "Idempotency-Key", validator(pattern = "^[!-~]{1,100}$"))]
        idempotency_key: Header<Option<String>>,
        body: JsonBody<CreateReachRequest>,
    ) -> Result<ReachCreated, AppError> {
        let b = body.0;
        let input = ReachInput {
            channel: b.channel,
            people_reached: b.people_reached,
            occurred_on: b.occurred_on,
            description: description(&b.description)?,
            evidence_url: b.evidence_url,
        };
        let (view, _) = reach::create(
            &self.state,
            auth.principal(),
            id.0,
            input,
            idempotency_key.0.as_deref(),
        )
        .await?;
        Ok(ReachCreated::Created(Json(self.report(view))))
    }

    /// A campaign's reach reports
    ///
    /// Newest first, for its team and its facilitators.
    #[oai(
        path = "/campaigns/:id/reach",
        method = "get",
        operation_id = "listReach"
    )]
    async fn list(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        /// Items per page: 1 to 100 (24 when absent).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// Where the page starts: the `next_cursor` of the page before.
        #[oai(validator(pattern = "^(-?([0-9]{1,18}|[0-8][0-9]{18})\\.[0-9a-fA-F]{32})?$"))]
        cursor: Query<Option<String>>,
    ) -> Result<Json<ReachPage>, AppError> {
        let before = cursor::decode(cursor.0.as_deref())?;
        let page = reach::list(
            &self.state,
            auth.principal(),
            id.0,
            before,
            limit.0.unwrap_or(DEFAULT_LIMIT),
        )
        .await?;
        Ok(Json(ReachPage {
            items: page.items.into_iter().map(|v| self.report(v)).collect(),
            next_cursor: page.next.map(cursor::encode),
        }))
    }

    /// Change a pending reach report
    ///
    /// For the team, until a facilitator decides (then 409 `reach_decided`).
    #[oai(path = "/reach/:id", method = "patch", operation_id = "updateReach")]
    async fn update(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: JsonBody<UpdateReachRequest>,
    ) -> Result<Json<ReachReport>, AppError> {
        let b = body.0;
        let view = reach::update(&self.state, auth.principal(), id.0, |row| {
            Ok(ReachInput {
                channel: b.channel.unwrap_or(row.channel),
                people_reached: b.people_reached.unwrap_or(row.people_reached),
                occurred_on: b.occurred_on.unwrap_or(row.occurred_on),
                description: description(b.description.as_deref().unwrap_or(&row.description))?,
                evidence_url: match b.evidence_url {
                    Some(url) => Some(url),
                    None => row.evidence_url.clone(),
                },
            })
        })
        .await?;
        Ok(Json(self.report(view)))
    }

    /// Delete a pending reach report
    ///
    /// For the team, until a facilitator decides (then 409 `reach_decided`).
    #[oai(path = "/reach/:id", method = "delete", operation_id = "deleteReach")]
    async fn delete(&self, auth: Auth, id: Path<Uuid>) -> Result<Removed, AppError> {
        reach::delete(&self.state, auth.principal(), id.0).await?;
        Ok(Removed::Done)
    }

    /// Add an evidence photo to a pending reach report
    ///
    /// For the team, up to 3 photos a report (then 409 `too_much_evidence`),
    /// while it is pending. Evidence is seen by the team and the programme's
    /// facilitators, never by the public; its metadata is stripped as for any
    /// photo, and it is deleted with its report. Anything but a photo gets 415.
    #[oai(
        path = "/reach/:id/evidence",
        method = "post",
        operation_id = "uploadEvidence"
    )]
    async fn evidence(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        form: MediaUpload,
    ) -> Result<Accepted, AppError> {
        let row = reach::upload_evidence(
            &self.state,
            auth.principal(),
            id.0,
            form.file,
            form.alt_text,
        )
        .await?;
        Ok(Accepted::Accepted(Json(to_dto(
            row,
            &self.state.config.media.rendition_widths,
        ))))
    }

    /// Verify or decline a reach report
    ///
    /// By a facilitator of the campaign's programme or its city's admin, not
    /// a member of its team (409 `own_campaign`). `people_verified` may be
    /// lower than reported, never higher. A decided report gets 409
    /// `reach_decided`. The team is told by email.
    #[oai(
        path = "/reach/:id/verification",
        method = "post",
        operation_id = "verifyReach"
    )]
    async fn verify(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: JsonBody<VerificationRequest>,
    ) -> Result<Json<ReachReport>, AppError> {
        let b = body.0;
        let note = ModerationNote::parse(b.note.as_deref().unwrap_or(""))
            .map_err(|m| AppError::validation("note", m))?;
        let view = reach::verify(
            &self.state,
            auth.principal(),
            id.0,
            b.verified,
            note,
            b.people_verified,
        )
        .await?;
        Ok(Json(self.report(view)))
    }

    /// The verification queue
    ///
    /// Reach reports in the programmes the caller moderates, oldest first,
    /// with what pre-screening found in their descriptions.
    #[oai(
        path = "/moderation/reach",
        method = "get",
        operation_id = "reachQueue"
    )]
    async fn queue(
        &self,
        auth: Auth,
        programme_id: Query<Option<Uuid>>,
        /// `pending` when absent.
        status: Query<Option<ReachStatus>>,
        /// Items per page: 1 to 100 (24 when absent).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// Where the page starts: the `next_cursor` of the page before.
        #[oai(validator(pattern = "^(-?([0-9]{1,18}|[0-8][0-9]{18})\\.[0-9a-fA-F]{32})?$"))]
        cursor: Query<Option<String>>,
    ) -> Result<Json<ReachQueuePage>, AppError> {
        let after = cursor::decode(cursor.0.as_deref())?;
        let page = reach::queue(
            &self.state,
            auth.principal(),
            programme_id.0,
            status.0.unwrap_or(ReachStatus::Pending),
            after,
            limit.0.unwrap_or(DEFAULT_LIMIT),
        )
        .await?;
        Ok(Json(ReachQueuePage {
            items: page
                .items
                .into_iter()
                .map(|item| queue_entry(item, &self.state.config.media.rendition_widths))
                .collect::<Result<_, _>>()?,
            next_cursor: page.next.map(cursor::encode),
        }))
    }

    /// Export a programme's reach reports as CSV
    ///
    /// For its facilitators, its city's admins and admins.
    #[oai(
        path = "/programmes/:id/reach/export",
        method = "get",
        operation_id = "exportProgrammeReach"
    )]
    async fn export(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        format: Query<Option<ExportFormat>>,
        sep: Query<Option<ExportSeparator>>,
    ) -> Result<CsvFile, AppError> {
        let _ = format.0;
        let bytes = stats::export::reach(&self.state, auth.principal(), id.0, sep.0.into()).await?;
        Ok(csv_file(bytes, "changemakers-reach.csv"))
    }
}
