//! Load: many clients at once against the real server, in a mixed scenario
//! (signing in, reading the gallery and campaign pages, editing drafts,
//! uploading photos, submitting, deciding, logging and verifying reach).
//! Afterwards every write that got a 2xx is read back. Nothing may fail but
//! a rate limit, and SQLite under concurrent writers never answers 500.
//!
//! The test command runs it small (`LOAD_CLIENTS`=20, `LOAD_SECONDS`=10);
//! `bench/load.sh` runs it at 200 clients for 60 s, release-built, on SQLite
//! and on PostgreSQL, and prints the figures.

// Latency is measured here, on the wall clock, as in the benchmarks.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    clippy::disallowed_methods
)]

#[allow(dead_code)] // each test binary uses part of it
mod real_server;

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use changemakers::media::fixtures::photo;
use real_server::Server;
use reqwest::{multipart, Client, Method};
use serde_json::{json, Value};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Default)]
struct Tally {
    latencies: BTreeMap<&'static str, Vec<Duration>>,
    failures: Vec<String>,
    rate_limited: u64,
    server_errors: u64,
}

#[derive(Clone)]
struct Caller {
    client: Client,
    base: String,
    token: String,
    tally: Arc<Mutex<Tally>>,
}

impl Caller {
    /// Sends a request, records its latency under `op`, and returns its JSON
    /// on success; a rate limit is counted, anything else is a failure.
    async fn call(
        &self,
        op: &'static str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Option<Value> {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("origin", &self.base)
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.finish(op, request).await
    }

    async fn finish(&self, op: &'static str, request: reqwest::RequestBuilder) -> Option<Value> {
        let started = Instant::now();
        let response = request.send().await;
        let elapsed = started.elapsed();
        let (outcome, body) = match response {
            Ok(r) if r.status().is_success() => {
                (Ok(()), Some(r.json().await.unwrap_or(Value::Null)))
            }
            Ok(r) => (Err(r.status().to_string()), None),
            Err(err) => (Err(err.to_string()), None),
        };
        let mut tally = self.tally.lock().unwrap();
        tally.latencies.entry(op).or_default().push(elapsed);
        match outcome {
            Ok(()) => {}
            Err(status) if status.starts_with("429") => tally.rate_limited += 1,
            Err(status) => {
                if status.starts_with('5') {
                    tally.server_errors += 1;
                }
                tally.failures.push(format!("{op}: {status}"));
            }
        }
        body
    }
}

async fn sign_in(
    server: &Server,
    client: &Client,
    email: &str,
    tally: &Arc<Mutex<Tally>>,
) -> Caller {
    let started = Instant::now();
    let token = server.session_for(client, email).await;
    tally
        .lock()
        .unwrap()
        .latencies
        .entry("sign_in")
        .or_default()
        .push(started.elapsed());
    Caller {
        client: client.clone(),
        base: server.base.clone(),
        token,
        tally: tally.clone(),
    }
}

/// What a client wrote and was told was kept.
#[derive(Default)]
struct Written {
    summaries: Vec<(String, String)>,
    media: Vec<String>,
    reach: Vec<(String, String)>,
}

fn today_in_norway() -> String {
    let now = chrono::Utc::now();
    now.with_timezone(&chrono_tz::Europe::Oslo)
        .date_naive()
        .to_string()
}

