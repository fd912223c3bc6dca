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

/// What happens to a table's rows about a person when they delete their account.
#[derive(Debug, Clone, Copy)]
pub enum Erasure {
    /// Rows about the person are deleted.
    Delete(&'static str, &'static [Bind]),
    /// Rows stay (other people's content depends on them) with personal fields cleared.
    Anonymise(&'static str, &'static [Bind]),
    /// Nothing linkable to the person is stored, and rows expire on their own.
    Expires(&'static str),
    /// Rows stay untouched because they are a record others are owed (the
    /// audit trail); they only point at the person's user row, which is
    /// anonymised, so the person is no longer named in them.
    Retained(&'static str),
}

/// One table holding personal data.
#[derive(Debug, Clone, Copy)]
pub struct Registered {
    pub table: &'static str,
    /// The key of this table's data in the export, or `None` with a reason in `erasure`.
    pub export_key: Option<&'static str>,
    pub erasure: &'static [Erasure],
}

/// The registry. Steps run in this order inside one transaction.
pub const REGISTRY: &[Registered] = &[
    Registered {
        table: "sessions",
        export_key: Some("sessions"),
        erasure: &[Erasure::Delete(
            "DELETE FROM sessions WHERE user_id = $1",
            &[Bind::UserId],
        )],
    },
    Registered {
        table: "sign_in_links",
        export_key: Some("sign_in_links"),
        erasure: &[Erasure::Delete(
            "DELETE FROM sign_in_links WHERE email = $1",
            &[Bind::Email],
        )],
    },
    Registered {
        table: "identities",
        export_key: Some("identities"),
        erasure: &[Erasure::Delete(
            "DELETE FROM identities WHERE user_id = $1",
            &[Bind::UserId],
        )],
    },
    Registered {
        table: "oauth_flows",
        export_key: Some("sign_ins_in_progress"),
        erasure: &[Erasure::Delete(
            "DELETE FROM oauth_flows WHERE link_user_id = $1",
            &[Bind::UserId],
        )],
    },
    Registered {
        table: "role_grants",
        export_key: Some("roles"),
        erasure: &[
            Erasure::Delete(
                "DELETE FROM role_grants WHERE user_id = $1",
                &[Bind::UserId],
            ),
            Erasure::Anonymise(
                "UPDATE role_grants SET granted_by = NULL WHERE granted_by = $1",
                &[Bind::UserId],
            ),
        ],
    },
    Registered {
        table: "enrolments",
        export_key: Some("enrolments"),
        erasure: &[
            Erasure::Delete("DELETE FROM enrolments WHERE user_id = $1", &[Bind::UserId]),
            Erasure::Anonymise(
                "UPDATE enrolments SET trained_marked_by = NULL WHERE trained_marked_by = $1",
                &[Bind::UserId],
            ),
        ],
    },
    Registered {
        table: "team_members",
        export_key: Some("team_memberships"),
        erasure: &[Erasure::Delete(
            "DELETE FROM team_members WHERE user_id = $1",
            &[Bind::UserId],
        )],
    },
    Registered {
        table: "team_invites",
        export_key: Some("team_invites"),
        erasure: &[
            Erasure::Delete("DELETE FROM team_invites WHERE email = $1", &[Bind::Email]),
            Erasure::Anonymise(
                "UPDATE team_invites SET invited_by = NULL WHERE invited_by = $1",
                &[Bind::UserId],
            ),
        ],
    },
    // Teams and campaigns belong to the team: they stay, their author unnamed.
    Registered {
        table: "teams",
        export_key: Some("teams_started"),
        erasure: &[Erasure::Anonymise(
            "UPDATE teams SET created_by = NULL WHERE created_by = $1",
            &[Bind::UserId],
        )],
    },
    Registered {
        table: "campaigns",
        export_key: Some("campaigns_started"),
        erasure: &[Erasure::Anonymise(
            "UPDATE campaigns SET created_by = NULL WHERE created_by = $1",
            &[Bind::UserId],
        )],
    },
    Registered {
        table: "campaign_contents",
        export_key: Some("campaign_edits"),
        erasure: &[Erasure::Anonymise(
            "UPDATE campaign_contents SET updated_by = NULL WHERE updated_by = $1",
            &[Bind::UserId],
        )],
    },
    Registered {
        table: "media",
        export_key: Some("media_uploaded"),
        erasure: &[Erasure::Anonymise(
            "UPDATE media SET uploaded_by = NULL WHERE uploaded_by = $1",
            &[Bind::UserId],
        )],
    },
    Registered {
        table: "campaign_events",
        export_key: Some("campaign_actions"),
        erasure: &[Erasure::Anonymise(
            "UPDATE campaign_events SET actor_id = NULL WHERE actor_id = $1",
            &[Bind::UserId],
        )],
    },
    Registered {
        table: "moderation_audit",
        export_key: Some("moderation_decisions"),
        erasure: &[Erasure::Retained(
            "the append-only record of moderation decisions; the actor becomes a former user",
        )],
    },
    Registered {
        table: "campaign_reports",
        export_key: Some("reports_resolved"),
        erasure: &[Erasure::Anonymise(
            "UPDATE campaign_reports SET resolved_by = NULL WHERE resolved_by = $1",
            &[Bind::UserId],
        )],
    },
    Registered {
        table: "feedback_templates",
        export_key: Some("feedback_templates"),
        erasure: &[Erasure::Anonymise(
            "UPDATE feedback_templates SET created_by = NULL WHERE created_by = $1",
            &[Bind::UserId],
        )],
    },
    Registered {
        table: "mail_outbox",
        export_key: Some("notification_mail"),
        erasure: &[Erasure::Delete(
            "DELETE FROM mail_outbox WHERE user_id = $1",
            &[Bind::UserId],
        )],
    },
    Registered {
        table: "rate_limit_windows",
        export_key: None,
        erasure: &[Erasure::Expires(
            "holds only one-way hashes of addresses, counted per hour and swept daily",
        )],
    },
    // Last: the person's row stays so that content their team made keeps an
    // author, shown as a former member; everything that identifies them goes.
    Registered {
        table: "users",
        export_key: Some("profile"),
        erasure: &[Erasure::Anonymise(
            "UPDATE users SET email = NULL, display_name = NULL, birth_year = NULL, \
             locale = 'en', last_sign_in_at = NULL, deleted_at = $1, updated_at = $1 WHERE id = $2",
            &[Bind::Now, Bind::UserId],
        )],
    },
];

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
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "account deleted");
    Ok(())
}
