//! Crashes at chosen points: the real server is stopped inside a write (a
//! decision with the campaign's status written but not its history, a reach
//! verification decided but not yet counted, a photo's renditions stored but
//! the photo not yet marked ready, page views half flushed, a mail handed
//! over but not yet marked sent; see `src/stop_point.rs`), killed there with
//! SIGKILL, and started again on the same data. Then:
//!
//! - the half-done decision and verification left nothing: the campaign is
//!   still submitted, its history and the audit trail as they were, the
//!   report still pending; asked again, each is done once;
//! - the photo is finished after the restart, exactly once, its original gone;
//! - the view rollups agree with the raw counts;
//! - the mail is sent again with the same Message-ID, and no other mail twice.
//!
//! One data directory goes through every point in turn. On SQLite always; on
//! PostgreSQL too under the test command.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    clippy::disallowed_methods
)]

#[allow(dead_code)] // each test binary uses part of it
mod real_server;

use std::{path::Path, time::Duration};

use real_server::Server;
use reqwest::{multipart, Client};
use serde_json::{json, Value};

const KARI: &str = "kari@demo.changemakers.example";
const MAJA: &str = "maja@demo.changemakers.example";
const OLA: &str = "ola@demo.changemakers.example";

struct Person {
    client: Client,
    base: String,
    token: String,
}

impl Person {
    async fn get(&self, path: &str) -> Value {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response.json().await.unwrap()
    }

    fn request(&self, path: &str, body: &Value) -> reqwest::RequestBuilder {
        self.client
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .bearer_auth(&self.token)
            .json(body)
    }

    async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.request(path, &body).send().await.unwrap()
    }
}

/// The settings that stop the server at `point`, its marker file under `dir`.
fn stop_at(point: &str, dir: &Path) -> Vec<(String, String)> {
    vec![
        ("CHANGEMAKERS_TEST_STOP_AT".into(), point.into()),
        (
            "CHANGEMAKERS_TEST_STOPPED".into(),
            dir.join("stopped").display().to_string(),
        ),
    ]
}

