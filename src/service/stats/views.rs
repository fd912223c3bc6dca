//! Page views, counted without tracking anyone. A viewer is recognised for
//! one day by an HMAC over (client network, campaign) under a random key
//! that lives only in memory and is replaced every day; neither the key nor
//! the address is ever written anywhere. The network is the IPv4 address or
//! the IPv6 /64 (`api::client::network`), and the user agent plays no part,
//! so changing either within a network counts no second view. Counts wait in
//! memory and are added to the database as `+delta` every few seconds (and
//! at shutdown), so a page view never waits on a write, and any number of
//! instances add up.

use std::{
    collections::{HashMap, HashSet},
    net::IpAddr,
    sync::{Arc, Mutex},
};

use chrono::{DateTime, NaiveDate, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use tracing::warn;
use uuid::Uuid;

use crate::{db, domain::Country, domain::Figure, error::AppResult, state::AppState};

struct Viewers {
    /// The UTC day the key belongs to.
    day: Option<NaiveDate>,
    key: [u8; 32],
    seen: HashSet<[u8; 16]>,
}

/// Campaigns shown together by one rendered gallery page.
pub type Shown = Arc<[(Uuid, Country)]>;

/// Views and impressions per campaign per local day.
type Counts = HashMap<(Uuid, NaiveDate), (i64, i64)>;

/// The in-memory counter shared by every request of one instance.
pub struct ViewCounter {
    viewers: Mutex<Viewers>,
    pending: Mutex<Counts>,
    /// Gallery loads per rendered page (keyed by the page's address), so a
    /// load costs one count however many campaigns it shows.
    loads: Mutex<HashMap<usize, (Shown, i64)>>,
    max_viewers: usize,
}

impl ViewCounter {
    #[must_use]
    pub fn new(max_viewers: usize) -> Self {
        Self {
            viewers: Mutex::new(Viewers {
                day: None,
                key: [0; 32],
                seen: HashSet::new(),
            }),
            pending: Mutex::new(HashMap::new()),
            loads: Mutex::new(HashMap::new()),
            max_viewers,
        }
    }

    /// Counts a view of a public campaign page, once per client network per day.
    pub fn record(&self, campaign_id: Uuid, country: Country, network: IpAddr, now: DateTime<Utc>) {
        let first_today = {
            let Ok(mut v) = self.viewers.lock() else {
                return;
            };
            let today = now.date_naive();
            if v.day != Some(today) {
                rand::thread_rng().fill_bytes(&mut v.key);
                v.seen.clear();
                v.day = Some(today);
            }
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&v.key) else {
                return;
            };
            match network {
                IpAddr::V4(a) => mac.update(&a.octets()),
                IpAddr::V6(a) => mac.update(&a.octets()),
            }
            mac.update(&[0]);
            mac.update(campaign_id.as_bytes());
            let mut tag = [0u8; 16];
            tag.copy_from_slice(&mac.finalize().into_bytes()[..16]);
            if v.seen.len() >= self.max_viewers {
                !v.seen.contains(&tag)
            } else {
                v.seen.insert(tag)
            }
        };
        if first_today {
            if let Ok(mut pending) = self.pending.lock() {
                pending
                    .entry((campaign_id, country.local_date(now)))
                    .or_default()
                    .0 += 1;
            }
        }
    }

    /// Counts one load of a gallery page: an impression of each campaign it
    /// shows, kept apart from views and not deduplicated.
    pub fn record_load(&self, shown: &Shown) {
        if shown.is_empty() {
            return;
        }
        if let Ok(mut loads) = self.loads.lock() {
            let key = Arc::as_ptr(shown).cast::<u8>() as usize;
            loads.entry(key).or_insert_with(|| (shown.clone(), 0)).1 += 1;
        }
    }

    fn take(&self, now: DateTime<Utc>) -> Counts {
        let loads = self
            .loads
            .lock()
            .map(|mut l| std::mem::take(&mut *l))
            .unwrap_or_default();
        let mut counts = self
            .pending
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default();
        for (shown, n) in loads.into_values() {
            for (campaign_id, country) in shown.iter() {
                counts
                    .entry((*campaign_id, country.local_date(now)))
                    .or_default()
                    .1 += n;
            }
        }
        counts
    }

    fn put_back(&self, counts: Counts) {
        if let Ok(mut pending) = self.pending.lock() {
            for (key, (views, impressions)) in counts {
                let entry = pending.entry(key).or_default();
                entry.0 += views;
                entry.1 += impressions;
            }
        }
    }
}

/// Adds the waiting counts to the database in one transaction; on failure
/// they wait for the next flush. Returns how many views were written.
///
/// # Errors
/// Database failures (the counts are kept).
pub async fn flush(state: &AppState) -> AppResult<i64> {
    let counts = state.views.take(state.clock.now());
    if counts.is_empty() {
        return Ok(0);
    }
    match write(state, &counts).await {
        Ok(n) => Ok(n),
        Err(err) => {
            warn!(error = %err, "page views not written yet; kept for the next flush");
            state.views.put_back(counts);
            Err(err.into())
        }
    }
}

async fn write(state: &AppState, counts: &Counts) -> Result<i64, sqlx::Error> {
    let mut tx = state.db.begin().await?;
    let mut total = 0;
    let mut keys: Vec<_> = counts.keys().collect();
    keys.sort();
    for key in keys {
        let (campaign_id, day) = *key;
        let (views, impressions) = counts[key];
        let added = db::counting::add_views(&mut tx, campaign_id, day, views, impressions).await?;
        if let (Some(programme_id), true) = (added, views > 0) {
            db::stats::add(&mut tx, programme_id, day, Figure::Views, views).await?;
            total += views;
        }
        crate::stop_point::reached("views.flushing").await;
    }
    tx.commit().await?;
    Ok(total)
}
