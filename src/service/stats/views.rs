//! Page views, counted without tracking anyone. A viewer is recognised for
//! one day by an HMAC over (address, user agent, campaign) under a random key
//! that lives only in memory and is replaced every day; neither the key nor
//! the address nor the user agent is ever written anywhere. Counts wait in
//! memory and are added to the database as `+delta` every few seconds (and
//! at shutdown), so a page view never waits on a write, and any number of
//! instances add up.

use std::{
    collections::{HashMap, HashSet},
    net::IpAddr,
    sync::Mutex,
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

/// The in-memory counter shared by every request of one instance.
pub struct ViewCounter {
    viewers: Mutex<Viewers>,
    pending: Mutex<HashMap<(Uuid, NaiveDate), i64>>,
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
            max_viewers,
        }
    }

    /// Counts a view of a public campaign page, once per viewer per day.
    pub fn record(
        &self,
        campaign_id: Uuid,
        country: Country,
        address: IpAddr,
        user_agent: &str,
        now: DateTime<Utc>,
    ) {
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
            match address {
                IpAddr::V4(a) => mac.update(&a.octets()),
                IpAddr::V6(a) => mac.update(&a.octets()),
            }
            mac.update(&[0]);
            mac.update(user_agent.as_bytes());
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
                *pending
                    .entry((campaign_id, country.local_date(now)))
                    .or_default() += 1;
            }
        }
    }

    fn take(&self) -> HashMap<(Uuid, NaiveDate), i64> {
        self.pending
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }

    fn put_back(&self, counts: HashMap<(Uuid, NaiveDate), i64>) {
        if let Ok(mut pending) = self.pending.lock() {
            for (key, n) in counts {
                *pending.entry(key).or_default() += n;
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
    let counts = state.views.take();
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

async fn write(
    state: &AppState,
    counts: &HashMap<(Uuid, NaiveDate), i64>,
) -> Result<i64, sqlx::Error> {
    let mut tx = state.db.begin().await?;
    let mut total = 0;
    let mut keys: Vec<_> = counts.keys().collect();
    keys.sort();
    for key in keys {
        let (campaign_id, day) = *key;
        let n = counts[key];
        if let Some(programme_id) = db::counting::add_views(&mut tx, campaign_id, day, n).await? {
            db::stats::add(&mut tx, programme_id, day, Figure::Views, n).await?;
            total += n;
        }
    }
    tx.commit().await?;
    Ok(total)
}
