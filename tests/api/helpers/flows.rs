//! The set-ups tests share, all through the API as people use it: a team
//! with a campaign, uploads, submissions and decisions.

use changemakers::db::on_db;
use reqwest::{multipart, Client, Method, StatusCode};
use serde_json::{json, Value};

use super::{running_programme, send, team_setup, young_person, TestApp, PUBLIC_URL};

pub struct Setup {
    pub campaign: String,
    pub lead: Client,
    pub facilitator: Client,
}

pub async fn setup(app: &TestApp) -> Setup {
    let (programme, facilitator) = running_programme(app).await;
    let lead = young_person(app, "lead@example.no").await;
    let team: Value = send(
        app,
        &lead,
        Method::POST,
        &format!("/api/v1/programmes/{programme}/teams"),
        Some(json!({ "name": "Team Sol" })),
    )
    .await
    .json()
    .await
    .unwrap();
    let campaign: Value = send(
        app,
        &lead,
        Method::POST,
        &format!("/api/v1/teams/{}/campaigns", team["id"].as_str().unwrap()),
        Some(json!({ "title": "Hils", "summary": "Say hi", "body": "At the gate.", "theme": "youth" })),
    )
    .await
    .json()
    .await
    .unwrap();
    Setup {
        campaign: campaign["id"].as_str().unwrap().to_owned(),
        lead,
        facilitator,
    }
}

pub async fn upload(
    app: &TestApp,
    client: &Client,
    campaign: &str,
    bytes: Vec<u8>,
    name: &str,
    alt: Option<&str>,
) -> reqwest::Response {
    let path = format!("/api/v1/campaigns/{campaign}/media");
    upload_to(app, client, &path, bytes, name, alt).await
}

/// Sends a file as a media upload form to `path`.
pub async fn upload_to(
    app: &TestApp,
    client: &Client,
    path: &str,
    bytes: Vec<u8>,
    name: &str,
    alt: Option<&str>,
) -> reqwest::Response {
    let mut form = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str("image/jpeg")
            .unwrap(),
    );
    if let Some(alt) = alt {
        form = form
            .text("alt_text", alt.to_owned())
            .text("consent_confirmed", "true");
    }
    client
        .post(app.url(path))
        .header("origin", PUBLIC_URL)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The media item once the background work has run.
pub async fn settled(app: &TestApp, client: &Client, id: &str) -> Value {
    app.run_jobs().await;
    let media: Value = client
        .get(app.url(&format!("/api/v1/media/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_ne!(media["status"], "processing", "media {id} still processing");
    media
}

/// Submits the campaign (when it is a draft) as its lead, and approves it as
/// the facilitator: the whole way through the API, as people do.
pub async fn approve(app: &TestApp, s: &Setup) {
    let path = format!("/api/v1/campaigns/{}", s.campaign);
    let campaign = app.as_user(&s.lead).get(&path).await.ok(200).await;
    let mut version = campaign["version"].as_i64().unwrap();
    if campaign["status"] != "submitted" {
        version = submit(app, &s.lead, &s.campaign, version).await.1;
    }
    let approved = decide(app, &s.facilitator, &s.campaign, "approve", None, version).await;
    assert_eq!(approved.status(), StatusCode::OK);
}

/// The id of an upload that was accepted for processing.
pub async fn accepted_id(response: reqwest::Response) -> String {
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "processing");
    body["id"].as_str().unwrap().to_owned()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

pub struct Submitted {
    pub programme: String,
    pub team: String,
    pub campaign: String,
    pub slug: String,
    pub version: i64,
    pub lead: Client,
    pub facilitator: Client,
}

/// A programme, a team with its lead, and a campaign submitted with `body`.
pub async fn submitted(app: &TestApp, title: &str, body: &str) -> Submitted {
    let (programme, facilitator, lead, team) = team_setup(app).await;
    let (campaign, slug, version) = submit_new(app, &lead, &team, title, body).await;
    Submitted {
        programme,
        team,
        campaign,
        slug,
        version,
        lead,
        facilitator,
    }
}

/// Starts a campaign as a draft; returns (id, version).
pub async fn draft(
    app: &TestApp,
    lead: &Client,
    team: &str,
    title: &str,
    body: &str,
) -> (String, i64) {
    let created: Value = send(
        app,
        lead,
        Method::POST,
        &format!("/api/v1/teams/{team}/campaigns"),
        Some(json!({ "title": title, "summary": "Say hello to someone new.", "body": body, "theme": "youth" })),
    )
    .await
    .json()
    .await
    .unwrap();
    (
        created["id"].as_str().unwrap().to_owned(),
        created["version"].as_i64().unwrap(),
    )
}

/// Submits a campaign; returns (slug, version).
pub async fn submit(app: &TestApp, lead: &Client, id: &str, version: i64) -> (String, i64) {
    let response = send(
        app,
        lead,
        Method::POST,
        &format!("/api/v1/campaigns/{id}/submit"),
        Some(json!({ "version": version })),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let submitted: Value = response.json().await.unwrap();
    (
        submitted["slug"].as_str().unwrap().to_owned(),
        submitted["version"].as_i64().unwrap(),
    )
}

/// Creates and submits a campaign; returns (id, slug, version).
pub async fn submit_new(
    app: &TestApp,
    lead: &Client,
    team: &str,
    title: &str,
    body: &str,
) -> (String, String, i64) {
    let (id, version) = draft(app, lead, team, title, body).await;
    let (slug, version) = submit(app, lead, &id, version).await;
    (id, slug, version)
}

pub async fn decide(
    app: &TestApp,
    client: &Client,
    campaign: &str,
    decision: &str,
    feedback: Option<&str>,
    version: i64,
) -> reqwest::Response {
    send(
        app,
        client,
        Method::POST,
        &format!("/api/v1/campaigns/{campaign}/decision"),
        Some(json!({ "decision": decision, "feedback": feedback, "version": version })),
    )
    .await
}

pub async fn json(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

pub async fn audit_count(app: &TestApp, campaign: &str) -> i64 {
    let id: uuid::Uuid = campaign.parse().unwrap();
    on_db!(&app.state.db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM moderation_audit WHERE campaign_id = $1"
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap())
}
