//! The public gallery under load: 20,000 approved campaigns across 40
//! cities, each with a cover photo and verified reach. wrk at 64
//! connections for 10 s on the gallery JSON and the embed page of one city
//! (Larvik, 500 campaigns), against nginx serving the same response bytes as
//! static files on the same machine, in the same run; and the cold render
//! (nothing cached) of a 24-item gallery, on SQLite and PostgreSQL.
//!
//! Run with `./bench/gallery.sh` (it installs wrk and nginx when missing).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::pedantic,
    clippy::disallowed_methods,
    clippy::field_reassign_with_default
)]

#[path = "common/mod.rs"]
mod common;

use std::{
    process::{Command, Stdio},
    sync::Arc,
    time::Instant,
};

use changemakers::{app::Application, clock::SystemClock, config::Config, db::Db};
use common::{at, id};

const CITIES: usize = 40;
const PROGRAMMES: usize = 200;
const CAMPAIGNS: usize = 20_000;
const THEMES: [&str; 6] = [
    "urban_spaces",
    "online_life",
    "families",
    "youth",
    "civil_servants",
    "community",
];

async fn seed(db: &Db) {
    common::places(db, CITIES, PROGRAMMES, CAMPAIGNS).await;
    bulk!(
        db,
        "campaign_contents",
        "campaign_id, kind, title, summary, body, theme, hashtag, updated_at",
        CAMPAIGNS,
        |q, n| {
            q.push_bind(id(5, n)).push_bind("published").push_bind(format!("Hils for faen {n}"))
            .push_bind("Vi hilser på alle som kommer til festivalen, så ingen føler seg utenfor.")
            .push_bind("Ved porten står vi med skilt og smil. Alle får et hei.\n\nVi vil at alle skal føle seg velkomne.")
            .push_bind(THEMES[n % 6]).push_bind((n % 3 == 0).then(|| format!("Hils{n}"))).push_bind(at(n))
        }
    );
    bulk!(db, "media", "id, campaign_id, kind, status, source_type, source_bytes, width, height, alt_text, consent_confirmed, position, blurhash, dominant_color, published_at, created_at, updated_at", CAMPAIGNS, |q, n| {
        q.push_bind(id(7, n)).push_bind(id(5, n)).push_bind("image").push_bind("ready").push_bind("image/jpeg")
            .push_bind(400_000_i64).push_bind(1600).push_bind(1067).push_bind("Ungdommer som vinker ved festivalporten")
            .push_bind(true).push_bind(0).push_bind("LEHV6nWB2yk8pyo0adR*.7kCMdnj").push_bind("#7a5c3e")
            .push_bind(at(n + 1)).push_bind(at(n)).push_bind(at(n))
    });
    bulk!(db, "reach_reports", "id, campaign_id, programme_id, team_id, channel, people_reached, people_verified, occurred_on, description, flags, status, created_at, updated_at", CAMPAIGNS, |q, n| {
        q.push_bind(id(6, n)).push_bind(id(5, n)).push_bind(id(2, n % PROGRAMMES)).push_bind(id(4, n))
            .push_bind("event").push_bind(3000).push_bind(2500).push_bind(common::day(n))
            .push_bind("At the festival.").push_bind("[]").push_bind("verified").push_bind(at(n)).push_bind(at(n))
    });
    changemakers::db::gallery::rebuild(db).await.unwrap();
}

async fn start(url: &str, cache_seconds: u64) -> (String, changemakers::state::AppState) {
    let mut config = Config::default();
    config.listen = "127.0.0.1:0".parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    config.data_dir = dir.keep();
    config.database.url = Some(url.to_owned());
    config.database.migrate_on_start = true;
    config.database.max_connections = 16;
    config.background_workers = false;
    config.gallery.cache_seconds = cache_seconds;
    config.log.filter = "warn".into();
    let app = Application::build_with_clock(config, Arc::new(SystemClock))
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    (base, state)
}

/// Milliseconds from wrk's `1.23ms`, `456.78us` or `1.02s`.
fn millis(text: &str) -> f64 {
    let (number, unit) = text.split_at(
        text.find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(text.len()),
    );
    let n: f64 = number.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => n / 1000.0,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => n,
    }
}

struct Load {
    rps: f64,
    p50: f64,
    p99: f64,
}

fn wrk(url: &str) -> Load {
    let out = Command::new("wrk")
        .args(["-t2", "-c64", "-d10s", "--latency", url])
        .stderr(Stdio::inherit())
        .output()
        .expect("wrk (bench/gallery.sh installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Non-2xx"), "errors under load:\n{text}");
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(|rest| rest.split_whitespace().next().unwrap_or("").to_owned())
            .unwrap_or_else(|| panic!("no {prefix} in wrk's output:\n{text}"))
    };
    Load {
        rps: field("Requests/sec:").parse().unwrap(),
        p50: millis(&field("50%")),
        p99: millis(&field("99%")),
    }
}

