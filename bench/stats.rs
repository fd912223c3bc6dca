//! The figures at the scale of the whole alliance: 100,000 changemakers,
//! 20,000 campaigns, 500,000 reach reports and 500,000 campaign-day view
//! rows. `GET /api/v1/stats/goal` and `GET /api/v1/stats?interval=month`
//! are timed over HTTP with the response cache off, on SQLite and (when
//! `CHANGEMAKERS_BENCH_POSTGRES_URL` is set) PostgreSQL, against the same
//! figures computed by scanning the raw rows, in the same run.
//!
//! Run with `./bench/stats.sh`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::pedantic,
    clippy::disallowed_methods,
    clippy::field_reassign_with_default
)]

use std::time::Instant;

#[path = "common/mod.rs"]
mod common;

use common::{at, day, id};

use changemakers::{
    app::Application,
    clock::SystemClock,
    config::Config,
    db::{on_db, Db},
    service::stats::recount,
};

const CITIES: usize = 30;
const PROGRAMMES: usize = 200;
const PEOPLE: usize = 100_000;
const CAMPAIGNS: usize = 20_000;
const REACH: usize = 500_000;
const VIEW_DAYS: usize = 25;

async fn seed(db: &Db) {
    common::places(db, CITIES, PROGRAMMES, CAMPAIGNS).await;
    bulk!(db, "changemaker_ledger", "programme_id, person_key, enrolled_on, trained_on, first_enrolled, first_trained, created_at", PEOPLE, |q, n| {
        let trained = n % 5 != 0;
        q.push_bind(id(2, n % PROGRAMMES)).push_bind(id(3, n)).push_bind(day(n))
            .push_bind(trained.then(|| day(n + 14))).push_bind(true).push_bind(trained).push_bind(at(n))
    });
    bulk!(db, "reach_reports", "id, campaign_id, programme_id, team_id, channel, people_reached, people_verified, occurred_on, description, flags, status, created_at, updated_at", REACH, |q, n| {
        let c = n % CAMPAIGNS;
        let (status, verified) = match n % 5 { 0..=2 => ("verified", Some((n % 400) as i32)), 3 => ("pending", None), _ => ("declined", None) };
        q.push_bind(id(6, n)).push_bind(id(5, c)).push_bind(id(2, c % PROGRAMMES)).push_bind(id(4, c))
            .push_bind("event").push_bind((n % 500 + 400) as i32).push_bind(verified).push_bind(day(n + c))
            .push_bind("At school.").push_bind("[]").push_bind(status).push_bind(at(n)).push_bind(at(n))
    });
    bulk!(
        db,
        "campaign_views",
        "campaign_id, day, views",
        CAMPAIGNS * VIEW_DAYS,
        |q, n| {
            q.push_bind(id(5, n % CAMPAIGNS))
                .push_bind(day(n / CAMPAIGNS + n % CAMPAIGNS))
                .push_bind((n % 40 + 1) as i64)
        }
    );
}

/// The goal's figures by country, and the figures per month, by scanning the raw rows.
fn scans(db: &Db) -> [String; 2] {
    let month = match db {
        Db::Sqlite(_) => "substr(CAST(x AS TEXT), 1, 7)",
        Db::Postgres(_) => "to_char(x, 'YYYY-MM')",
    };
    let m = |col: &str| month.replace('x', col);
    let goal = "SELECT ci.country, COUNT(DISTINCT l.person_key) AS trained, \
        (SELECT COUNT(*) FROM teams) AS teams, \
        (SELECT COUNT(*) FROM campaigns WHERE published_at IS NOT NULL AND hidden_at IS NULL) AS approved, \
        (SELECT SUM(CASE WHEN status <> 'declined' THEN people_reached ELSE 0 END) FROM reach_reports) AS reported, \
        (SELECT SUM(COALESCE(people_verified, 0)) FROM reach_reports WHERE status = 'verified') AS verified, \
        (SELECT SUM(views) FROM campaign_views) AS views \
        FROM changemaker_ledger l JOIN programmes p ON p.id = l.programme_id JOIN cities ci ON ci.id = p.city_id \
        WHERE l.trained_on IS NOT NULL GROUP BY ci.country".to_owned();
    let series = format!(
        "SELECT k, SUM(a), SUM(b), SUM(c) FROM ( \
         SELECT {} AS k, 1 AS a, 0 AS b, 0 AS c FROM changemaker_ledger WHERE trained_on IS NOT NULL \
         UNION ALL SELECT {}, 0, people_reached, COALESCE(people_verified, 0) FROM reach_reports WHERE status <> 'declined' \
         UNION ALL SELECT {}, 0, 0, views FROM campaign_views) u GROUP BY k ORDER BY k",
        m("trained_on"), m("occurred_on"), m("day")
    );
    [goal, series]
}

async fn scan(db: &Db, sql: &str, n: usize) -> (f64, f64) {
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let rows = on_db!(db, |pool| sqlx::query(sql)
            .fetch_all(pool)
            .await
            .unwrap()
            .len());
        assert!(rows > 0);
        samples.push(start.elapsed());
    }
    let (p50, p95, _) = common::percentiles(samples);
    (p50, p95)
}

async fn run(name: &str, url: String) {
    let mut config = Config::default();
    config.listen = "127.0.0.1:0".parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    config.data_dir = dir.path().to_owned();
    config.database.url = Some(url);
    config.database.migrate_on_start = true;
    config.background_workers = false;
    config.stats.cache_seconds = 0;
    config.log.filter = "warn".into();
    let app = Application::build_with_clock(config, std::sync::Arc::new(SystemClock))
        .await
        .unwrap();
    let state = app.state().clone();
    let started = Instant::now();
    seed(&state.db).await;
    let seeded = started.elapsed();
    let started = Instant::now();
    let drift = recount::recount(&state).await.unwrap();
    let rebuilt = started.elapsed();
    assert!(
        !drift.is_empty(),
        "the rollups start empty and are built by the recount"
    );
    assert!(recount::check(&state).await.unwrap().is_empty());
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let client = reqwest::Client::new();
    let goal = common::timed_gets(&client, &format!("{base}/api/v1/stats/goal"), 300).await;
    let month = common::timed_gets(
        &client,
        &format!("{base}/api/v1/stats?interval=month&from=2024-01-01&to=2026-12-31"),
        300,
    )
    .await;
    let [goal_sql, series_sql] = scans(&state.db);
    let goal_scan = scan(&state.db, &goal_sql, 10).await;
    let month_scan = scan(&state.db, &series_sql, 10).await;
    println!(
        "\n{name}: seeded in {:.1} s, rollups rebuilt by `stats recount` in {:.1} s",
        seeded.as_secs_f64(),
        rebuilt.as_secs_f64()
    );
    println!("  {:<44} {:>9} {:>9}", "", "p50 ms", "p95 ms");
    for (label, (p50, p95)) in [
        ("GET /stats/goal (rollups, over HTTP)", goal),
        ("  the same figures by scanning raw rows", goal_scan),
        ("GET /stats?interval=month (rollups, HTTP)", month),
        ("  the same series by scanning raw rows", month_scan),
    ] {
        println!("  {label:<44} {p50:>9.2} {p95:>9.2}");
    }
    println!(
        "  ratio (scan p95 / rollup p95): goal {:.0}x, series {:.0}x",
        goal_scan.1 / goal.1,
        month_scan.1 / month.1
    );
}

#[tokio::main]
async fn main() {
    common::on_both_databases(run).await;
}
