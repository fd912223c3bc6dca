//! The goal and the time series: figures per ISO week (from Monday) or
//! calendar month, on the local date of what happened, gaps filled with
//! zeros, each bucket with its running total since the beginning.

use crate::domain::{FieldCode, Invalid};
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use uuid::Uuid;

use super::{
    disclosure::{Node, Published},
    people::{self, People},
    Figures, Presentation,
};
use crate::{
    db::{self, stats::Filter},
    domain::{Country, Tally},
    error::{AppError, AppResult, FieldError},
    service::{cities, permissions::Roles, programmes, Principal},
    state::AppState,
};

/// The alliance's progress toward its goal.
#[derive(Debug, Clone)]
pub struct Goal {
    pub target: u32,
    pub alliance: Figures,
    pub by_country: Vec<(Country, Figures)>,
    pub updated_at: DateTime<Utc>,
}

const WIDE: Presentation = Presentation {
    single_programme: false,
    suppress: true,
};

/// The goal's figures, public: the counts of people of the alliance and of
/// each country as disclosure control allows them today (a country of one
/// small city is no less a small group than the city).
///
/// # Errors
/// Database failures.
pub async fn goal(state: &AppState) -> AppResult<Goal> {
    let rows = db::stats::by_country(&state.db).await?;
    let people = people::people(state).await?;
    let today = state.clock.now().date_naive();
    let public = |node: Node, t: &Tally| {
        Figures::from_tally(t, WIDE).disclosed(
            people.trained.value(node, today),
            people.enrolled.value(node, today),
        )
    };
    let mut all = Tally::default();
    for (_, t) in &rows {
        all.merge(t);
    }
    Ok(Goal {
        target: state.config.stats.target,
        alliance: public(Node::Alliance, &all),
        by_country: rows
            .iter()
            .map(|(c, t)| (*c, public(Node::Country(*c), t)))
            .collect(),
        updated_at: state.clock.now(),
    })
}

/// Calendar buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Week,
    Month,
}

impl Interval {
    /// The first day of the bucket `day` is in.
    #[must_use]
    pub fn start(self, day: NaiveDate) -> NaiveDate {
        match self {
            Self::Week => day - Days::new(u64::from(day.weekday().num_days_from_monday())),
            Self::Month => db::stats::month_of(day),
        }
    }

    /// The first day of the next bucket.
    #[must_use]
    pub fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Self::Week => start + Days::new(7),
            Self::Month => start + Months::new(1),
        }
    }
}

/// Most buckets one series may have (ten years of months, five of weeks).
pub const MAX_BUCKETS: usize = 261;

