//! Moderation: the queue of submitted campaigns, the decisions on them, and
//! the audit trail a city admin reads. Every decision goes through the
//! campaign status rules, lands in one transaction with its history entry,
//! its audit entry and the team's notification, and is taken on the version
//! the moderator read.

use chrono::{DateTime, Utc};
use tracing::instrument;
use uuid::Uuid;

use super::{
    campaigns, notify,
    permissions::{self, Roles},
    Principal,
};
use crate::{
    db::{
        self,
        campaigns::{CampaignRow, Content, Event},
        moderation::{AuditEntry, AuditRow, QueueRow},
    },
    domain::{
        prescreen::{self, Finding, WordList},
        AuditAction, CampaignStatus, Locale, ModerationNote, Transition, Verdict,
    },
    error::{AppError, AppResult},
    mail::Decision,
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

/// A page of results and where the next one starts.
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<(DateTime<Utc>, Uuid)>,
}

/// The word list for a programme's language, plus the one for every language.
fn word_list(state: &AppState, locale: Locale) -> WordList {
    let lists = &state.config.moderation.word_lists;
    WordList::new(
        lists
            .get(locale.as_str())
            .into_iter()
            .chain(lists.get("*"))
            .flatten(),
    )
}

/// Pre-screens every text of a campaign: its fields and its media descriptions.
fn screen(
    fields: &[(&str, Option<&str>)],
    media: &[db::media::MediaRow],
    words: &WordList,
) -> Vec<Flag> {
    let media_fields: Vec<(String, &str)> = media
        .iter()
        .enumerate()
        .map(|(n, m)| (format!("media.{n}.alt_text"), m.alt_text.as_str()))
        .collect();
    fields
        .iter()
        .filter_map(|(field, text)| text.map(|t| ((*field).to_owned(), t)))
        .chain(media_fields)
        .flat_map(|(field, text)| {
            prescreen::screen(text, words)
                .into_iter()
                .map(move |finding| Flag {
                    field: field.clone(),
                    finding,
                })
        })
        .collect()
}

fn content_fields(c: &Content) -> [(&'static str, Option<&str>); 6] {
    [
        ("title", Some(c.title.as_str())),
        ("summary", Some(c.summary.as_str())),
        ("body", Some(c.body.as_str())),
        ("hashtag", c.hashtag.as_deref()),
        ("audience", c.audience.as_deref()),
        ("location", c.location.as_deref()),
    ]
}

/// The fields of `draft` that differ from `published`; every filled field
/// when nothing was published yet.
#[must_use]
pub fn changed_fields(draft: &Content, published: Option<&Content>) -> Vec<&'static str> {
    let dates = |c: &Content| [("starts_on", c.starts_on), ("ends_on", c.ends_on)];
    let mut changed: Vec<&'static str> = match published {
        Some(p) => content_fields(draft)
            .iter()
            .zip(content_fields(p))
            .filter(|((_, a), (_, b))| a != b)
            .map(|((name, _), _)| *name)
            .collect(),
        None => content_fields(draft)
            .iter()
            .filter(|(_, v)| v.is_some_and(|v| !v.is_empty()))
            .map(|(name, _)| *name)
            .collect(),
    };
    if published.is_none_or(|p| p.theme != draft.theme) {
        changed.push("theme");
    }
    for ((name, a), (_, b)) in dates(draft)
        .iter()
        .zip(published.map_or([("", None), ("", None)], dates))
    {
        if *a != b && (published.is_some() || a.is_some()) {
            changed.push(name);
        }
    }
    changed
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
    let limit = i64::from(limit.clamp(1, 100));
    let rows =
        db::moderation::queue(&state.db, principal.user_id, programme_id, after, limit + 1).await?;
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
    let next = paginate(&mut items, limit, |i| (i.row.submitted_at, i.row.id));
    Ok(Page { items, next })
}

/// Cuts `items` to `limit` and says where the next page starts.
pub(crate) fn paginate<T, K>(items: &mut Vec<T>, limit: i64, key: impl Fn(&T) -> K) -> Option<K> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    if items.len() > limit {
        items.truncate(limit);
        items.last().map(key)
    } else {
        None
    }
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
async fn moderated(state: &AppState, principal: Principal, id: Uuid) -> AppResult<CampaignRow> {
    let campaign = db::campaigns::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("campaign"))?;
    let roles = Roles::load(state, principal.user_id).await?;
    if permissions::moderates(&roles, campaign.programme_id, campaign.city_id) {
        Ok(campaign)
    } else {
        Err(AppError::NotFound("campaign"))
    }
}