/// nginx serving `files` (name, bytes) as static files on its own port.
struct Nginx {
    child: std::process::Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Nginx {
    fn start(files: &[(&str, &[u8])]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("www");
        std::fs::create_dir_all(&root).unwrap();
        for (name, bytes) in files {
            std::fs::write(root.join(name), bytes).unwrap();
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let p = dir.path().display();
        let conf = format!(
            "user root; worker_processes 2; daemon off; pid {p}/nginx.pid; error_log {p}/error.log;\n\
             events {{ worker_connections 4096; }}\n\
             http {{ access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;\n\
               client_body_temp_path {p}/body; proxy_temp_path {p}/proxy; fastcgi_temp_path {p}/fcgi;\n\
               uwsgi_temp_path {p}/uwsgi; scgi_temp_path {p}/scgi;\n\
               types {{ text/html html; application/json json; }}\n\
               server {{ listen 127.0.0.1:{port}; root {p}/www; etag on; }} }}\n"
        );
        std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
        let child = Command::new("nginx")
            .args(["-p", &p.to_string(), "-c", &format!("{p}/nginx.conf")])
            .spawn()
            .expect("nginx (bench/gallery.sh installs it)");
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Self {
            child,
            base,
            _dir: dir,
        }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // `quit` lets the master stop its workers; killing the master would
        // leave them running.
        let prefix = self._dir.path().display().to_string();
        let _ = Command::new("nginx")
            .args([
                "-p",
                &prefix,
                "-c",
                &format!("{prefix}/nginx.conf"),
                "-s",
                "quit",
            ])
            .status();
        let _ = self.child.wait();
    }
}

async fn run(name: &'static str, url: String) {
    let (cached, state) = start(&url, 300).await;
    let started = Instant::now();
    seed(&state.db).await;
    let seeded = started.elapsed();
    let (uncached, _) = start(&url, 0).await;
    let client = reqwest::Client::new();
    let json_path = "/api/v1/public/campaigns?city=larvik";
    let embed_path = "/embed/gallery?city=larvik&lang=nb";
    let json = client
        .get(format!("{cached}{json_path}"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let html = client
        .get(format!("{cached}{embed_path}"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(
        json.len() > 10_000 && html.len() > 10_000,
        "a full page of campaigns"
    );
    let cold_json = common::timed_gets(
        &client,
        &format!("{uncached}/api/v1/public/campaigns?city=larvik&limit=24"),
        300,
    )
    .await;
    let cold_embed = common::timed_gets(
        &client,
        &format!("{uncached}/embed/gallery?city=larvik&lang=nb&limit=24"),
        300,
    )
    .await;
    let nginx = Nginx::start(&[("gallery.json", &json), ("gallery.html", &html)]);
    let ours_json = wrk(&format!("{cached}{json_path}"));
    let static_json = wrk(&format!("{}/gallery.json", nginx.base));
    let ours_embed = wrk(&format!("{cached}{embed_path}"));
    let static_embed = wrk(&format!("{}/gallery.html", nginx.base));
    drop(nginx);
    println!(
        "\n{name}: {CAMPAIGNS} approved campaigns in {CITIES} cities, seeded in {:.1} s",
        seeded.as_secs_f64()
    );
    println!(
        "  wrk -t2 -c64 -d10s          {:>10} {:>9} {:>9} {:>12}",
        "req/s", "p50 ms", "p99 ms", "vs nginx"
    );
    for (label, ours, theirs, bytes) in [
        (
            "GET /api/v1/public/campaigns",
            &ours_json,
            &static_json,
            json.len(),
        ),
        ("GET /embed/gallery", &ours_embed, &static_embed, html.len()),
    ] {
        println!(
            "  {label:<28} {:>10.0} {:>9.2} {:>9.2} {:>11.2}x   ({bytes} bytes)",
            ours.rps,
            ours.p50,
            ours.p99,
            ours.rps / theirs.rps
        );
        println!(
            "    nginx, the same bytes      {:>10.0} {:>9.2} {:>9.2}",
            theirs.rps, theirs.p50, theirs.p99
        );
    }
    println!(
        "  cold render, nothing cached  {:>9} {:>9}",
        "p50 ms", "p95 ms"
    );
    for (label, (p50, p95)) in [
        ("24-item gallery JSON", cold_json),
        ("24-item embed page", cold_embed),
    ] {
        println!("    {label:<26} {p50:>9.2} {p95:>9.2}");
    }
}

#[tokio::main]
async fn main() {
    common::on_both_databases(run).await;
}
