//! Reach reports: logged by the team on an approved campaign, changed while
//! pending, verified or declined once by a facilitator, never twice by a retry.

use chrono::Duration;
use reqwest::Client;
use serde_json::{json, Value};

use crate::helpers::{count_mails, decide, submitted, Submitted, TestApp};

/// A programme with an approved campaign and its lead.
pub async fn approved(app: &TestApp) -> Submitted {
    let s = submitted(app, "Hils for faen", "At the festival gate.").await;
    publish(app, &s).await;
    s
}

/// The facilitator approves the submitted campaign.
pub async fn publish(app: &TestApp, s: &Submitted) {
    let ok = decide(app, &s.facilitator, &s.campaign, "approve", None, s.version).await;
    assert_eq!(ok.status(), 200);
}

pub fn report(people: i64, app: &TestApp) -> Value {
    json!({
        "channel": "event",
        "people_reached": people,
        "occurred_on": app.clock.now().date_naive(),
        "description": "We said hello to everyone at the gate.",
        "evidence_url": "https://example.no/photos"
    })
}

/// The goal as anyone sees it.
pub async fn goal(app: &TestApp) -> Value {
    app.as_user(&TestApp::anonymous())
        .get("/api/v1/stats/goal")
        .await
        .ok(200)
        .await
}

/// Where a facilitator decides on `report`.
pub fn verification(report: &Value) -> String {
    format!(
        "/api/v1/reach/{}/verification",
        report["id"].as_str().unwrap()
    )
}

pub async fn log(app: &TestApp, lead: &Client, campaign: &str, people: i64) -> Value {
    app.as_user(lead)
        .post(
            &format!("/api/v1/campaigns/{campaign}/reach"),
            report(people, app),
        )
        .await
        .ok(201)
        .await
}

#[tokio::test]
async fn a_team_logs_reach_and_sees_it_pending() {
    let app = TestApp::spawn().await;
    let s = approved(&app).await;
    let created = log(&app, &s.lead, &s.campaign, 3000).await;
    assert_eq!(created["status"], "pending");
    assert_eq!(created["people_reached"], 3000);
    assert_eq!(created["people_verified"], Value::Null);
    assert_eq!(created["editable"], true);
    assert_eq!(created["evidence_url"], "https://example.no/photos");
    let list = app
        .as_user(&s.lead)
        .get(&format!("/api/v1/campaigns/{}/reach", s.campaign))
        .await
        .ok(200)
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["next_cursor"], Value::Null);
}