pub(crate) async fn contents(state: &AppState, id: Uuid) -> AppResult<(Content, Option<Content>)> {
    let draft = db::campaigns::content(&state.db, id, crate::domain::ContentKind::Draft)
        .await?
        .ok_or_else(|| anyhow::anyhow!("campaign {id} has no draft"))?;
    let published =
        db::campaigns::content(&state.db, id, crate::domain::ContentKind::Published).await?;
    Ok((draft, published))
}

/// The pre-screen flags and the changes against the published version.
///
/// # Errors
/// 404 unless the caller moderates the campaign.
pub async fn review(state: &AppState, principal: Principal, id: Uuid) -> AppResult<Review> {
    let campaign = moderated(state, principal, id).await?;
    let (draft, published) = contents(state, id).await?;
    let programme = db::programmes::by_id(&state.db, campaign.programme_id)
        .await?
        .ok_or(AppError::NotFound("programme"))?;
    let media = db::media::for_campaign(&state.db, id).await?;
    let flags = screen(
        &content_fields(&draft),
        &media,
        &word_list(state, programme.locale),
    );
    Ok(Review {
        changed_fields: changed_fields(&draft, published.as_ref()),
        is_update: published.is_some(),
        flags,
    })
}

fn not_submitted(status: CampaignStatus) -> AppError {
    AppError::conflict(
        "not_submitted",
        format!(
            "this campaign is {} now, not waiting for a decision",
            status.as_str()
        ),
    )
}

/// Approves, requests changes or rejects a submitted campaign.
///
/// # Errors
/// 404 unless the caller moderates it; 422 `feedback` missing; 409
/// `own_campaign` for a member of its team, `not_submitted` or `version_conflict`.
#[instrument(skip_all, fields(user_id = %principal.user_id, campaign_id = %id))]
pub async fn decide(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    verdict: Verdict,
    feedback: ModerationNote,
    version: i32,
) -> AppResult<campaigns::CampaignView> {
    let campaign = moderated(state, principal, id).await?;
    if db::teams::role_of(&state.db, campaign.team_id, principal.user_id)
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            "own_campaign",
            "another moderator must decide on a campaign of your own team",
        ));
    }
    let feedback = Some(feedback.into_inner()).filter(|f| !f.is_empty());
    if verdict != Verdict::Approve && feedback.is_none() {
        return Err(AppError::validation(
            "feedback",
            "tell the team what to change, or why",
        ));
    }
    let from = campaign.status;
    let Some(to) = from.apply(verdict.transition()) else {
        return Err(not_submitted(from));
    };
    let (draft, published) = contents(state, id).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(_) = db::campaigns::set_status(&mut tx, id, Some(version), from, to, now).await?
    else {
        drop(tx);
        return Err(conflict_after_race(state, id).await);
    };
    if verdict == Verdict::Approve {
        db::campaigns::publish_draft(&mut tx, id, now).await?;
    }
    let record = Record {
        campaign: &campaign,
        actor: principal.user_id,
        action: verdict.into(),
        from,
        to,
        note: feedback.as_deref(),
        report_id: None,
    };
    record
        .write(&mut tx, &draft, published.as_ref(), version, now)
        .await?;
    notify::decision(
        state,
        &mut tx,
        id,
        verdict.into(),
        &draft.title,
        feedback.as_deref(),
        now,
    )
    .await?;
    tx.commit().await?;
    campaigns::get(state, principal, id).await
}

/// After a conditional update matched nothing: either someone decided first
/// (the status moved) or the campaign changed since it was read.
async fn conflict_after_race(state: &AppState, id: Uuid) -> AppError {
    match db::campaigns::by_id(&state.db, id).await {
        Ok(Some(fresh)) => match fresh.status {
            CampaignStatus::Submitted => AppError::conflict(
                "version_conflict",
                "the campaign changed since you loaded it; reload and look again",
            ),
            status => not_submitted(status),
        },
        Ok(None) => AppError::NotFound("campaign"),
        Err(err) => err.into(),
    }
}

/// One decision, written to the team's history and the audit trail.
pub(crate) struct Record<'a> {
    pub campaign: &'a CampaignRow,
    pub actor: Uuid,
    pub action: AuditAction,
    pub from: CampaignStatus,
    pub to: CampaignStatus,
    pub note: Option<&'a str>,
    pub report_id: Option<Uuid>,
}

