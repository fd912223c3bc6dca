//! Personal data: every table that holds it is registered here with how it
//! is exported (GDPR art. 15/20) and how it is erased when a person deletes
//! their account (art. 17). A test compares this registry with the database
//! schema, so a new table holding personal data cannot be forgotten.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tracing::instrument;
use uuid::Uuid;

use super::Principal;
use crate::{
    db::{self, privacy as data},
    error::{AppError, AppResult},
    state::AppState,
};

pub use crate::db::privacy::Bind;
pub use crate::db::privacy_registry::{Erasure, Registered, REGISTRY};

/// Column names that mark a table as holding personal data.
#[must_use]
pub fn is_personal_column(column: &str) -> bool {
    matches!(
        column,
        "email"
            | "recipient"
            | "display_name"
            | "birth_year"
            | "subject_hash"
            | "ip_hash"
            | "name_of_person"
    ) || column.ends_with("user_id")
        || column.ends_with("_by")
        || column.ends_with("actor_id")
        || column.ends_with("author_id")
}

/// Everything held about one person.
#[derive(Debug, Serialize)]
pub struct Export {
    pub generated_at: DateTime<Utc>,
    pub profile: Profile,
    pub sessions: Vec<data::SessionExport>,
    pub sign_in_links: Vec<data::LinkExport>,
    pub identities: Vec<IdentityExport>,
    pub sign_ins_in_progress: Vec<data::FlowExport>,
    pub roles: Vec<data::RoleExport>,
    pub enrolments: Vec<EnrolmentExport>,
    pub team_memberships: Vec<data::LinkRow>,
    pub team_invites: Vec<data::LinkRow>,
    pub teams_started: Vec<data::LinkRow>,
    pub campaigns_started: Vec<data::LinkRow>,
    pub campaign_edits: Vec<data::LinkRow>,
    pub campaign_actions: Vec<data::LinkRow>,
    /// Trainings this person marked, as a facilitator.
    pub trainings_marked: Vec<data::LinkRow>,
    /// Photos and videos this person uploaded.
    pub media_uploaded: Vec<data::LinkRow>,
    /// Moderation decisions this person took.
    pub moderation_decisions: Vec<data::LinkRow>,
    /// Public reports this person resolved.
    pub reports_resolved: Vec<data::LinkRow>,
    /// Feedback templates this person saved.
    pub feedback_templates: Vec<data::LinkRow>,
    /// Notification mail sent or waiting to be sent to this person.
    pub notification_mail: Vec<data::LinkRow>,
    /// What the app told this person: each notification, its kind and when.
    pub notifications: Vec<data::LinkRow>,
    /// Which kinds of notification this person chose to get, or not, by email.
    pub email_choices: Vec<EmailChoiceExport>,
    /// Reach reports this person logged or decided on.
    pub reach_reports: Vec<data::LinkRow>,
    /// This person's record in the changemaker ledger: per programme, when
    /// they joined and when they were trained.
    pub changemaker_record: Vec<data::LinkRow>,
}

#[derive(Debug, Serialize)]
pub struct EmailChoiceExport {
    pub kind: crate::domain::NotificationKind,
    pub email: bool,
}

#[derive(Debug, Serialize)]
pub struct Profile {
    pub id: Uuid,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub birth_year: Option<i32>,
    pub locale: crate::domain::Locale,
    pub created_at: DateTime<Utc>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize)]
pub struct IdentityExport {
    pub provider: String,
    pub subject: String,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
}

#[derive(Debug, Serialize)]
pub struct EnrolmentExport {
    pub programme_id: Uuid,
    pub programme: String,
    pub city: String,
    pub enrolled_at: DateTime<Utc>,
}

/// # Errors
/// 401 when the account is gone; database failures.
#[instrument(skip_all, fields(user_id = %principal.user_id))]
pub async fn export(state: &AppState, principal: Principal) -> AppResult<Export> {
    let db = &state.db;
    let user = db::users::by_id(db, principal.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let links = match &user.email {
        Some(email) => data::sign_in_links(db, email).await?,
        None => Vec::new(),
    };
    Ok(Export {
        generated_at: state.clock.now(),
        team_memberships: data::team_memberships(db, user.id).await?,
        team_invites: data::team_invites(db, user.id, user.email.as_deref()).await?,
        teams_started: data::teams_started(db, user.id).await?,
        campaigns_started: data::campaigns_started(db, user.id).await?,
        campaign_edits: data::campaign_edits(db, user.id).await?,
        campaign_actions: data::campaign_actions(db, user.id).await?,
        trainings_marked: data::trainings_marked(db, user.id).await?,
        media_uploaded: data::media_uploaded(db, user.id).await?,
        moderation_decisions: data::moderation_decisions(db, user.id).await?,
        reports_resolved: data::reports_resolved(db, user.id).await?,
        feedback_templates: data::feedback_templates(db, user.id).await?,
        notification_mail: data::notification_mail(db, user.id).await?,
        notifications: data::notifications(db, user.id).await?,
        email_choices: db::notifications::preferences(db, user.id)
            .await?
            .into_iter()
            .map(|(kind, email)| EmailChoiceExport { kind, email })
            .collect(),
        reach_reports: data::reach_reports(db, user.id).await?,
        changemaker_record: data::changemaker_record(db, user.id).await?,
        sessions: data::sessions(db, user.id).await?,
        sign_in_links: links,
        identities: db::identities::for_user(db, user.id)
            .await?
            .into_iter()
            .map(|i| IdentityExport {
                provider: i.provider,
                subject: i.subject,
                email: i.email,
                created_at: i.created_at,
                last_used_at: i.last_used_at,
            })
            .collect(),
        sign_ins_in_progress: data::oauth_flows(db, user.id).await?,
        roles: data::role_grants(db, user.id).await?,
        enrolments: db::enrolments::for_user(db, user.id)
            .await?
            .into_iter()
            .map(|e| EnrolmentExport {
                programme_id: e.programme_id,
                programme: e.programme_name,
                city: e.city_slug,
                enrolled_at: e.enrolled_at,
            })
            .collect(),
        profile: Profile {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            birth_year: user.birth_year,
            locale: user.locale,
            created_at: user.created_at,
            last_sign_in_at: user.last_sign_in_at,
        },
    })
}

/// Erases the person's data by the registry, in one transaction; their
/// sessions end with it and their email address is free again.
///
/// # Errors
/// 401 when the account is already gone; database failures (nothing is then erased).
#[instrument(skip_all, fields(user_id = %principal.user_id))]
pub async fn delete_account(state: &AppState, principal: Principal) -> AppResult<()> {
    let user = db::users::by_id(&state.db, principal.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let now = state.clock.now();
    let mut teams = Vec::new();
    for membership in db::teams::memberships(&state.db, user.id).await? {
        teams.extend(db::teams::by_id(&state.db, membership.team_id).await?);
    }
    let mut tx = state.db.begin().await?;
    for entry in REGISTRY {
        for step in entry.erasure {
            let (sql, binds) = match step {
                Erasure::Delete(sql, binds) | Erasure::Anonymise(sql, binds) => (*sql, *binds),
                Erasure::Expires(_) | Erasure::Retained(_) => continue,
            };
            if binds.contains(&Bind::Email) && user.email.is_none() {
                continue;
            }
            data::erase_step(&mut tx, sql, binds, user.id, user.email.as_deref(), now).await?;
        }
    }
    // No team is left without a lead, or open with nobody in it.
    for team in &teams {
        super::teams::after_departure(&mut tx, team, now).await?;
    }
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "account deleted");
    Ok(())
}
