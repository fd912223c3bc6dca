//! What the reach endpoints take and give.

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::{payload::Json, ApiResponse, Object};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    api::moderation::{PrescreenFlag, PrescreenKind},
    domain::{ReachChannel, ReachStatus},
    error::AppError,
    service::reach::{QueueItem, ReachView, StoredFlag},
};

/// What a campaign achieved, as its team reported it and a facilitator decided.
#[derive(Debug, Object)]
pub struct ReachReport {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub channel: ReachChannel,
    pub people_reached: i32,
    /// What a facilitator verified (at most the number reported); null until verified.
    #[oai(nullable)]
    pub people_verified: Option<i32>,
    pub occurred_on: NaiveDate,
    pub description: String,
    #[oai(nullable)]
    pub evidence_url: Option<String>,
    /// Evidence photos; never public.
    pub evidence: Vec<crate::api::media::Media>,
    pub status: ReachStatus,
    /// The facilitator's note on the decision.
    #[oai(nullable)]
    pub note: Option<String>,
    /// Whether the caller may still change or delete it.
    pub editable: bool,
    pub created_at: DateTime<Utc>,
    #[oai(nullable)]
    pub decided_at: Option<DateTime<Utc>>,
}

impl ReachReport {
    /// The report as the API shows it; `widths` name its photos' renditions.
    #[must_use]
    pub fn of(v: ReachView, widths: &[u32]) -> Self {
        let r = v.row;
        Self {
            id: r.id,
            campaign_id: r.campaign_id,
            channel: r.channel,
            people_reached: r.people_reached,
            people_verified: r.people_verified,
            occurred_on: r.occurred_on,
            description: r.description,
            evidence_url: r.evidence_url,
            evidence: v
                .evidence
                .into_iter()
                .map(|m| crate::api::media::to_dto(m, widths))
                .collect(),
            status: r.status,
            note: r.note,
            editable: v.editable,
            created_at: r.created_at,
            decided_at: r.decided_at,
        }
    }
}

#[derive(Debug, Object)]
pub struct ReachPage {
    pub items: Vec<ReachReport>,
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

/// A new reach report.
#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct CreateReachRequest {
    pub channel: ReachChannel,
    /// 1 to 1,000,000.
    #[oai(validator(minimum(value = "1"), maximum(value = "1000000")))]
    pub people_reached: i32,
    /// Not in the future, and not before the campaign was first submitted.
    pub occurred_on: NaiveDate,
    /// What happened: 1 to 2,000 characters.
    #[oai(validator(
        max_length = 2000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub description: String,
    /// A link to a post, an article or photos: `https://` or `http://`.
    #[oai(nullable)]
    #[oai(validator(max_length = 2000, pattern = "^\\s*(https?://\\S+)?\\s*$"))]
    pub evidence_url: Option<String>,
}

/// A change to a pending report; absent fields stay.
#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct UpdateReachRequest {
    #[oai(nullable)]
    pub channel: Option<ReachChannel>,
    #[oai(nullable)]
    #[oai(validator(minimum(value = "1"), maximum(value = "1000000")))]
    pub people_reached: Option<i32>,
    #[oai(nullable)]
    pub occurred_on: Option<NaiveDate>,
    #[oai(nullable)]
    #[oai(validator(
        max_length = 2000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub description: Option<String>,
    /// An empty string removes the link.
    #[oai(nullable)]
    #[oai(validator(max_length = 2000, pattern = "^\\s*(https?://\\S+)?\\s*$"))]
    pub evidence_url: Option<String>,
}

/// A facilitator's decision on a report.
#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct VerificationRequest {
    /// `true` verifies, `false` declines.
    pub verified: bool,
    /// For the team; required when declining. Up to 4,000 characters.
    #[oai(nullable)]
    #[oai(validator(
        max_length = 4000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub note: Option<String>,
    /// How many of the reported people are verified: 0 up to the number
    /// reported (all of them when absent). Ignored when declining.
    #[oai(nullable)]
    #[oai(validator(minimum(value = "0"), maximum(value = "1000000")))]
    pub people_verified: Option<i32>,
}

#[derive(ApiResponse)]
pub enum ReachCreated {
    /// The report, pending verification (or, for a retry with the same
    /// `Idempotency-Key`, the report the first attempt made).
    #[oai(status = 201)]
    Created(Json<ReachReport>),
}

/// A report in the verification queue.
#[derive(Debug, Object)]
pub struct ReachQueueEntry {
    pub report: ReachReport,
    pub campaign_slug: String,
    pub campaign_title: String,
    pub team_name: String,
    pub programme_id: Uuid,
    pub programme_name: String,
    /// What pre-screening found in the description.
    pub flags: Vec<PrescreenFlag>,
}

#[derive(Debug, Object)]
pub struct ReachQueuePage {
    pub items: Vec<ReachQueueEntry>,
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

fn flag(f: StoredFlag) -> Result<PrescreenFlag, AppError> {
    let kind = match f.kind.as_str() {
        "national_id" => PrescreenKind::NationalId,
        "phone" => PrescreenKind::Phone,
        "email" => PrescreenKind::Email,
        "word" => PrescreenKind::Word,
        other => {
            return Err(AppError::Internal(anyhow::anyhow!(
                "unknown stored flag kind {other}"
            )))
        }
    };
    Ok(PrescreenFlag {
        kind,
        field: "description".to_owned(),
        excerpt: f.excerpt,
        detail: f.detail,
    })
}

pub(super) fn queue_entry(item: QueueItem, widths: &[u32]) -> Result<ReachQueueEntry, AppError> {
    let row = item.row;
    Ok(ReachQueueEntry {
        campaign_slug: row.campaign_slug,
        campaign_title: row.campaign_title,
        team_name: row.team_name,
        programme_id: row.report.programme_id,
        programme_name: row.programme_name,
        flags: item.flags.into_iter().map(flag).collect::<Result<_, _>>()?,
        report: ReachReport::of(
            ReachView {
                row: row.report,
                editable: false,
                evidence: item.evidence,
            },
            widths,
        ),
    })
}
