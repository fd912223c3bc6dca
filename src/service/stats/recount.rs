//! `changemakers stats recount`: rebuilds the rollups from the raw rows and
//! says where they had drifted. The rollups are kept in step by every change;
//! this is the check (and the repair) that they were.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use uuid::Uuid;

use super::rollup::{campaign_days, first_trained};
use crate::{
    db::{self, stats::ProgrammeDay},
    domain::{reach, Figure, Tally},
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

/// What every figure should be, per programme per day, from the raw rows.
async fn count(state: &AppState) -> AppResult<Days> {
    let db = &state.db;
    let mut days = Days::new();
    let mut people: HashMap<Uuid, Vec<db::ledger::LedgerRow>> = HashMap::new();
    for row in db::ledger::all(db).await? {
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
        people.entry(row.person_key).or_default().push(row);
    }
    for rows in people.values() {
        if let Some(first) = rows.iter().min_by_key(|r| (r.created_at, r.programme_id)) {
            add(
                &mut days,
                first.programme_id,
                first.enrolled_on,
                Figure::EnrolledFirst,
                1,
            );
        }
        if let Some(programme) = first_trained(rows) {
            if let Some(on) = rows
                .iter()
                .find(|r| r.programme_id == programme)
                .and_then(|r| r.trained_on)
            {
                add(&mut days, programme, on, Figure::TrainedFirst, 1);
            }
        }
    }
    for (programme, country, created) in db::counting::teams(db).await? {
        add(
            &mut days,
            programme,
            country.local_date(created),
            Figure::Teams,
            1,
        );
    }
    for c in db::counting::campaigns(db).await? {
        let (submitted, approved) = campaign_days(&c);
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
    for (programme, day, status, reached, verified) in db::reach::all_contributions(db).await? {
        let (r, v) = reach::contribution(status, reached, verified);
        add(&mut days, programme, day, Figure::ReachReported, r);
        add(&mut days, programme, day, Figure::ReachVerified, v);
    }
    for (programme, day, views) in db::counting::views(db).await? {
        add(&mut days, programme, day, Figure::Views, views);
    }
    Ok(days)
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

/// The drift between the rollups (daily and monthly) and the raw rows, without changing anything.
///
/// # Errors
/// Database failures.
pub async fn check(state: &AppState) -> AppResult<Vec<Drift>> {
    let counted = count(state).await?;
    let mut drift = compare(&stored(state, false).await?, &counted);
    let mut months = Days::new();
    for ((programme, day), tally) in &counted {
        months
            .entry((*programme, db::stats::month_of(*day)))
            .or_default()
            .merge(tally);
    }
    drift.extend(compare(&stored(state, true).await?, &months));
    Ok(drift)
}

/// Rebuilds the rollups, the ledger's first marks and the campaigns' counted
/// days from the raw rows; returns what had drifted.
///
/// # Errors
/// Database failures; nothing is changed then.
pub async fn recount(state: &AppState) -> AppResult<Vec<Drift>> {
    // Writers wait from here on (SQLite: the write lock; PostgreSQL: the
    // rollup tables' lock), so the count below sees a still picture.
    let mut tx = state.db.begin().await?;
    db::stats::lock(&mut tx).await?;
    let drift = check(state).await?;
    let counted = count(state).await?;
    let days: Vec<ProgrammeDay> = counted
        .into_iter()
        .map(|((programme_id, day), tally)| ProgrammeDay {
            programme_id,
            day,
            tally,
        })
        .collect();
    db::stats::replace_all(&mut tx, &days).await?;
    let mut people: HashMap<Uuid, Vec<db::ledger::LedgerRow>> = HashMap::new();
    for row in db::ledger::all(&state.db).await? {
        people.entry(row.person_key).or_default().push(row);
    }
    for (key, rows) in &people {
        let first = first_trained(rows);
        for row in rows {
            let should = first == Some(row.programme_id);
            if row.first_trained != should {
                db::ledger::set_first_trained(&mut tx, row.programme_id, *key, should).await?;
            }
        }
    }
    for c in db::counting::campaigns(&state.db).await? {
        let (submitted, approved) = campaign_days(&c);
        if (submitted, approved) != (c.counted_submitted_on, c.counted_approved_on) {
            db::counting::set_counted(&mut tx, c.id, submitted, approved).await?;
        }
    }
    tx.commit().await?;
    Ok(drift)
}