/// What a series is asked for.
#[derive(Debug, Clone, Default)]
pub struct SeriesQuery {
    pub city: Option<String>,
    pub programme_id: Option<Uuid>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One bucket of a series.
#[derive(Debug, Clone)]
pub struct Bucket {
    pub start: NaiveDate,
    /// The bucket's last day.
    pub end: NaiveDate,
    pub figures: Figures,
    pub cumulative: Figures,
}

#[derive(Debug, Clone)]
pub struct Series {
    pub interval: Interval,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub totals: Figures,
    pub buckets: Vec<Bucket>,
}

/// The scope a query names, checked to exist, and how its figures may be shown
/// to this caller.
pub(super) async fn scope(
    state: &AppState,
    principal: Option<Principal>,
    city: Option<&str>,
    programme_id: Option<Uuid>,
) -> AppResult<(Filter, Presentation, Option<Roles>)> {
    let mut filter = Filter::default();
    let mut city_id = None;
    if let Some(slug) = city {
        let found = cities::get(state, slug).await?;
        filter.city_id = Some(found.id);
        city_id = Some(found.id);
    }
    let mut programme = None;
    if let Some(id) = programme_id {
        let found = programmes::get(state, id).await?;
        if city_id.is_some_and(|c| c != found.city_id) {
            return Err(AppError::validation(
                "programme_id",
                Invalid::not_allowed("this programme is not in that city"),
            ));
        }
        city_id = Some(found.city_id);
        filter.programme_id = Some(found.id);
        programme = Some(found);
    }
    let roles = match principal {
        Some(p) => Some(Roles::load(state, p.user_id).await?),
        None => None,
    };
    // Exact counts of people for the scope's own staff; everyone else sees
    // what disclosure control allows, the alliance's series included.
    let in_scope = roles.as_ref().is_some_and(|r| match (&programme, city_id) {
        (Some(p), _) => r.facilitates(p.id, p.city_id),
        (None, Some(c)) => r.manages_city(c),
        (None, None) => r.is_admin(),
    });
    Ok((
        filter,
        Presentation {
            single_programme: programme.is_some(),
            suppress: !in_scope,
        },
        roles,
    ))
}

/// The range a query covers, snapped to whole buckets.
pub(super) fn range(
    interval: Interval,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> AppResult<(NaiveDate, NaiveDate)> {
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| match interval {
        Interval::Week => to - Days::new(7 * 25),
        Interval::Month => to - Months::new(11),
    });
    if from > to {
        return Err(AppError::Validation(vec![FieldError::new(
            "from",
            Invalid::new(FieldCode::OutOfRange, "the start comes before the end"),
        )]));
    }
    let first = interval.start(from);
    let last = interval.next(interval.start(to)) - Days::new(1);
    let mut count = 0;
    let mut at = first;
    while at <= last {
        count += 1;
        if count > MAX_BUCKETS {
            return Err(AppError::validation(
                "from",
                Invalid::new(
                    FieldCode::OutOfRange,
                    "choose a shorter range: at most ten years of months or five of weeks",
                ),
            ));
        }
        at = interval.next(at);
    }
    Ok((first, last))
}

/// The figures of a scope per bucket.
///
/// # Errors
/// 404 for an unknown city or programme; 422 for a range that is backwards or too long.
pub async fn series(
    state: &AppState,
    principal: Option<Principal>,
    interval: Interval,
    query: &SeriesQuery,
) -> AppResult<Series> {
    let (filter, how, _) =
        scope(state, principal, query.city.as_deref(), query.programme_id).await?;
    let node = match (filter.programme_id, filter.city_id) {
        (Some(p), _) => Node::Programme(p),
        (None, Some(c)) => Node::City(c),
        (None, None) => Node::Alliance,
    };
    let today = state.clock.now().date_naive();
    let (from, to) = range(interval, query.from, query.to, today)?;
    let monthly = interval == Interval::Month;
    let (before, rows) = db::stats::series(&state.db, filter, monthly, from, to).await?;
    let mut rows = rows.into_iter().peekable();
    let mut running = before;
    let mut totals = Tally::default();
    let mut buckets = Vec::new();
    let mut start = from;
    while start <= to {
        let next = interval.next(start);
        let mut sum = Tally::default();
        while let Some((_, t)) = rows.next_if(|(day, _)| *day < next) {
            sum.merge(&t);
        }
        running.merge(&sum);
        totals.merge(&sum);
        buckets.push(Bucket {
            start,
            end: next - Days::new(1),
            figures: Figures::from_tally(&sum, how),
            cumulative: Figures::from_tally(&running, how),
        });
        start = next;
    }
    let mut totals = Figures::from_tally(&totals, how);
    if how.suppress {
        let people = people::people(state).await?;
        let before = from - Days::new(1);
        totals = disclose_change(totals, &people, node, before, to);
        let mut previous = before;
        for bucket in &mut buckets {
            let figures = std::mem::take(&mut bucket.figures);
            bucket.figures = disclose_change(figures, &people, node, previous, bucket.end);
            let cumulative = std::mem::take(&mut bucket.cumulative);
            bucket.cumulative = cumulative.disclosed(
                people.trained.value(node, bucket.end),
                people.enrolled.value(node, bucket.end),
            );
            previous = bucket.end;
        }
    }
    Ok(Series {
        interval,
        from,
        to,
        totals,
        buckets,
    })
}

/// The people counted in a scope between the end of `after` and the end of
/// `until`, as the public may see them: the change between the two public
/// values, shown when it is none or five or more.
fn disclose_change(
    figures: Figures,
    people: &People,
    node: Node,
    after: NaiveDate,
    until: NaiveDate,
) -> Figures {
    let change = |published: &Published| {
        let change = published.value(node, until)? - published.value(node, after)?;
        (change == 0 || change.abs() >= super::SMALLEST_PUBLIC_COUNT).then_some(change)
    };
    figures.disclosed(change(&people.trained), change(&people.enrolled))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::{range, Interval};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn buckets_start_on_monday_or_the_first() {
        assert_eq!(Interval::Week.start(d(2026, 12, 3)), d(2026, 11, 30));
        assert_eq!(Interval::Week.start(d(2026, 11, 30)), d(2026, 11, 30));
        assert_eq!(Interval::Month.start(d(2026, 12, 31)), d(2026, 12, 1));
        assert_eq!(Interval::Month.next(d(2026, 12, 1)), d(2027, 1, 1));
    }

    #[test]
    fn ranges_are_whole_buckets_and_bounded() {
        let (from, to) = range(
            Interval::Month,
            Some(d(2026, 2, 10)),
            Some(d(2026, 4, 2)),
            d(2026, 12, 1),
        )
        .unwrap();
        assert_eq!((from, to), (d(2026, 2, 1), d(2026, 4, 30)));
        assert!(range(
            Interval::Month,
            Some(d(2026, 5, 1)),
            Some(d(2026, 4, 1)),
            d(2026, 12, 1)
        )
        .is_err());
        assert!(range(
            Interval::Week,
            Some(d(2000, 1, 1)),
            Some(d(2026, 4, 1)),
            d(2026, 12, 1)
        )
        .is_err());
    }
}