/// Waits until the server says it stopped at `point`, then kills it there.
async fn kill_when_stopped(server: &mut Server, dir: &Path, point: &str) {
    let marker = dir.join("stopped");
    for _ in 0..600 {
        if std::fs::read_to_string(&marker).is_ok_and(|p| p == point) {
            server.kill();
            std::fs::remove_file(&marker).unwrap();
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server never reached {point}");
}

/// Starts the server again with `base` and, when given, a stop point.
async fn restart(server: &mut Server, base: &[(&str, &str)], stop: &[(String, String)]) {
    let mut settings: Vec<(&str, &str)> = base.to_vec();
    settings.extend(stop.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    server.start(&settings).await;
}

/// A JPEG of some size, so processing it has something to do.
fn photo() -> Vec<u8> {
    use image::{ImageEncoder, Rgb, RgbImage};
    let picture = RgbImage::from_fn(320, 240, |x, y| {
        Rgb([
            u8::try_from(x % 256).unwrap(),
            u8::try_from(y % 256).unwrap(),
            90,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .write_image(picture.as_raw(), 320, 240, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

async fn crash_at_each_point(database: Option<&str>) {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    // On PostgreSQL what a killed process was running waits out its lease:
    // short ones here. Views are flushed every second.
    let mut base = vec![("CHANGEMAKERS__STATS__VIEW_FLUSH_SECONDS", "1")];
    if database.is_some() {
        base.push(("CHANGEMAKERS__MEDIA__JOB_LEASE_SECONDS", "2"));
        base.push(("CHANGEMAKERS__MAIL__SMTP__TIMEOUT_SECONDS", "1"));
    }
    let mut server = Server::seeded(database, &base).await;
    let client = Client::new();
    let person = |token: String, base: &str| Person {
        client: client.clone(),
        base: base.to_owned(),
        token,
    };
    let kari = person(server.session_for(&client, KARI).await, &server.base);
    let maja = person(server.session_for(&client, MAJA).await, &server.base);
    // The city admin reads the audit trail.
    let ola = person(server.session_for(&client, OLA).await, &server.base);
    let programme = kari.get("/api/v1/cities/larvik/programmes").await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let queue = kari.get("/api/v1/moderation/queue").await;
    let campaign = queue["items"][0]["id"].as_str().unwrap().to_owned();
    let before = kari.get(&format!("/api/v1/campaigns/{campaign}")).await;
    let history = kari
        .get(&format!("/api/v1/campaigns/{campaign}/history"))
        .await;
    let audit = ola.get("/api/v1/moderation/audit").await["items"]
        .as_array()
        .unwrap()
        .len();
    let reach = kari
        .get(&format!(
            "/api/v1/moderation/reach?programme_id={programme}"
        ))
        .await["items"][0]["report"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let team = maja.get("/api/v1/me").await["teams"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let draft = maja
        .post(
            &format!("/api/v1/teams/{team}/campaigns"),
            json!({ "title": "Hei, nabo", "theme": "youth", "summary": "Vi hilser på naboene.", "body": "Vi banker på og sier hei." }),
        )
        .await;
    let created = draft.status();
    let draft: Value = draft.json().await.unwrap();
    assert_eq!(created, 201, "{draft}");
    let draft = draft["id"].as_str().unwrap().to_owned();
    let mails_before = server.message_ids().len();

    // 1. A decision, killed with the status written and the history not.
    server.kill();
    restart(&mut server, &base, &stop_at("decision.status_written", dir)).await;
    let decide = {
        let request = kari.request(
            &format!("/api/v1/campaigns/{campaign}/decision"),
            &json!({ "decision": "approve", "version": before["version"] }),
        );
        tokio::spawn(request.send())
    };
    kill_when_stopped(&mut server, dir, "decision.status_written").await;
    let _ = decide.await;
    restart(&mut server, &base, &stop_at("mail.handed_over", dir)).await;
    let after = kari.get(&format!("/api/v1/campaigns/{campaign}")).await;
    assert_eq!(after["status"], "submitted", "the decision left nothing");
    assert_eq!(after["version"], before["version"]);
    assert_eq!(
        kari.get(&format!("/api/v1/campaigns/{campaign}/history"))
            .await,
        history
    );
    assert_eq!(
        ola.get("/api/v1/moderation/audit").await["items"]
            .as_array()
            .unwrap()
            .len(),
        audit
    );
    let again = kari
        .post(
            &format!("/api/v1/campaigns/{campaign}/decision"),
            json!({ "decision": "approve", "version": before["version"] }),
        )
        .await;
    assert_eq!(again.status(), 200, "decided again");

    // 2. The decision's mail, killed once handed over and before it is marked sent.
    kill_when_stopped(&mut server, dir, "mail.handed_over").await;
    restart(&mut server, &base, &stop_at("reach.decided", dir)).await;
    assert_eq!(
        ola.get("/api/v1/moderation/audit").await["items"]
            .as_array()
            .unwrap()
            .len(),
        audit + 1,
        "one decision in the audit trail"
    );

    // 3. A reach verification, killed decided but not yet counted.
    let verify = {
        let request = kari.request(
            &format!("/api/v1/reach/{reach}/verification"),
            &json!({ "verified": true }),
        );
        tokio::spawn(request.send())
    };
    kill_when_stopped(&mut server, dir, "reach.decided").await;
    let _ = verify.await;
    restart(&mut server, &base, &stop_at("photo.renditions_stored", dir)).await;
    let pending = kari
        .get(&format!(
            "/api/v1/moderation/reach?programme_id={programme}"
        ))
        .await;
    assert!(
        pending["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["report"]["id"] == reach.as_str() && i["report"]["status"] == "pending"),
        "the report is still pending: {pending}"
    );
    let verified = kari
        .post(
            &format!("/api/v1/reach/{reach}/verification"),
            json!({ "verified": true }),
        )
        .await;
    assert_eq!(verified.status(), 200, "verified again");

    // 4. A photo, killed with its renditions stored and before it is marked ready.
    let form = multipart::Form::new()
        .part(
            "file",
            multipart::Part::bytes(photo())
                .file_name("poster.jpg")
                .mime_str("image/jpeg")
                .unwrap(),
        )
        .text("alt_text", "A poster")
        .text("consent_confirmed", "true");
    let uploaded = client
        .post(format!("{}/api/v1/campaigns/{draft}/media", server.base))
        .header("origin", &server.base)
        .bearer_auth(&maja.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 202);
    let media: Value = uploaded.json().await.unwrap();
    let media = media["id"].as_str().unwrap().to_owned();
    kill_when_stopped(&mut server, dir, "photo.renditions_stored").await;
    restart(&mut server, &base, &stop_at("views.flushing", dir)).await;
    let mut status = Value::Null;
    for _ in 0..300 {
        status = maja.get(&format!("/api/v1/media/{media}")).await["status"].clone();
        if status != "processing" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, "ready", "the photo was finished after the restart");

    // 5. Page views, killed halfway through a flush.
    let anonymous = Client::new();
    let slug = anonymous
        .get(format!(
            "{}/api/v1/public/campaigns?city=larvik",
            server.base
        ))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["items"][0]["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    for n in 0..5 {
        anonymous
            .get(format!("{}/api/v1/public/campaigns/{slug}", server.base))
            .header("user-agent", format!("viewer {n}"))
            .send()
            .await
            .unwrap();
    }
    kill_when_stopped(&mut server, dir, "views.flushing").await;
    restart(&mut server, &base, &[]).await;

    // Afterwards: the mail went again, with its Message-ID; nothing else twice.
    let mut sent = server.message_ids();
    for _ in 0..400 {
        if sent.values().any(|n| *n > 1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        sent = server.message_ids();
    }
    let twice: Vec<_> = sent.iter().filter(|(_, n)| **n > 1).collect();
    assert_eq!(
        twice.len(),
        1,
        "the handed-over mail, sent again: {twice:?}"
    );
    assert_eq!(*twice[0].1, 2);
    assert!(sent.len() > mails_before, "the decision's mail");

    // The photo: finished once, its original gone, its renditions there.
    let state = server.open_state(chrono::Utc::now()).await;
    let objects = state.storage.list("").await.unwrap();
    assert!(
        !objects
            .iter()
            .any(|k| k.contains(&media) && k.starts_with("originals/")),
        "the original is gone: {objects:?}"
    );
    assert!(
        objects
            .iter()
            .any(|k| k.starts_with(&format!("media/{media}/"))),
        "the renditions are there"
    );
    state.db.close().await;

    // The figures: every rollup agrees with what it counts.
    server.kill();
    server.assert_rollups_agree();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopped_and_killed_inside_each_write_on_sqlite_leaves_nothing_half_done() {
    crash_at_each_point(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopped_and_killed_inside_each_write_on_postgres_leaves_nothing_half_done() {
    let Some((name, url)) = real_server::own_postgres_database("cm_points").await else {
        return;
    };
    crash_at_each_point(Some(&url)).await;
    real_server::drop_database(&name).await;
}