#[tokio::test]
async fn reach_is_only_for_approved_campaigns_and_checked() {
    let app = TestApp::spawn().await;
    let s = submitted(&app, "Not yet", "Waiting for a decision.").await;
    app.as_user(&s.lead)
        .post(
            &format!("/api/v1/campaigns/{}/reach", s.campaign),
            report(10, &app),
        )
        .await
        .problem(409, "campaign_not_approved")
        .await;
    publish(&app, &s).await;
    let path = format!("/api/v1/campaigns/{}/reach", s.campaign);
    let today = app.clock.now().date_naive();
    for (field, body) in [
        (
            "occurred_on",
            json!({ "occurred_on": today + Duration::days(1) }),
        ),
        (
            "occurred_on",
            json!({ "occurred_on": today - Duration::days(3) }),
        ),
        (
            "evidence_url",
            json!({ "evidence_url": "javascript:alert(1)" }),
        ),
        ("description", json!({ "description": "   " })),
    ] {
        let mut request = report(10, &app);
        for (k, v) in body.as_object().unwrap() {
            request[k] = v.clone();
        }
        let problem = app
            .as_user(&s.lead)
            .post(&path, request)
            .await
            .problem(422, "validation_failed")
            .await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let mut too_many = report(10, &app);
    too_many["people_reached"] = json!(1_000_001);
    assert_eq!(
        app.as_user(&s.lead).post(&path, too_many).await.status(),
        422
    );
    // A facilitator sees the campaign but does not log its reach.
    app.as_user(&s.facilitator)
        .post(&path, report(10, &app))
        .await
        .problem(403, "forbidden")
        .await;
}

#[tokio::test]
async fn a_retried_submit_with_the_same_key_makes_one_report() {
    let app = TestApp::spawn().await;
    let s = approved(&app).await;
    let path = app.url(&format!("/api/v1/campaigns/{}/reach", s.campaign));
    let body = report(120, &app);
    let send = || {
        s.lead
            .post(&path)
            .header("origin", crate::helpers::PUBLIC_URL)
            .header("idempotency-key", "phone-7f3a")
            .json(&body)
            .send()
    };
    let (a, b, c) = tokio::join!(send(), send(), send());
    let mut ids = Vec::new();
    for response in [a, b, c] {
        let response = response.unwrap();
        assert_eq!(response.status(), 201);
        let v: Value = response.json().await.unwrap();
        ids.push(v["id"].as_str().unwrap().to_owned());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every retry gets the first report");
    let list = app
        .as_user(&s.lead)
        .get(&format!("/api/v1/campaigns/{}/reach", s.campaign))
        .await
        .ok(200)
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    // The same key for a different report is refused, not replayed.
    let mut other = report(999, &app);
    other["channel"] = json!("online");
    let response = s
        .lead
        .post(&path)
        .header("origin", crate::helpers::PUBLIC_URL)
        .header("idempotency-key", "phone-7f3a")
        .json(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let goal = goal(&app).await;
    assert_eq!(goal["people_reached_reported"], 120);
}

#[tokio::test]
async fn the_team_changes_or_deletes_a_report_only_while_pending() {
    let app = TestApp::spawn().await;
    let s = approved(&app).await;
    let first = log(&app, &s.lead, &s.campaign, 50).await;
    let id = first["id"].as_str().unwrap();
    let changed = app
        .as_user(&s.lead)
        .patch(
            &format!("/api/v1/reach/{id}"),
            json!({ "people_reached": 60, "evidence_url": "" }),
        )
        .await
        .ok(200)
        .await;
    assert_eq!(changed["people_reached"], 60);
    assert_eq!(changed["evidence_url"], Value::Null);
    let second = log(&app, &s.lead, &s.campaign, 5).await;
    app.as_user(&s.lead)
        .delete(&format!("/api/v1/reach/{}", second["id"].as_str().unwrap()))
        .await
        .ok(204)
        .await;
    app.as_user(&s.facilitator)
        .post(
            &format!("/api/v1/reach/{id}/verification"),
            json!({ "verified": true, "note": "Saw the photos." }),
        )
        .await
        .ok(200)
        .await;
    app.as_user(&s.lead)
        .patch(
            &format!("/api/v1/reach/{id}"),
            json!({ "people_reached": 70 }),
        )
        .await
        .problem(409, "reach_decided")
        .await;
    app.as_user(&s.lead)
        .delete(&format!("/api/v1/reach/{id}"))
        .await
        .problem(409, "reach_decided")
        .await;
    let goal = goal(&app).await;
    assert_eq!(goal["people_reached_reported"], 60);
    assert_eq!(goal["people_reached_verified"], 60);
}

#[tokio::test]
async fn verification_is_once_by_a_facilitator_recorded_and_told() {
    let app = TestApp::spawn().await;
    let s = approved(&app).await;
    let report = log(&app, &s.lead, &s.campaign, 3000).await;
    let id = report["id"].as_str().unwrap();
    let queue = app
        .as_user(&s.facilitator)
        .get(&format!(
            "/api/v1/moderation/reach?programme_id={}",
            s.programme
        ))
        .await
        .ok(200)
        .await;
    assert_eq!(queue["items"][0]["report"]["id"], id);
    assert_eq!(queue["items"][0]["campaign_title"], "Hils for faen");
    let path = format!("/api/v1/reach/{id}/verification");
    app.as_user(&s.facilitator)
        .post(
            &path,
            json!({ "verified": true, "note": "", "people_verified": 3001 }),
        )
        .await
        .problem(422, "validation_failed")
        .await;
    app.as_user(&s.lead)
        .post(&path, json!({ "verified": true, "note": "" }))
        .await
        .problem(404, "not_found")
        .await;
    app.run_jobs().await;
    let before = count_mails(&app.outbox(), "lead@example.no");
    let verified = app
        .as_user(&s.facilitator)
        .post(
            &path,
            json!({ "verified": true, "note": "Ticket counts agree.", "people_verified": 2500 }),
        )
        .await
        .ok(200)
        .await;
    assert_eq!(verified["status"], "verified");
    assert_eq!(verified["people_verified"], 2500);
    assert_eq!(verified["note"], "Ticket counts agree.");
    app.as_user(&s.facilitator)
        .post(
            &path,
            json!({ "verified": false, "note": "Changed my mind" }),
        )
        .await
        .problem(409, "reach_decided")
        .await;
    app.run_jobs().await;
    assert_eq!(count_mails(&app.outbox(), "lead@example.no"), before + 1);
    let audit = app
        .as_user(&s.facilitator)
        .get(&format!(
            "/api/v1/moderation/audit?programme_id={}",
            s.programme
        ))
        .await;
    // Facilitators do not read the audit trail; the city admin does.
    assert_eq!(audit.status(), 403);
    let admin = app.admin().await;
    let audit = app
        .as_user(&admin)
        .get(&format!(
            "/api/v1/moderation/audit?programme_id={}",
            s.programme
        ))
        .await
        .ok(200)
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"verify_reach"), "{actions:?}");
    let entry = &audit["items"][0];
    assert_eq!(entry["action"], "verify_reach");
    assert_eq!(entry["reach_report_id"], id);
    assert_eq!(entry["people_verified"], 2500);
    assert_eq!(entry["reason"], "Ticket counts agree.");
    let goal = goal(&app).await;
    assert_eq!(goal["people_reached_verified"], 2500);
    assert_eq!(goal["people_reached_reported"], 3000);
}

#[tokio::test]
async fn a_facilitator_in_the_team_cannot_verify_its_reach() {
    let app = TestApp::spawn().await;
    let s = approved(&app).await;
    let report = log(&app, &s.lead, &s.campaign, 30).await;
    // The lead becomes a facilitator of the programme too.
    let admin = app.admin().await;
    app.as_user(&admin)
        .post(
            &format!("/api/v1/programmes/{}/facilitators", s.programme),
            json!({ "email": "lead@example.no" }),
        )
        .await
        .ok(201)
        .await;
    app.as_user(&s.lead)
        .post(
            &verification(&report),
            json!({ "verified": true, "note": "" }),
        )
        .await
        .problem(409, "own_campaign")
        .await;
}

#[tokio::test]
async fn a_declined_report_counts_toward_no_figure() {
    let app = TestApp::spawn().await;
    let s = approved(&app).await;
    let report = log(&app, &s.lead, &s.campaign, 400).await;
    let path = format!(
        "/api/v1/reach/{}/verification",
        report["id"].as_str().unwrap()
    );
    app.as_user(&s.facilitator)
        .post(&path, json!({ "verified": false, "note": "" }))
        .await
        .problem(422, "validation_failed")
        .await;
    app.as_user(&s.facilitator)
        .post(
            &path,
            json!({ "verified": false, "note": "No photos or links to go by." }),
        )
        .await
        .ok(200)
        .await;
    let goal = goal(&app).await;
    assert_eq!(goal["people_reached_reported"], 0);
    assert_eq!(goal["people_reached_verified"], 0);
}

#[tokio::test]
async fn the_reach_export_is_excel_ready_and_defused() {
    let app = TestApp::spawn().await;
    let s = submitted(
        &app,
        "=HYPERLINK(\"https://evil.example\")",
        "A title that is a formula.",
    )
    .await;
    publish(&app, &s).await;
    let mut body = report(12, &app);
    body["description"] = json!("We met; said \"hi\"; left.\nThen again.");
    app.as_user(&s.lead)
        .post(&format!("/api/v1/campaigns/{}/reach", s.campaign), body)
        .await
        .ok(201)
        .await;
    let path = format!("/api/v1/programmes/{}/reach/export?format=csv", s.programme);
    let response = s.facilitator.get(app.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let bytes = response.bytes().await.unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a byte order mark for Excel"
    );
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.starts_with("report_id;campaign;team;"), "{text}");
    assert!(text.contains("\r\n"));
    assert!(
        text.contains("'=HYPERLINK"),
        "the formula is defused: {text}"
    );
    assert!(!text.contains(";=HYPERLINK"));
    assert!(
        text.contains("\"We met; said \"\"hi\"\"; left.\nThen again.\""),
        "{text}"
    );
    let comma = s
        .facilitator
        .get(app.url(&format!("{path}&sep=comma")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(comma
        .trim_start_matches('\u{feff}')
        .starts_with("report_id,campaign,team,"));
    // The team itself does not export.
    app.as_user(&s.lead)
        .get(&path)
        .await
        .problem(403, "forbidden")
        .await;
}

#[tokio::test]
async fn evidence_photos_stay_private_and_go_with_their_report() {
    use changemakers::media::fixtures;
    let app = TestApp::spawn().await;
    let s = approved(&app).await;
    let report = log(&app, &s.lead, &s.campaign, 300).await;
    let path = format!("/api/v1/reach/{}/evidence", report["id"].as_str().unwrap());
    let mut photos = Vec::new();
    for n in 0..3 {
        let sent = crate::helpers::upload_to(
            &app,
            &s.lead,
            &path,
            fixtures::photo(Some(&fixtures::exif_with_gps())),
            "proof.jpg",
            Some(&format!("The crowd at the gate, {n}")),
        )
        .await;
        photos.push(crate::helpers::accepted_id(sent).await);
    }
    let fourth =
        crate::helpers::upload_to(&app, &s.lead, &path, fixtures::photo(None), "p.jpg", None).await;
    crate::helpers::assert_problem(fourth, 409, "too_much_evidence").await;
    let video = crate::helpers::upload_to(
        &app,
        &s.lead,
        &path,
        fixtures::mp4_with_location(),
        "clip.mp4",
        None,
    )
    .await;
    assert_eq!(video.status(), 415, "evidence is a photo");
    let by_facilitator = crate::helpers::upload_to(
        &app,
        &s.facilitator,
        &path,
        fixtures::photo(None),
        "p.jpg",
        None,
    )
    .await;
    assert_eq!(by_facilitator.status(), 403);
    app.run_jobs().await;

    // The team and the facilitator see it with the report; the campaign's
    // own media and its public page do not.
    let list = app
        .as_user(&s.lead)
        .get(&format!("/api/v1/campaigns/{}/reach", s.campaign))
        .await
        .ok(200)
        .await;
    let evidence = list["items"][0]["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 3);
    assert_eq!(evidence[0]["status"], "ready");
    assert_eq!(evidence[0]["public"], false);
    let queue = app
        .as_user(&s.facilitator)
        .get("/api/v1/moderation/reach")
        .await
        .ok(200)
        .await;
    assert_eq!(
        queue["items"][0]["report"]["evidence"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let campaign = app
        .as_user(&s.lead)
        .get(&format!("/api/v1/campaigns/{}", s.campaign))
        .await
        .ok(200)
        .await;
    assert!(campaign["media"].as_array().unwrap().is_empty());
    // A new approval publishes the campaign's media, never the evidence.
    let version = campaign["version"].as_i64().unwrap();
    let (_, version) = crate::helpers::submit(&app, &s.lead, &s.campaign, version).await;
    let ok = decide(&app, &s.facilitator, &s.campaign, "approve", None, version).await;
    assert_eq!(ok.status(), 200);
    let public = app
        .as_user(&TestApp::anonymous())
        .get(&format!("/api/v1/public/campaigns/{}", s.slug))
        .await
        .ok(200)
        .await;
    assert!(public["media"].as_array().unwrap().is_empty());
    let file = TestApp::anonymous()
        .get(app.url(&format!("/media/{}/w320.jpg", photos[0])))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 404, "no public address serves evidence");

    // Deleting the report deletes its photos, rows and files.
    app.as_user(&s.lead)
        .delete(&format!("/api/v1/reach/{}", report["id"].as_str().unwrap()))
        .await
        .ok(204)
        .await;
    for id in &photos {
        app.as_user(&s.lead)
            .get(&format!("/api/v1/media/{id}"))
            .await
            .problem(404, "not_found")
            .await;
    }
    assert!(app.state.storage.list("media").await.unwrap().is_empty());
    assert!(app
        .state
        .storage
        .list("originals")
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_decided_report_takes_no_more_evidence_and_unknown_reports_are_404() {
    let app = TestApp::spawn().await;
    let s = approved(&app).await;
    let report = log(&app, &s.lead, &s.campaign, 12).await;
    app.as_user(&s.facilitator)
        .post(
            &verification(&report),
            json!({ "verified": true, "note": "" }),
        )
        .await
        .ok(200)
        .await;
    let late = crate::helpers::upload_to(
        &app,
        &s.lead,
        &format!("/api/v1/reach/{}/evidence", report["id"].as_str().unwrap()),
        changemakers::media::fixtures::photo(None),
        "p.jpg",
        None,
    )
    .await;
    crate::helpers::assert_problem(late, 409, "reach_decided").await;
    let unknown = uuid::Uuid::now_v7();
    app.as_user(&s.facilitator)
        .post(
            &format!("/api/v1/reach/{unknown}/verification"),
            json!({ "verified": true, "note": "" }),
        )
        .await
        .problem(404, "not_found")
        .await;
    app.as_user(&s.lead)
        .patch(
            &format!("/api/v1/reach/{unknown}"),
            json!({ "people_reached": 3 }),
        )
        .await
        .problem(404, "not_found")
        .await;
    assert!(
        app.state
            .storage
            .list("originals")
            .await
            .unwrap()
            .is_empty(),
        "nothing of a refused upload is kept"
    );
}
