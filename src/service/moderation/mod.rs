//! Moderation: the queue of submitted campaigns, the decisions on them, and
//! the audit trail a city admin reads. Every decision goes through the
//! campaign status rules, lands in one transaction with its history entry,
//! its audit entry and the team's notification, and is taken on the version
//! the moderator read. Pre-screening lives in `screening`, decisions and
//! their records in `decisions`.

mod decisions;
mod screening;

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub(crate) use decisions::Record;
pub use decisions::{archive, decide};
pub use screening::changed_fields;
pub(crate) use screening::word_list as screening_word_list;
use screening::{content_fields, screen, word_list};

use tracing::instrument;

use super::{
    pagination::{page_size, paginate, rows_to_fetch, Page},
    permissions::{self, Roles},
    Principal,
};
use crate::{
    db::{
        self,
        campaigns::{CampaignRow, Content},
        moderation::{AuditRow, QueueRow},
    },
    domain::{
        prescreen::{Finding, WordList},
        Locale,
    },
    error::{AppError, AppResult},
    state::AppState,
};

/// A flag on one field of a campaign.
#[derive(Debug, Clone)]
pub struct Flag {
    pub field: String,
    pub finding: Finding,
}

/// A submitted campaign waiting in the queue.
pub struct QueueItem {
    pub row: QueueRow,
    pub media_count: usize,
    pub flags: Vec<Flag>,
}

/// Submitted campaigns in the programmes the caller moderates, oldest first.
///
/// # Errors
/// 403 when the caller moderates no programme, or not the one asked for.
#[instrument(skip_all, fields(user_id = %principal.user_id))]
pub async fn queue(
    state: &AppState,
    principal: Principal,
    programme_id: Option<Uuid>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u32,
) -> AppResult<Page<QueueItem>> {
    require_moderator(state, principal, programme_id).await?;
    let limit = page_size(limit);
    let rows = db::moderation::queue(
        &state.db,
        principal.user_id,
        programme_id,
        after,
        rows_to_fetch(limit),
    )
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    let mut lists: std::collections::HashMap<Locale, WordList> = std::collections::HashMap::new();
    for row in rows {
        let media = db::media::for_campaign(&state.db, row.id).await?;
        let words = lists
            .entry(row.programme_locale)
            .or_insert_with(|| word_list(state, row.programme_locale));
        let fields = [
            ("title", Some(row.title.as_str())),
            ("summary", Some(row.summary.as_str())),
            ("body", Some(row.body.as_str())),
            ("hashtag", row.hashtag.as_deref()),
            ("audience", row.audience.as_deref()),
            ("location", row.location.as_deref()),
        ];
        let flags = screen(&fields, &media, words);
        items.push(QueueItem {
            media_count: media.len(),
            flags,
            row,
        });
    }
    Ok(paginate(items, limit, |i| (i.row.submitted_at, i.row.id)))
}

/// 403 unless the caller moderates some programme (or the one named).
pub(crate) async fn require_moderator(
    state: &AppState,
    principal: Principal,
    programme_id: Option<Uuid>,
) -> AppResult<Roles> {
    let roles = Roles::load(state, principal.user_id).await?;
    match programme_id {
        Some(id) => match db::programmes::by_id(&state.db, id).await? {
            Some(p) => permissions::require_moderator(&roles, p.id, p.city_id)?,
            None => return Err(AppError::NotFound("programme")),
        },
        None => permissions::require_moderator_anywhere(&roles)?,
    }
    Ok(roles)
}

/// What a moderator needs beside the campaign itself.
pub struct Review {
    pub flags: Vec<Flag>,
    pub changed_fields: Vec<&'static str>,
    pub is_update: bool,
}

/// A campaign the caller moderates, or 404 (never 403: to anyone else it does not exist).
pub(super) async fn moderated(
    state: &AppState,
    principal: Principal,
    id: Uuid,
) -> AppResult<CampaignRow> {
    let campaign = db::campaigns::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("campaign"))?;
    let relation = permissions::CampaignRelation::of(state, principal.user_id, &campaign).await?;
    if relation.staff {
        Ok(campaign)
    } else {
        Err(AppError::NotFound("campaign"))
    }
}

/// A campaign's working draft and media against what the public sees.
pub(crate) struct Revision {
    pub draft: Content,
    pub published: Option<Content>,
    pub media: Vec<db::media::MediaRow>,
}

impl Revision {
    /// What a decision on the working draft would change for the public.
    pub(crate) fn changed_fields(&self) -> Vec<&'static str> {
        changed_fields(&self.draft, self.published.as_ref(), &self.media)
    }

    /// The title the public knows it by (the draft's when never published).
    pub(crate) fn public_title(&self) -> &str {
        self.published
            .as_ref()
            .map_or(&self.draft.title, |p| &p.title)
    }
}

pub(crate) async fn revision(state: &AppState, id: Uuid) -> AppResult<Revision> {
    let draft = db::campaigns::content(&state.db, id, crate::domain::ContentKind::Draft)
        .await?
        .ok_or_else(|| anyhow::anyhow!("campaign {id} has no draft"))?;
    let published =
        db::campaigns::content(&state.db, id, crate::domain::ContentKind::Published).await?;
    let media = db::media::for_campaign(&state.db, id).await?;
    Ok(Revision {
        draft,
        published,
        media,
    })
}

/// The pre-screen flags and the changes against the published version.
///
/// # Errors
/// 404 unless the caller moderates the campaign.
pub async fn review(state: &AppState, principal: Principal, id: Uuid) -> AppResult<Review> {
    let campaign = moderated(state, principal, id).await?;
    let revision = revision(state, id).await?;
    let programme = db::programmes::by_id(&state.db, campaign.programme_id)
        .await?
        .ok_or(AppError::NotFound("programme"))?;
    let flags = screen(
        &content_fields(&revision.draft),
        &revision.media,
        &word_list(state, programme.locale),
    );
    Ok(Review {
        changed_fields: revision.changed_fields(),
        is_update: revision.published.is_some(),
        flags,
    })
}

/// The decisions in the programmes of the cities the caller manages, newest first.
///
/// # Errors
/// 403 unless a city admin or admin (of the programme's city, when one is named).
pub async fn audit(
    state: &AppState,
    principal: Principal,
    programme_id: Option<Uuid>,
    before: Option<(DateTime<Utc>, Uuid)>,
    limit: u32,
) -> AppResult<Page<AuditRow>> {
    let roles = Roles::load(state, principal.user_id).await?;
    match programme_id {
        Some(id) => match db::programmes::by_id(&state.db, id).await? {
            Some(p) => permissions::require_auditor(&roles, p.city_id)?,
            None => return Err(AppError::NotFound("programme")),
        },
        None => permissions::require_auditor_anywhere(&roles)?,
    }
    let limit = page_size(limit);
    let items = db::moderation::audit(
        &state.db,
        principal.user_id,
        programme_id,
        before,
        rows_to_fetch(limit),
    )
    .await?;
    Ok(paginate(items, limit, |a| (a.created_at, a.id)))
}