impl Record<'_> {
    /// Writes the team's history entry and the audit entry.
    pub(crate) async fn write(
        &self,
        tx: &mut db::Tx,
        draft: &Content,
        published: Option<&Content>,
        version: i32,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        if let Some(action) = self.action.event() {
            let event = Event {
                actor: Some(self.actor),
                action,
                from: Some(self.from),
                to: self.to,
                note: self.note,
            };
            db::campaigns::add_event(tx, self.campaign.id, &event, now).await?;
        }
        self.audit_only(tx, draft, published, version, now).await
    }

    /// Writes only the audit entry (for what the team need not hear of).
    pub(crate) async fn audit_only(
        &self,
        tx: &mut db::Tx,
        draft: &Content,
        published: Option<&Content>,
        version: i32,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let decides_on_draft = matches!(
            self.action,
            AuditAction::Approve | AuditAction::RequestChanges | AuditAction::Reject
        );
        let fields = if decides_on_draft {
            changed_fields(draft, published)
        } else {
            Vec::new()
        };
        let title = if decides_on_draft {
            draft.title.as_str()
        } else {
            published.map_or(draft.title.as_str(), |p| p.title.as_str())
        };
        let entry = AuditEntry {
            campaign_id: self.campaign.id,
            programme_id: self.campaign.programme_id,
            city_id: self.campaign.city_id,
            actor_id: self.actor,
            action: self.action,
            from_status: self.from,
            to_status: self.to,
            campaign_version: version,
            title,
            changed_fields: &fields,
            reason: self.note,
            report_id: self.report_id,
        };
        db::moderation::append_audit(tx, &entry, now).await?;
        Ok(())
    }
}

/// Archives an approved campaign: it leaves every public place.
///
/// # Errors
/// 404 unless the caller moderates it; 422 without a reason; 409 unless approved.
#[instrument(skip_all, fields(user_id = %principal.user_id, campaign_id = %id))]
pub async fn archive(
    state: &AppState,
    principal: Principal,
    id: Uuid,
    reason: ModerationNote,
) -> AppResult<campaigns::CampaignView> {
    let campaign = moderated(state, principal, id).await?;
    let reason = reason.into_inner();
    if reason.is_empty() {
        return Err(AppError::validation(
            "reason",
            "say why the campaign is archived",
        ));
    }
    let from = campaign.status;
    let Some(to) = from.apply(Transition::Archive) else {
        return Err(AppError::conflict(
            "invalid_transition",
            format!("a campaign that is {} cannot be archived", from.as_str()),
        ));
    };
    let (draft, published) = contents(state, id).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(_) = db::campaigns::set_status(&mut tx, id, None, from, to, now).await? else {
        drop(tx);
        return Err(conflict_after_race(state, id).await);
    };
    let record = Record {
        campaign: &campaign,
        actor: principal.user_id,
        action: AuditAction::Archive,
        from,
        to,
        note: Some(&reason),
        report_id: None,
    };
    record
        .write(&mut tx, &draft, published.as_ref(), campaign.version, now)
        .await?;
    let title = published.as_ref().map_or(&draft.title, |p| &p.title);
    notify::decision(
        state,
        &mut tx,
        id,
        Decision::Archived,
        title,
        Some(&reason),
        now,
    )
    .await?;
    tx.commit().await?;
    campaigns::get(state, principal, id).await
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
    let limit = i64::from(limit.clamp(1, 100));
    let mut items = db::moderation::audit(
        &state.db,
        principal.user_id,
        programme_id,
        before,
        limit + 1,
    )
    .await?;
    let next = paginate(&mut items, limit, |a| (a.created_at, a.id));
    Ok(Page { items, next })
}

#[cfg(test)]
mod tests {
    use super::changed_fields;
    use crate::db::campaigns::Content;

    fn content(title: &str, body: &str) -> Content {
        Content {
            title: title.to_owned(),
            summary: "s".to_owned(),
            body: body.to_owned(),
            theme: crate::domain::Theme::Youth,
            hashtag: None,
            audience: None,
            starts_on: None,
            ends_on: None,
            location: None,
        }
    }

    #[test]
    fn changes_are_the_fields_that_differ() {
        let published = content("Hils", "old");
        assert_eq!(
            changed_fields(&content("Hils", "new"), Some(&published)),
            ["body"]
        );
        assert!(changed_fields(&published, Some(&published)).is_empty());
        assert_eq!(
            changed_fields(&content("Hils", "b"), None),
            ["title", "summary", "body", "theme"]
        );
    }
}
