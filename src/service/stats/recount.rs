//! `changemakers stats recount`: rebuilds the rollups from the raw rows and
//! says where they had drifted. The rollups are kept in step by every change;
//! this is the check (and the repair) that they were.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::rollup::{campaign_days, first_trained};
use crate::{
    db::{self, counting::CampaignCounting, ledger::LedgerRow, stats::ProgrammeDay},
    domain::{reach, Country, Figure, ReachStatus, Tally},
    error::AppResult,
    state::AppState,
};

/// One figure of one programme-day that the rollups had wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    pub programme_id: Uuid,
    pub day: NaiveDate,
    pub figure: Figure,
    pub stored: i64,
    pub counted: i64,
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "programme {} on {}: {} was {}, counted {}",
            self.programme_id,
            self.day,
            self.figure.column(),
            self.stored,
            self.counted
        )
    }
}

type Days = BTreeMap<(Uuid, NaiveDate), Tally>;

fn add(days: &mut Days, programme: Uuid, day: NaiveDate, figure: Figure, amount: i64) {
    if amount != 0 {
        days.entry((programme, day))
            .or_default()
            .add(figure, amount);
    }
}

/// The raw rows every figure is counted from, read once.
struct Raw {
    /// The ledger, by person.
    people: HashMap<Uuid, Vec<LedgerRow>>,
    teams: Vec<(Uuid, Country, DateTime<Utc>)>,
    campaigns: Vec<CampaignCounting>,
    reach: Vec<(Uuid, NaiveDate, ReachStatus, i32, Option<i32>)>,
    views: Vec<(Uuid, NaiveDate, i64)>,
}

async fn load(state: &AppState) -> AppResult<Raw> {
    let db = &state.db;
    let mut people: HashMap<Uuid, Vec<LedgerRow>> = HashMap::new();
    for row in db::ledger::all(db).await? {
        people.entry(row.person_key).or_default().push(row);
    }
    Ok(Raw {
        people,
        teams: db::counting::teams(db).await?,
        campaigns: db::counting::campaigns(db).await?,
        reach: db::reach::all_contributions(db).await?,
        views: db::counting::views(db).await?,
    })
}

/// What every figure should be, per programme per day.
fn count(raw: &Raw) -> Days {
    let mut days = Days::new();
    for rows in raw.people.values() {
        for row in rows {
            add(
                &mut days,
                row.programme_id,
                row.enrolled_on,
                Figure::Enrolled,
                1,
            );
            if let Some(on) = row.trained_on {
                add(&mut days, row.programme_id, on, Figure::Trained, 1);
            }
        }
        if let Some(first) = rows.iter().min_by_key(|r| (r.created_at, r.programme_id)) {
            add(
                &mut days,
                first.programme_id,
                first.enrolled_on,
                Figure::EnrolledFirst,
                1,
            );
        }
        let first = first_trained(rows);
        if let Some(row) = rows.iter().find(|r| Some(r.programme_id) == first) {
            if let Some(on) = row.trained_on {
                add(&mut days, row.programme_id, on, Figure::TrainedFirst, 1);
            }
        }
    }
    for (programme, country, created) in &raw.teams {
        add(
            &mut days,
            *programme,
            country.local_date(*created),
            Figure::Teams,
            1,
        );
    }
    for c in &raw.campaigns {
        let (submitted, approved) = campaign_days(c);
        if let Some(day) = submitted {
            add(
                &mut days,
                c.programme_id,
                day,
                Figure::CampaignsSubmitted,
                1,
            );
        }
        if let Some(day) = approved {
            add(&mut days, c.programme_id, day, Figure::CampaignsApproved, 1);
        }
    }
    for (programme, day, status, reached, verified) in &raw.reach {
        let (r, v) = reach::contribution(*status, *reached, *verified);
        add(&mut days, *programme, *day, Figure::ReachReported, r);
        add(&mut days, *programme, *day, Figure::ReachVerified, v);
    }
    for (programme, day, views) in &raw.views {
        add(&mut days, *programme, *day, Figure::Views, *views);
    }
    days
}

/// Compares the daily rollup with a fresh count; every difference, in order.
#[must_use]
pub fn compare(stored: &Days, counted: &Days) -> Vec<Drift> {
    let mut keys: Vec<&(Uuid, NaiveDate)> = stored.keys().chain(counted.keys()).collect();
    keys.sort();
    keys.dedup();
    let zero = Tally::default();
    let mut drift = Vec::new();
    for key in keys {
        let s = stored.get(key).unwrap_or(&zero);
        let c = counted.get(key).unwrap_or(&zero);
        for figure in Figure::ALL {
            if s.get(figure) != c.get(figure) {
                drift.push(Drift {
                    programme_id: key.0,
                    day: key.1,
                    figure,
                    stored: s.get(figure),
                    counted: c.get(figure),
                });
            }
        }
    }
    drift
}

async fn stored(state: &AppState, monthly: bool) -> AppResult<Days> {
    Ok(
        db::stats::rows(&state.db, db::stats::Filter::default(), monthly, None)
            .await?
            .into_iter()
            .map(|d| ((d.programme_id, d.day), d.tally))
            .collect(),
    )
}

/// Where the stored rollups (daily and monthly) differ from `counted`.
async fn drift_from(state: &AppState, counted: &Days) -> AppResult<Vec<Drift>> {
    let mut drift = compare(&stored(state, false).await?, counted);
    let mut months = Days::new();
    for ((programme, day), tally) in counted {
        months
            .entry((*programme, db::stats::month_of(*day)))
            .or_default()
            .merge(tally);
    }
    drift.extend(compare(&stored(state, true).await?, &months));
    Ok(drift)
}

/// The drift between the rollups (daily and monthly) and the raw rows, without changing anything.
///
/// # Errors
/// Database failures.
pub async fn check(state: &AppState) -> AppResult<Vec<Drift>> {
    let counted = count(&load(state).await?);
    drift_from(state, &counted).await
}

/// Rebuilds the rollups, the ledger's first marks and the campaigns' counted
/// days from the raw rows; returns what had drifted.
///
/// # Errors
/// Database failures; nothing is changed then.
pub async fn recount(state: &AppState) -> AppResult<Vec<Drift>> {
    // Writers wait from here on (SQLite: the write lock; PostgreSQL: the
    // rollup tables' lock), so the rows read below are a still picture.
    let mut tx = state.db.begin().await?;
    db::stats::lock(&mut tx).await?;
    let raw = load(state).await?;
    let counted = count(&raw);
    let drift = drift_from(state, &counted).await?;
    let days: Vec<ProgrammeDay> = counted
        .into_iter()
        .map(|((programme_id, day), tally)| ProgrammeDay {
            programme_id,
            day,
            tally,
        })
        .collect();
    db::stats::replace_all(&mut tx, &days).await?;
    for (key, rows) in &raw.people {
        let first = first_trained(rows);
        for row in rows {
            let should = first == Some(row.programme_id);
            if row.first_trained != should {
                db::ledger::set_first_trained(&mut tx, row.programme_id, *key, should).await?;
            }
        }
    }
    for c in &raw.campaigns {
        let (submitted, approved) = campaign_days(c);
        if (submitted, approved) != (c.counted_submitted_on, c.counted_approved_on) {
            db::counting::set_counted(&mut tx, c.id, submitted, approved).await?;
        }
    }
    tx.commit().await?;
    Ok(drift)
}
