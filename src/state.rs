//! The application state handed to every API group and worker.

use std::sync::Arc;

use crate::{
    clock::SharedClock, config::Config, db::Db, mail::Mailer, metrics::Metrics,
    service::oauth::Providers, storage::Storage,
};

/// Everything a request or a worker needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub clock: SharedClock,
    pub mailer: Mailer,
    pub metrics: Arc<Metrics>,
    pub providers: Arc<Providers>,
    pub storage: Storage,
    /// Hashes rate-limit subjects before they are stored.
    pub subject_key: crate::service::subject_key::SubjectKey,
    /// Caps how many photos are decoded at once, so memory stays bounded.
    pub decodes: Arc<tokio::sync::Semaphore>,
    /// Page views waiting to be written.
    pub views: Arc<crate::service::stats::views::ViewCounter>,
    /// Rendered public responses (the goal), shared by every request.
    pub public_cache: crate::service::stats::cache::PublicCache,
    /// Rendered galleries, cards and public campaigns, keyed by content version.
    pub gallery_cache: crate::service::stats::cache::PublicCache,
    /// The public counts of people, as disclosure control allows them.
    pub people: Arc<crate::service::stats::people::PeopleCache>,
    /// The content version those are keyed by.
    pub content: Arc<crate::service::gallery::version::ContentVersion>,
}
