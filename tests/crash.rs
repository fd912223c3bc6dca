//! Crashes: the real server is killed with SIGKILL in the middle of a busy
//! mixed workload (uploads streaming in, photos being processed, decisions,
//! reach verifications, page views waiting to be flushed, mail being sent),
//! started again on the same data, and checked:
//!
//! - every write that was answered 2xx is there;
//! - no half-written row: every approval has its published version and its
//!   audit entry, every verified reach its audit entry;
//! - every photo job ends once with its renditions, whatever it was doing;
//! - nothing is orphaned: no half upload, and after the sweep no object
//!   that no row owns;
//! - the view rollups agree with the raw counts;
//! - every queued mail is sent, a mail sent again keeps its Message-ID.
//!
//! On SQLite always; on PostgreSQL too under the test command.

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
    time::Duration,
};

use changemakers::db::{self, on_db};
use real_server::Server;
use reqwest::{multipart, Client, Method};
use serde_json::{json, Value};

/// Where, after the start, each round's SIGKILL falls. Fixed, so a failure
/// can be run again; spread, so the kills meet different work.
const KILL_AFTER_MS: [u64; 4] = [1300, 2600, 4100, 5500];
const TEAMS: usize = 6;

/// A JPEG big enough that processing it takes a moment (a kill can meet it).
fn big_photo() -> Vec<u8> {
    use image::{ImageEncoder, Rgb, RgbImage};
    let picture = RgbImage::from_fn(640, 480, |x, y| {
        let v = u8::try_from((x ^ y) & 0xFF).unwrap();
        Rgb([v, v.wrapping_mul(3), 200])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .write_image(picture.as_raw(), 640, 480, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

#[derive(Clone)]
struct Person {
    client: Client,
    base: String,
    token: String,
}

/// How a request ended: its body, a refusal, or the connection lost (the
/// server was killed under it).
enum Outcome {
    Done(Value),
    Refused(u16),
    Lost,
}

impl Person {
    async fn send(&self, request: reqwest::RequestBuilder) -> Outcome {
        match request
            .header("origin", &self.base)
            .bearer_auth(&self.token)
            .send()
            .await
        {
            Ok(r) if r.status().is_success() => match r.json().await {
                Ok(body) => Outcome::Done(body),
                Err(_) => Outcome::Lost,
            },
            Ok(r) => Outcome::Refused(r.status().as_u16()),
            Err(_) => Outcome::Lost,
        }
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Outcome {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }
}

/// What the server said it kept.
#[derive(Default, Clone)]
struct Accepted {
    summaries: BTreeMap<String, String>,
    media: Vec<String>,
    approved: Vec<String>,
    verified: Vec<(String, String)>,
    /// Refusals that a kill cannot explain (anything but 409 and 429).
    unexpected: Vec<String>,
    /// What was in flight when the connection was lost, by step.
    lost: BTreeMap<&'static str, u32>,
}

/// Runs `step`; `None` (and the loop ends) once the server is gone.
macro_rules! step {
    ($accepted:expr, $name:literal, $outcome:expr) => {
        match $outcome {
            Outcome::Done(body) => Some(body),
            Outcome::Refused(status) => {
                if status != 409 && status != 429 {
                    $accepted
                        .lock()
                        .unwrap()
                        .unexpected
                        .push(format!("{}: {status}", $name));
                }
                None
            }
            Outcome::Lost => {
                *$accepted.lock().unwrap().lost.entry($name).or_default() += 1;
                return;
            }
        }
    };
}

fn today_in_norway() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Oslo)
        .date_naive()
        .to_string()
}

/// One team's work, round after round, until the server is killed under it.
async fn team_work(me: Person, kari: Person, team: String, accepted: Arc<Mutex<Accepted>>) {
    let jpeg = big_photo();
    for round in 0.. {
        if let Some(gallery) = step!(
            accepted,
            "read gallery",
            me.call(
                Method::GET,
                "/api/v1/public/campaigns?city=larvik&limit=12",
                None
            )
            .await
        ) {
            if let Some(slug) = gallery["items"][0]["slug"].as_str() {
                step!(
                    accepted,
                    "read campaign page",
                    me.call(
                        Method::GET,
                        &format!("/api/v1/public/campaigns/{slug}"),
                        None
                    )
                    .await
                );
            }
        }
        let Some(campaign) = step!(
            accepted,
            "create campaign",
            me.call(
                Method::POST,
                &format!("/api/v1/teams/{team}/campaigns"),
                Some(json!({ "title": format!("Crash {team} {round}"), "summary": "First.", "body": "We greet everyone.", "theme": "youth" })),
            )
            .await
        ) else {
            continue;
        };
        let id = campaign["id"].as_str().unwrap().to_owned();
        let summary = format!("Edited in round {round}");
        if let Some(saved) = step!(
            accepted,
            "edit draft",
            me.call(
                Method::PATCH,
                &format!("/api/v1/campaigns/{id}"),
                Some(json!({ "summary": summary, "version": campaign["version"] })),
            )
            .await
        ) {
            accepted
                .lock()
                .unwrap()
                .summaries
                .insert(id.clone(), summary);
            let _ = saved;
        }
        let form = multipart::Form::new()
            .part(
                "file",
                multipart::Part::bytes(jpeg.clone())
                    .file_name("p.jpg")
                    .mime_str("image/jpeg")
                    .unwrap(),
            )
            .text("alt_text", "A pattern in red and blue")
            .text("consent_confirmed", "true");
        let upload = me
            .client
            .post(format!("{}/api/v1/campaigns/{id}/media", me.base))
            .multipart(form);
        if let Some(media) = step!(accepted, "upload photo", me.send(upload).await) {
            let media = media["id"].as_str().unwrap().to_owned();
            accepted.lock().unwrap().media.push(media.clone());
            // A campaign goes for review once its photos are processed.
            for _ in 0..100 {
                let state = step!(
                    accepted,
                    "read photo",
                    me.call(Method::GET, &format!("/api/v1/media/{media}"), None)
                        .await
                );
                if state.is_some_and(|m| m["status"] != "processing") {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        let Some(current) = step!(
            accepted,
            "read draft",
            me.call(Method::GET, &format!("/api/v1/campaigns/{id}"), None)
                .await
        ) else {
            continue;
        };
        let Some(sent) = step!(
            accepted,
            "submit",
            me.call(
                Method::POST,
                &format!("/api/v1/campaigns/{id}/submit"),
                Some(json!({ "version": current["version"] })),
            )
            .await
        ) else {
            continue;
        };
        let Some(_) = step!(
            accepted,
            "decide",
            kari.call(
                Method::POST,
                &format!("/api/v1/campaigns/{id}/decision"),
                Some(json!({ "decision": "approve", "version": sent["version"] })),
            )
            .await
        ) else {
            continue;
        };
        {
            let mut kept = accepted.lock().unwrap();
            kept.approved.push(id.clone());
            kept.summaries.remove(&id);
        }
        let Some(reach) = step!(
            accepted,
            "log reach",
            me.call(
                Method::POST,
                &format!("/api/v1/campaigns/{id}/reach"),
                Some(json!({ "channel": "event", "people_reached": 40, "occurred_on": today_in_norway(), "description": "We greeted forty people." })),
            )
            .await
        ) else {
            continue;
        };
        let reach_id = reach["id"].as_str().unwrap().to_owned();
        if step!(
            accepted,
            "verify reach",
            kari.call(
                Method::POST,
                &format!("/api/v1/reach/{reach_id}/verification"),
                Some(json!({ "verified": true, "note": "Seen." })),
            )
            .await
        )
        .is_some()
        {
            accepted.lock().unwrap().verified.push((id, reach_id));
        }
    }
}

/// Every write answered 2xx, read back through the API.
async fn every_accepted_write_is_there(kari: &Person, accepted: &Accepted) -> usize {
    let read = |path: String| async move {
        match kari.call(Method::GET, &path, None).await {
            Outcome::Done(body) => body,
            Outcome::Refused(status) => panic!("{path}: {status}"),
            Outcome::Lost => panic!("{path}: no answer"),
        }
    };
    let mut checked = 0;
    for (campaign, summary) in &accepted.summaries {
        let got = read(format!("/api/v1/campaigns/{campaign}")).await;
        assert_eq!(got["draft"]["summary"], summary.as_str(), "{campaign}");
        checked += 1;
    }
    for campaign in &accepted.approved {
        let got = read(format!("/api/v1/campaigns/{campaign}")).await;
        assert_eq!(got["status"], "approved", "{campaign}");
        checked += 1;
    }
    for media in &accepted.media {
        read(format!("/api/v1/media/{media}")).await;
        checked += 1;
    }
    for (campaign, reach) in &accepted.verified {
        let got = read(format!("/api/v1/campaigns/{campaign}/reach")).await;
        let found = got["items"].as_array().is_some_and(|items| {
            items
                .iter()
                .any(|r| r["id"] == reach.as_str() && r["status"] == "verified")
        });
        assert!(found, "reach {reach} of {campaign} is verified");
        checked += 1;
    }
    checked
}

async fn count(state: &changemakers::state::AppState, sql: &str) -> i64 {
    on_db!(&state.db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await
        .unwrap())
}

/// Waits (the server running) until no photo is processing and no mail waits.
async fn settled(state: &changemakers::state::AppState) {
    for _ in 0..600 {
        let busy = count(
            state,
            "SELECT (SELECT COUNT(*) FROM media WHERE status = 'processing') \
             + (SELECT COUNT(*) FROM mail_outbox WHERE status IN ('pending', 'sending'))",
        )
        .await;
        if busy == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("photos or mail still waiting a minute after the restart");
}

async fn crash_and_recover(database: Option<&str>, label: &str) {
    // On PostgreSQL what a killed process was running waits out its lease:
    // short ones here, so the test need not wait minutes.
    let settings: &[(&str, &str)] = if database.is_some() {
        &[
            ("CHANGEMAKERS__MEDIA__JOB_LEASE_SECONDS", "3"),
            ("CHANGEMAKERS__MAIL__SMTP__TIMEOUT_SECONDS", "1"),
        ]
    } else {
        &[]
    };
    let mut server = Server::seeded(database, settings).await;
    let client = Client::new();
    let person = |token: String| Person {
        client: client.clone(),
        base: server.base.clone(),
        token,
    };
    let kari = person(
        server
            .session_for(&client, "kari@demo.changemakers.example")
            .await,
    );
    let Outcome::Done(programmes) = kari
        .call(Method::GET, "/api/v1/cities/larvik/programmes", None)
        .await
    else {
        panic!("programmes");
    };
    let programme = programmes["items"][0]["id"].as_str().unwrap().to_owned();
    let mut teams = Vec::new();
    for n in 0..TEAMS {
        let me = person(
            server
                .session_for(&client, &format!("crash{n}@crash.example"))
                .await,
        );
        me.call(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({ "display_name": format!("Crash {n}"), "birth_year": 2009 })),
        )
        .await;
        let Outcome::Done(team) = me
            .call(
                Method::POST,
                &format!("/api/v1/programmes/{programme}/teams"),
                Some(json!({ "name": format!("Crash team {n}") })),
            )
            .await
        else {
            panic!("team");
        };
        teams.push((me, team["id"].as_str().unwrap().to_owned()));
    }

    let accepted = Arc::new(Mutex::new(Accepted::default()));
    for (round, after) in KILL_AFTER_MS.iter().enumerate() {
        accepted.lock().unwrap().lost.clear();
        let work: Vec<_> = teams
            .iter()
            .map(|(me, team)| {
                tokio::spawn(team_work(
                    me.clone(),
                    kari.clone(),
                    team.clone(),
                    accepted.clone(),
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(*after)).await;
        server.kill();
        for task in work {
            task.await.unwrap();
        }
        server.start(settings).await;
        let kept = accepted.lock().unwrap().clone();
        let checked = every_accepted_write_is_there(&kari, &kept).await;
        println!(
            "{label}, kill {}: {checked} accepted writes read back; in flight at the kill: {:?}",
            round + 1,
            kept.lost
        );
        assert!(
            kept.unexpected.is_empty(),
            "refused for no reason: {:?}",
            kept.unexpected
        );
        assert!(
            std::fs::read_dir(server.data_dir().join("uploads"))
                .unwrap()
                .count()
                == 0,
            "no half upload is left after the restart"
        );
    }

    // Let the restarted server finish what was queued, then look inside.
    // A clock two hours ahead, so that the sweep's grace is over.
    let state = server
        .open_state(chrono::Utc::now() + chrono::Duration::hours(2))
        .await;
    settled(&state).await;
    let kept = accepted.lock().unwrap().clone();
    let checked = every_accepted_write_is_there(&kari, &kept).await;
    assert!(checked > 0, "the workload wrote nothing");
    server.kill();

    let half_written = [
        (
            "approved campaigns without their published version",
            "SELECT COUNT(*) FROM campaigns c WHERE status = 'approved' AND NOT EXISTS \
             (SELECT 1 FROM campaign_contents k WHERE k.campaign_id = c.id AND k.kind = 'published')",
        ),
        (
            "approved campaigns without their decision",
            "SELECT COUNT(*) FROM campaigns c WHERE status = 'approved' AND NOT EXISTS \
             (SELECT 1 FROM moderation_audit a WHERE a.campaign_id = c.id AND a.action = 'approve')",
        ),
        (
            "verified reach without its decision",
            "SELECT COUNT(*) FROM reach_reports r WHERE status = 'verified' AND NOT EXISTS \
             (SELECT 1 FROM moderation_audit a WHERE a.reach_report_id = r.id \
              AND a.action = 'verify_reach')",
        ),
        (
            "photos without exactly one job",
            "SELECT COUNT(*) FROM media m WHERE (SELECT COUNT(*) FROM jobs j \
             WHERE j.subject_id = m.id) <> 1",
        ),
        (
            "jobs not done",
            "SELECT COUNT(*) FROM jobs WHERE status <> 'done'",
        ),
        (
            "photos not ready",
            "SELECT COUNT(*) FROM media WHERE status <> 'ready'",
        ),
        (
            "mail not sent",
            "SELECT COUNT(*) FROM mail_outbox WHERE status <> 'sent'",
        ),
    ];
    for (what, sql) in half_written {
        assert_eq!(count(&state, sql).await, 0, "{what}");
    }

    // After the sweep, every object belongs to a row, and every ready photo
    // has its renditions.
    changemakers::service::housekeeping::sweep(&state)
        .await
        .unwrap();
    let objects = state.storage.list("").await.unwrap();
    let ids: std::collections::HashSet<String> = db::media::all_ids(&state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|id| id.to_string())
        .collect();
    for key in &objects {
        let owner = key.split('/').nth(1).unwrap_or_default();
        assert!(
            key.starts_with("media/") && ids.contains(owner),
            "{key} is owned by no row"
        );
    }
    for id in &ids {
        let renditions = objects
            .iter()
            .filter(|k| k.starts_with(&format!("media/{id}/")))
            .count();
        assert!(renditions >= 1, "photo {id} has its renditions");
    }

    // The page views: the rollups agree with the raw counts.
    server.assert_rollups_agree();

    // Mail: a mail sent twice (killed between sending and marking it sent)
    // is the same mail, with the same Message-ID; nothing else repeats.
    let by_id = server.message_ids();
    let sent = count(&state, "SELECT COUNT(*) FROM mail_outbox").await;
    let repeated = by_id.values().filter(|n| **n > 1).count();
    println!(
        "{label}: {} kills; {} drafts, {} photos, {} approvals, {} verified reach kept; \
         {} objects after the sweep; {sent} queued mails sent, {repeated} of them twice \
         (same Message-ID)",
        KILL_AFTER_MS.len(),
        kept.summaries.len(),
        kept.media.len(),
        kept.approved.len(),
        kept.verified.len(),
        objects.len(),
    );
    state.db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_mid_work_on_sqlite_loses_nothing_and_leaves_nothing_half_done() {
    crash_and_recover(None, "SQLite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_mid_work_on_postgres_loses_nothing_and_leaves_nothing_half_done() {
    let Some((name, url)) = real_server::own_postgres_database("cm_crash").await else {
        return;
    };
    crash_and_recover(Some(&url), "PostgreSQL").await;
    real_server::drop_database(&name).await;
}
