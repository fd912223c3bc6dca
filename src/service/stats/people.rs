//! The public counts of people (trained, enrolled) for every scope and day,
//! as the disclosure rules (`disclosure`) allow them. Computed from the
//! daily rollups over the whole history and kept for `stats.cache_seconds`,
//! so every public answer, whatever range it asks for, reads one schedule.

use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex},
};

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::disclosure::{every_day, publish, Counts, Node, Published, Tree};
use crate::{
    db::{
        self,
        stats::{Filter, ProgrammeDay},
    },
    domain::{Country, Figure},
    error::AppResult,
    state::AppState,
};

/// What the public is shown of the people counted.
#[derive(Debug, Default)]
pub struct People {
    pub trained: Published,
    pub enrolled: Published,
}

/// The last schedule computed, and when.
#[derive(Default)]
pub struct PeopleCache(Mutex<Option<(DateTime<Utc>, Arc<People>)>>);

/// The public counts of people, from the cache while it is fresh.
///
/// # Errors
/// Database failures.
pub async fn people(state: &AppState) -> AppResult<Arc<People>> {
    let now = state.clock.now();
    let fresh = chrono::Duration::seconds(
        i64::try_from(state.config.stats.cache_seconds).unwrap_or(i64::MAX / 1000),
    );
    if let Ok(cached) = state.people.0.lock() {
        if let Some((at, people)) = cached.as_ref() {
            if now >= *at && now - *at < fresh {
                return Ok(people.clone());
            }
        }
    }
    let people = Arc::new(compute(state, now).await?);
    if let Ok(mut cached) = state.people.0.lock() {
        *cached = Some((now, people.clone()));
    }
    Ok(people)
}

async fn compute(state: &AppState, now: DateTime<Utc>) -> AppResult<People> {
    let places = db::stats::programme_places(&state.db).await?;
    let rows = db::stats::rows(&state.db, Filter::default(), false, None).await?;
    let mut by_day: BTreeMap<NaiveDate, Vec<&ProgrammeDay>> = BTreeMap::new();
    for row in &rows {
        by_day.entry(row.day).or_default().push(row);
    }
    let (Some(&first), Some(&last)) = (by_day.keys().next(), by_day.keys().next_back()) else {
        return Ok(People::default());
    };
    let days = Days {
        place: places
            .iter()
            .map(|&(p, city, country)| (p, (city, country)))
            .collect(),
        by_day,
        first,
        last: last.max(now.date_naive()),
    };
    let tree = Tree::new(&places);
    Ok(People {
        trained: publish(&tree, days.counts(Figure::Trained, Figure::TrainedFirst)),
        enrolled: publish(&tree, days.counts(Figure::Enrolled, Figure::EnrolledFirst)),
    })
}

/// The rollup rows by day, with where each programme is.
struct Days<'a> {
    place: HashMap<Uuid, (Uuid, Country)>,
    by_day: BTreeMap<NaiveDate, Vec<&'a ProgrammeDay>>,
    first: NaiveDate,
    last: NaiveDate,
}

impl Days<'_> {
    /// The real count of every scope on every day: within a programme,
    /// everyone it counted (`own`); wider, each person once, where first
    /// counted (`wide`), as the figures count them.
    fn counts(&self, own: Figure, wide: Figure) -> Vec<(NaiveDate, Counts)> {
        let mut running = Counts::new();
        every_day(self.first, self.last)
            .map(|day| {
                for row in self.by_day.get(&day).into_iter().flatten() {
                    let Some(&(city, country)) = self.place.get(&row.programme_id) else {
                        continue;
                    };
                    *running
                        .entry(Node::Programme(row.programme_id))
                        .or_default() += row.tally.get(own);
                    for node in [Node::City(city), Node::Country(country), Node::Alliance] {
                        *running.entry(node).or_default() += row.tally.get(wide);
                    }
                }
                (day, running.clone())
            })
            .collect()
    }
}
