//! What the benchmarks share: made-up ids, days and times, bulk inserts, the
//! places every benchmark needs, percentiles, and running on both databases.

#![allow(dead_code)]

use std::time::Duration;

use changemakers::db::Db;
use chrono::{DateTime, Days, NaiveDate, Utc};
use uuid::Uuid;

pub const BATCH: usize = 1000;

pub fn day(n: usize) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Days::new((n % 1000) as u64)
}

pub fn at(n: usize) -> DateTime<Utc> {
    day(n).and_hms_opt(12, 0, 0).unwrap().and_utc()
}

/// The `n`th made-up id of a `kind` of row.
pub fn id(kind: u8, n: usize) -> Uuid {
    let mut b = [0u8; 16];
    b[0] = kind;
    b[8..].copy_from_slice(&(n as u64).to_be_bytes());
    Uuid::from_bytes(b)
}

/// Inserts `count` rows of `table` in batches; `row` binds one row's values.
#[macro_export]
macro_rules! bulk {
    ($db:expr, $table:literal, $columns:literal, $count:expr, |$q:ident, $n:ident| $row:expr) => {{
        for start in (0..$count).step_by($crate::common::BATCH) {
            let end = ($count).min(start + $crate::common::BATCH);
            let mut tx = $db.begin().await.unwrap();
            changemakers::db::on_tx!(&mut tx, |conn| {
                let mut qb =
                    sqlx::QueryBuilder::new(concat!("INSERT INTO ", $table, " (", $columns, ") "));
                qb.push_values(start..end, |mut $q, $n| {
                    $row;
                });
                qb.build().execute(conn).await.unwrap();
            });
            tx.commit().await.unwrap();
        }
    }};
}

/// `cities` cities (the first is Larvik) and `programmes` programmes spread
/// over them; teams and approved campaigns, one team each, `campaigns` of them.
pub async fn places(db: &Db, cities: usize, programmes: usize, campaigns: usize) {
    let countries = ["DK", "FI", "IS", "NO", "SE"];
    bulk!(
        db,
        "cities",
        "id, slug, name, country, created_at, updated_at",
        cities,
        |q, n| {
            let (slug, name) = if n == 0 {
                ("larvik".to_owned(), "Larvik".to_owned())
            } else {
                (format!("city-{n}"), format!("City {n}"))
            };
            q.push_bind(id(1, n))
                .push_bind(slug)
                .push_bind(name)
                .push_bind(if n == 0 { "NO" } else { countries[n % 5] })
                .push_bind(at(0))
                .push_bind(at(0))
        }
    );
    bulk!(db, "programmes", "id, city_id, slug, name, kind, description, starts_on, ends_on, locale, created_at, updated_at", programmes, |q, n| {
        q.push_bind(id(2, n)).push_bind(id(1, n % cities)).push_bind(format!("p-{n}"))
            .push_bind(format!("Programme {n}")).push_bind("kominn").push_bind("")
            .push_bind(day(0)).push_bind(day(999)).push_bind("nb").push_bind(at(0)).push_bind(at(0))
    });
    bulk!(
        db,
        "teams",
        "id, programme_id, name, join_code, created_at, updated_at",
        campaigns,
        |q, n| {
            q.push_bind(id(4, n))
                .push_bind(id(2, n % programmes))
                .push_bind(format!("Team {n}"))
                .push_bind(format!("J{n:07}"))
                .push_bind(at(n))
                .push_bind(at(n))
        }
    );
    bulk!(db, "campaigns", "id, team_id, programme_id, slug, status, version, created_at, updated_at, submitted_at, published_at, first_submitted_at, first_published_at", campaigns, |q, n| {
        q.push_bind(id(5, n)).push_bind(id(4, n)).push_bind(id(2, n % programmes)).push_bind(format!("c-{n}"))
            .push_bind("approved").push_bind(1).push_bind(at(n)).push_bind(at(n)).push_bind(at(n))
            .push_bind(at(n + 1)).push_bind(at(n)).push_bind(at(n + 1))
    });
}

/// (p50, p95, p99) in milliseconds.
pub fn percentiles(mut samples: Vec<Duration>) -> (f64, f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |p: usize| ms(samples[(samples.len() * p / 100).min(samples.len() - 1)]);
    (at(50), at(95), at(99))
}

/// (p50, p95) of `n` sequential GETs of `url` that must answer 200, after ten
/// to warm up.
pub async fn timed_gets(client: &reqwest::Client, url: &str, n: usize) -> (f64, f64) {
    for _ in 0..10 {
        client.get(url).send().await.unwrap().bytes().await.unwrap();
    }
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let start = std::time::Instant::now();
        let response = client.get(url).send().await.unwrap();
        assert_eq!(response.status(), 200, "{url}");
        response.bytes().await.unwrap();
        samples.push(start.elapsed());
    }
    let (p50, p95, _) = percentiles(samples);
    (p50, p95)
}

/// Runs `bench` on a fresh SQLite file, then on a fresh PostgreSQL database
/// when `CHANGEMAKERS_BENCH_POSTGRES_URL` names a server.
pub async fn on_both_databases<F, Fut>(bench: F)
where
    F: Fn(&'static str, String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    bench(
        "SQLite",
        format!("sqlite://{}/bench.db", dir.path().display()),
    )
    .await;
    if let Ok(admin) = std::env::var("CHANGEMAKERS_BENCH_POSTGRES_URL") {
        let name = format!("cm_bench_{}", Uuid::now_v7().simple());
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
            .await
            .unwrap();
        sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE \"{name}\"").as_str())
            .await
            .unwrap();
        let url = match admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => admin.clone(),
        };
        bench("PostgreSQL", url).await;
        sqlx::Executor::execute(
            &mut conn,
            format!("DROP DATABASE \"{name}\" WITH (FORCE)").as_str(),
        )
        .await
        .unwrap();
    }
}
