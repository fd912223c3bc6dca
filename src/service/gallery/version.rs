//! The content version every instance keys its public caches by. The
//! instance that changes public content advances its copy at once; every
//! other instance reads the database's at most once a second, on the first
//! public request after its copy grew stale, while the other requests go on
//! with the copy they have. A read that fails keeps the copy, so a database
//! outage serves what was cached.

use std::{
    sync::atomic::{AtomicI64, AtomicU64, Ordering},
    time::{Duration, Instant},
};

use crate::db::{self, Db};

pub struct ContentVersion {
    version: AtomicI64,
    /// Milliseconds after `start` of the last read of the database's version.
    checked: AtomicU64,
    start: Instant,
    every: Duration,
}

impl ContentVersion {
    #[must_use]
    // How stale a copy is, is measured on the monotonic clock, never business time.
    #[allow(clippy::disallowed_methods)]
    pub fn new(every: Duration) -> Self {
        Self {
            version: AtomicI64::new(0),
            checked: AtomicU64::new(0),
            start: Instant::now(),
            every,
        }
    }

    fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Takes a version this instance just committed.
    pub fn advance(&self, to: i64) {
        self.version.fetch_max(to, Ordering::AcqRel);
    }

    /// The version to key a public response by.
    pub async fn current(&self, db: &Db) -> i64 {
        let now = self.elapsed_ms().max(1);
        let checked = self.checked.load(Ordering::Acquire);
        let every = u64::try_from(self.every.as_millis()).unwrap_or(u64::MAX);
        let stale = checked == 0 || now.saturating_sub(checked) >= every;
        if stale
            && self
                .checked
                .compare_exchange(checked, now, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        {
            match db::gallery::version(db).await {
                Ok(v) => self.advance(v),
                Err(err) => {
                    tracing::warn!(error = %err, "content version not read; serving the cached version");
                }
            }
        }
        self.version.load(Ordering::Acquire)
    }
}
