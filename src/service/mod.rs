//! Use cases: what happens, in which order, under which permission.

pub mod auth;
pub mod backup;
pub mod campaigns;
pub mod cities;
pub mod demo;
pub mod demo_photos;
pub mod enrolment;
pub mod feedback_templates;
pub mod gallery;
pub mod housekeeping;
pub mod me;
pub mod media;
pub mod moderation;
pub mod notifications;
pub mod notify;
pub mod oauth;
pub mod operator;
pub mod overview;
pub mod pagination;
pub mod permissions;
pub mod privacy;
pub mod programmes;
pub mod public;
pub mod rate_limit;
pub mod reach;
pub mod recovery;
pub mod reports;
pub mod sessions;
pub mod stats;
pub mod subject_key;
pub mod teams;
pub mod tokens;
pub mod training;

use uuid::Uuid;

/// The signed-in person behind a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principal {
    pub user_id: Uuid,
    pub session_id: Uuid,
}