async fn participant(
    n: u64,
    server: &Server,
    kari: Caller,
    programme: String,
    deadline: Instant,
    tally: Arc<Mutex<Tally>>,
) -> Written {
    let client = Client::new();
    let me = sign_in(server, &client, &format!("load{n}@load.example"), &tally).await;
    let mut written = Written::default();
    me.call(
        "update_profile",
        Method::PATCH,
        "/api/v1/me",
        Some(json!({ "display_name": format!("Load {n}"), "birth_year": 2009 })),
    )
    .await;
    let Some(team) = me
        .call(
            "create_team",
            Method::POST,
            &format!("/api/v1/programmes/{programme}/teams"),
            Some(json!({ "name": format!("Load team {n}") })),
        )
        .await
    else {
        return written;
    };
    let team = team["id"].as_str().unwrap().to_owned();
    let jpeg = photo(None);
    let mut round = 0;
    while Instant::now() < deadline {
        round += 1;
        // Read what the public reads.
        let gallery = me
            .call(
                "read_gallery",
                Method::GET,
                "/api/v1/public/campaigns?city=larvik&limit=12",
                None,
            )
            .await;
        if let Some(slug) = gallery
            .as_ref()
            .and_then(|g| g["items"][0]["slug"].as_str())
        {
            me.call(
                "read_campaign",
                Method::GET,
                &format!("/api/v1/public/campaigns/{slug}"),
                None,
            )
            .await;
        }
        // Write a campaign, edit it, add a photo, submit it.
        let Some(campaign) = me.call("create_campaign", Method::POST, &format!("/api/v1/teams/{team}/campaigns"), Some(json!({ "title": format!("Load {n}.{round}"), "summary": "First words.", "body": "We greet everyone.", "theme": "youth" }))).await else { continue };
        let id = campaign["id"].as_str().unwrap().to_owned();
        let mut version = campaign["version"].as_i64().unwrap();
        for edit in 0..3 {
            let summary = format!("Edit {edit} of {n}.{round}");
            if let Some(saved) = me
                .call(
                    "edit_draft",
                    Method::PATCH,
                    &format!("/api/v1/campaigns/{id}"),
                    Some(json!({ "summary": summary, "version": version })),
                )
                .await
            {
                version = saved["version"].as_i64().unwrap();
                written.summaries.retain(|(c, _)| c != &id);
                written.summaries.push((id.clone(), summary));
            }
        }
        let form = multipart::Form::new()
            .part(
                "file",
                multipart::Part::bytes(jpeg.clone())
                    .file_name("p.jpg")
                    .mime_str("image/jpeg")
                    .unwrap(),
            )
            .text("alt_text", "A red and blue square")
            .text("consent_confirmed", "true");
        let upload = me
            .client
            .post(format!("{}/api/v1/campaigns/{id}/media", me.base))
            .header("origin", &me.base)
            .bearer_auth(&me.token)
            .multipart(form);
        if let Some(media) = me.finish("upload_photo", upload).await {
            let media_id = media["id"].as_str().unwrap().to_owned();
            for _ in 0..200 {
                let state = me
                    .call(
                        "read_media",
                        Method::GET,
                        &format!("/api/v1/media/{media_id}"),
                        None,
                    )
                    .await;
                if state.as_ref().is_some_and(|m| m["status"] != "processing") {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            written.media.push(media_id);
        }
        let current = me
            .call(
                "read_draft",
                Method::GET,
                &format!("/api/v1/campaigns/{id}"),
                None,
            )
            .await;
        version = current.map_or(version, |c| c["version"].as_i64().unwrap());
        let Some(sent) = me
            .call(
                "submit",
                Method::POST,
                &format!("/api/v1/campaigns/{id}/submit"),
                Some(json!({ "version": version })),
            )
            .await
        else {
            continue;
        };
        // The facilitator decides; the team logs reach; the facilitator verifies it.
        let Some(_) = kari
            .call(
                "decide",
                Method::POST,
                &format!("/api/v1/campaigns/{id}/decision"),
                Some(json!({ "decision": "approve", "version": sent["version"] })),
            )
            .await
        else {
            continue;
        };
        written.summaries.retain(|(c, _)| c != &id);
        let Some(reach) = me.call("log_reach", Method::POST, &format!("/api/v1/campaigns/{id}/reach"), Some(json!({ "channel": "event", "people_reached": 40, "occurred_on": today_in_norway(), "description": "We greeted forty people." }))).await else { continue };
        let reach_id = reach["id"].as_str().unwrap().to_owned();
        if kari
            .call(
                "verify_reach",
                Method::POST,
                &format!("/api/v1/reach/{reach_id}/verification"),
                Some(json!({ "verified": true, "note": "Seen." })),
            )
            .await
            .is_some()
        {
            written.reach.push((id.clone(), reach_id));
        }
    }
    written
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn run(database: Option<&str>, label: &str) {
    let clients = env_or("LOAD_CLIENTS", 20);
    let seconds = env_or("LOAD_SECONDS", 10);
    let server = Server::seeded(database, &[]).await;
    let tally = Arc::new(Mutex::new(Tally::default()));
    let anonymous = Client::new();
    let programmes: Value = anonymous
        .get(format!("{}/api/v1/cities/larvik/programmes", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let programme = programmes["items"][0]["id"].as_str().unwrap().to_owned();
    let kari = sign_in(
        &server,
        &anonymous,
        "kari@demo.changemakers.example",
        &tally,
    )
    .await;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let server = Arc::new(server);
    let mut tasks = Vec::new();
    for n in 0..clients {
        let (server, kari, programme, tally) = (
            server.clone(),
            kari.clone(),
            programme.clone(),
            tally.clone(),
        );
        tasks.push(tokio::spawn(async move {
            participant(n, &server, kari, programme, deadline, tally).await
        }));
    }
    let mut written = Vec::new();
    for task in tasks {
        written.push(task.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    let peak = server.peak_rss_mib();

    // Every write that was answered 2xx is there.
    let mut missing = Vec::new();
    let mut checked = 0;
    for w in &written {
        for (campaign, summary) in &w.summaries {
            let got: Value = kari
                .client
                .get(format!("{}/api/v1/campaigns/{campaign}", server.base))
                .bearer_auth(&kari.token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            checked += 1;
            if got["draft"]["summary"] != summary.as_str() {
                missing.push(format!(
                    "campaign {campaign}: {} not {summary}",
                    got["draft"]["summary"]
                ));
            }
        }
        for media in &w.media {
            let got = kari
                .client
                .get(format!("{}/api/v1/media/{media}", server.base))
                .bearer_auth(&kari.token)
                .send()
                .await
                .unwrap();
            checked += 1;
            if !got.status().is_success() {
                missing.push(format!("media {media}: {}", got.status()));
            }
        }
        for (campaign, reach) in &w.reach {
            let got: Value = kari
                .client
                .get(format!("{}/api/v1/campaigns/{campaign}/reach", server.base))
                .bearer_auth(&kari.token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            checked += 1;
            let found = got["items"]
                .as_array()
                .or_else(|| got.as_array())
                .is_some_and(|items| {
                    items
                        .iter()
                        .any(|r| r["id"] == reach.as_str() && r["status"] == "verified")
                });
            if !found {
                missing.push(format!("reach {reach} of {campaign}"));
            }
        }
    }

    let tally = tally.lock().unwrap();
    let total: usize = tally.latencies.values().map(Vec::len).sum();
    println!("\n== load on {label}: {clients} clients for {seconds} s ==");
    #[allow(clippy::cast_precision_loss)]
    let rate = total as f64 / elapsed;
    println!(
        "{total} requests in {elapsed:.1} s: {rate:.0} requests/s; server peak RSS {peak} MiB"
    );
    println!(
        "{:<16} {:>7} {:>9} {:>9} {:>9}",
        "operation", "count", "p50 ms", "p95 ms", "p99 ms"
    );
    for (op, samples) in &tally.latencies {
        let mut sorted = samples.clone();
        sorted.sort();
        println!(
            "{op:<16} {:>7} {:>9.1} {:>9.1} {:>9.1}",
            sorted.len(),
            percentile(&sorted, 0.5),
            percentile(&sorted, 0.95),
            percentile(&sorted, 0.99)
        );
    }
    println!(
        "rate limited: {}; failures: {}; 5xx: {}; writes read back: {checked}, missing: {}",
        tally.rate_limited,
        tally.failures.len(),
        tally.server_errors,
        missing.len()
    );
    assert_eq!(
        tally.server_errors, 0,
        "server errors: {:?}",
        tally.failures
    );
    assert!(
        tally.failures.is_empty(),
        "failures: {:?}",
        &tally.failures[..tally.failures.len().min(20)]
    );
    assert!(missing.is_empty(), "writes lost: {missing:?}");
    assert!(checked > 0, "the load wrote nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mixed_load_on_sqlite_loses_nothing() {
    run(None, "SQLite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mixed_load_on_postgres_loses_nothing() {
    let Some((name, url)) = real_server::own_postgres_database("cm_load").await else {
        return;
    };
    run(Some(&url), "PostgreSQL").await;
    real_server::drop_database(&name).await;
}
