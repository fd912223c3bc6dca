//! The rollups: per programme per local day (`stats_daily`) and per month
//! (`stats_monthly`, dated by the month's first day). Changes add `+delta`
//! to both in the caller's transaction; readers sum rows, never raw tables.

use chrono::{Datelike, NaiveDate};
use sqlx::Row;
use uuid::Uuid;

use super::{on_db, on_tx, Db, Tx};
use crate::domain::{Country, Figure, Tally};

/// The first day of the month `day` is in.
#[must_use]
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// Adds `amount` to one figure of a programme's day (and month).
pub async fn add(
    tx: &mut Tx,
    programme_id: Uuid,
    day: NaiveDate,
    figure: Figure,
    amount: i64,
) -> Result<(), sqlx::Error> {
    let mut tally = Tally::default();
    tally.add(figure, amount);
    add_tally(tx, programme_id, day, &tally).await
}

/// Adds every non-zero figure of `tally` to a programme's day (and month):
/// one upsert per table, whatever the number of figures.
pub async fn add_tally(
    tx: &mut Tx,
    programme_id: Uuid,
    day: NaiveDate,
    tally: &Tally,
) -> Result<(), sqlx::Error> {
    let moved: Vec<(Figure, i64)> = Figure::ALL
        .iter()
        .map(|f| (*f, tally.get(*f)))
        .filter(|(_, n)| *n != 0)
        .collect();
    if moved.is_empty() {
        return Ok(());
    }
    let columns: Vec<&str> = moved.iter().map(|(f, _)| f.column()).collect();
    let marks: Vec<String> = (3..3 + moved.len()).map(|n| format!("${n}")).collect();
    for (table, date) in [("stats_daily", day), ("stats_monthly", month_of(day))] {
        let updates: Vec<String> = columns
            .iter()
            .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
            .collect();
        let sql = format!(
            "INSERT INTO {table} (programme_id, day, {}) VALUES ($1, $2, {}) \
             ON CONFLICT (programme_id, day) DO UPDATE SET {}",
            columns.join(", "),
            marks.join(", "),
            updates.join(", ")
        );
        on_tx!(tx, |conn| {
            let mut q = sqlx::query(&sql).bind(programme_id).bind(date);
            for (_, n) in &moved {
                q = q.bind(*n);
            }
            q.execute(conn).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// Which programmes a sum covers; every field narrows it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    pub country: Option<Country>,
    pub city_id: Option<Uuid>,
    pub programme_id: Option<Uuid>,
}

fn sums() -> String {
    Figure::ALL
        .iter()
        .map(|f| format!("CAST(COALESCE(SUM(s.{0}), 0) AS BIGINT) AS {0}", f.column()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn tally(row: &impl TallyRow) -> Result<Tally, sqlx::Error> {
    let mut t = Tally::default();
    for f in Figure::ALL {
        t.0[f.index()] = row.figure(f.column())?;
    }
    Ok(t)
}

trait TallyRow {
    fn figure(&self, column: &str) -> Result<i64, sqlx::Error>;
}

impl TallyRow for sqlx::sqlite::SqliteRow {
    fn figure(&self, column: &str) -> Result<i64, sqlx::Error> {
        self.try_get(column)
    }
}

impl TallyRow for sqlx::postgres::PgRow {
    fn figure(&self, column: &str) -> Result<i64, sqlx::Error> {
        self.try_get(column)
    }
}

const SCOPE: &str = "($1 IS NULL OR c.country = $1) AND ($2 IS NULL OR p.city_id = $2) \
                     AND ($3 IS NULL OR s.programme_id = $3)";

/// Totals per country over the whole history (the goal's figures).
pub async fn by_country(db: &Db) -> Result<Vec<(Country, Tally)>, sqlx::Error> {
    let sql = format!(
        "SELECT c.country, {} FROM stats_monthly s JOIN programmes p ON p.id = s.programme_id \
         JOIN cities c ON c.id = p.city_id GROUP BY c.country ORDER BY c.country",
        sums()
    );
    on_db!(db, |pool| {
        let rows = sqlx::query(&sql).fetch_all(pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<Country, _>("country")?, tally(r)?)))
            .collect()
    })
}

/// Sums per bucket row (day or month) within `[from, to]`, plus the sum of
/// everything before `from`.
pub async fn series(
    db: &Db,
    filter: Filter,
    monthly: bool,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Tally, Vec<(NaiveDate, Tally)>), sqlx::Error> {
    let table = if monthly {
        "stats_monthly"
    } else {
        "stats_daily"
    };
    let joins = format!(
        "FROM {table} s JOIN programmes p ON p.id = s.programme_id JOIN cities c ON c.id = p.city_id"
    );
    let before = format!("SELECT {} {joins} WHERE {SCOPE} AND s.day < $4", sums());
    let rows = format!(
        "SELECT s.day, {} {joins} WHERE {SCOPE} AND s.day >= $4 AND s.day <= $5 \
         GROUP BY s.day ORDER BY s.day",
        sums()
    );
    on_db!(db, |pool| {
        let first = sqlx::query(&before)
            .bind(filter.country)
            .bind(filter.city_id)
            .bind(filter.programme_id)
            .bind(from)
            .fetch_one(pool)
            .await?;
        let found = sqlx::query(&rows)
            .bind(filter.country)
            .bind(filter.city_id)
            .bind(filter.programme_id)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?;
        let mut days = Vec::with_capacity(found.len());
        for r in &found {
            days.push((r.try_get::<NaiveDate, _>("day")?, tally(r)?));
        }
        Ok((tally(&first)?, days))
    })
}

/// The (city, programme) names of the programmes within the filter, by id.
pub async fn names(db: &Db, filter: Filter) -> Result<Vec<(Uuid, String, String)>, sqlx::Error> {
    let sql = "SELECT p.id, c.name, p.name FROM programmes p JOIN cities c ON c.id = p.city_id \
               WHERE ($1 IS NULL OR c.country = $1) AND ($2 IS NULL OR p.city_id = $2) \
               AND ($3 IS NULL OR p.id = $3)";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(filter.country)
        .bind(filter.city_id)
        .bind(filter.programme_id)
        .fetch_all(pool)
        .await)
}

/// Every programme with its city and country (the tree of public scopes).
pub async fn programme_places(db: &Db) -> Result<Vec<(Uuid, Uuid, Country)>, sqlx::Error> {
    let sql = "SELECT p.id, p.city_id, c.country FROM programmes p \
               JOIN cities c ON c.id = p.city_id ORDER BY p.id";
    on_db!(db, |pool| sqlx::query_as(sql).fetch_all(pool).await)
}

/// One programme's figures on one day (or month), for exports and the recount.
#[derive(Debug, Clone)]
pub struct ProgrammeDay {
    pub programme_id: Uuid,
    pub day: NaiveDate,
    pub tally: Tally,
}

/// Every row of a rollup table within the filter and range, by programme and day.
pub async fn rows(
    db: &Db,
    filter: Filter,
    monthly: bool,
    range: Option<(NaiveDate, NaiveDate)>,
) -> Result<Vec<ProgrammeDay>, sqlx::Error> {
    let table = if monthly {
        "stats_monthly"
    } else {
        "stats_daily"
    };
    let columns = Figure::ALL
        .iter()
        .map(|f| format!("s.{}", f.column()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT s.programme_id, s.day, {columns} FROM {table} s \
         JOIN programmes p ON p.id = s.programme_id JOIN cities c ON c.id = p.city_id \
         WHERE {SCOPE} AND ($4 IS NULL OR s.day >= $4) AND ($5 IS NULL OR s.day <= $5) \
         ORDER BY s.programme_id, s.day"
    );
    let (from, to) = range.unzip();
    on_db!(db, |pool| {
        let found = sqlx::query(&sql)
            .bind(filter.country)
            .bind(filter.city_id)
            .bind(filter.programme_id)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?;
        found
            .iter()
            .map(|r| {
                Ok(ProgrammeDay {
                    programme_id: r.try_get("programme_id")?,
                    day: r.try_get("day")?,
                    tally: tally(r)?,
                })
            })
            .collect()
    })
}

/// Makes every writer of the rollups wait until the transaction ends (on
/// SQLite the transaction already holds the write lock).
pub async fn lock(tx: &mut Tx) -> Result<(), sqlx::Error> {
    if let Tx::Postgres(_) = tx {
        on_tx!(tx, |conn| sqlx::query(
            "LOCK TABLE stats_daily, stats_monthly IN EXCLUSIVE MODE"
        )
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Replaces both rollup tables with `days` (daily rows; months are summed
/// from them), in the caller's transaction.
pub async fn replace_all(tx: &mut Tx, days: &[ProgrammeDay]) -> Result<(), sqlx::Error> {
    for table in ["stats_daily", "stats_monthly"] {
        let sql = format!("DELETE FROM {table}");
        on_tx!(tx, |conn| sqlx::query(&sql)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
    }
    let mut months: std::collections::BTreeMap<(Uuid, NaiveDate), Tally> =
        std::collections::BTreeMap::new();
    for d in days {
        months
            .entry((d.programme_id, month_of(d.day)))
            .or_default()
            .merge(&d.tally);
    }
    let month_rows: Vec<ProgrammeDay> = months
        .into_iter()
        .map(|((programme_id, day), tally)| ProgrammeDay {
            programme_id,
            day,
            tally,
        })
        .collect();
    let columns = Figure::ALL
        .iter()
        .map(|f| f.column())
        .collect::<Vec<_>>()
        .join(", ");
    let marks = (3..=12)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ");
    for (table, list) in [("stats_daily", days), ("stats_monthly", &month_rows[..])] {
        let sql =
            format!("INSERT INTO {table} (programme_id, day, {columns}) VALUES ($1, $2, {marks})");
        for d in list.iter().filter(|d| !d.tally.is_zero()) {
            on_tx!(tx, |conn| {
                let mut q = sqlx::query(&sql).bind(d.programme_id).bind(d.day);
                for v in d.tally.0 {
                    q = q.bind(v);
                }
                q.execute(conn).await.map(|r| r.rows_affected())
            })?;
        }
    }
    Ok(())
}
