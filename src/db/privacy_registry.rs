//! The privacy registry: every table that holds personal data, with the
//! key of its part in the export and the statements that erase it. A test
//! compares it with the database schema, so a new table holding personal
//! data cannot be forgotten. The statements run in this order, in one
//! transaction (see `service::privacy`).

use super::privacy::Bind;

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
    // Reach reports are the team's record of what its campaign did: they
    // stay, with their author and decider unnamed.
    Registered {
        table: "reach_reports",
        export_key: Some("reach_reports"),
        erasure: &[
            Erasure::Anonymise(
                "UPDATE reach_reports SET author_id = NULL WHERE author_id = $1",
                &[Bind::UserId],
            ),
            Erasure::Anonymise(
                "UPDATE reach_reports SET decided_by = NULL WHERE decided_by = $1",
                &[Bind::UserId],
            ),
        ],
    },
    // The ledger keeps the alliance's figures true after someone leaves:
    // the row stays under a random key that leads to no one.
    Registered {
        table: "changemaker_ledger",
        export_key: Some("changemaker_record"),
        erasure: &[Erasure::Anonymise(
            "UPDATE changemaker_ledger SET user_id = NULL WHERE user_id = $1",
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
        table: "notifications",
        export_key: Some("notifications"),
        erasure: &[Erasure::Delete(
            "DELETE FROM notifications WHERE user_id = $1",
            &[Bind::UserId],
        )],
    },
    Registered {
        table: "mail_preferences",
        export_key: Some("email_choices"),
        erasure: &[Erasure::Delete(
            "DELETE FROM mail_preferences WHERE user_id = $1",
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
