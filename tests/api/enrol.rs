//! Enrolment and the minimum age, counted by birth year only: a person counts
//! as 13 from 1 January of the year they turn 13.

use chrono::Datelike;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, programme_body, TestApp, PUBLIC_URL};

async fn programme(app: &TestApp, ends_on: Option<&str>) -> String {
    let admin = app.admin().await;
    app.create_city(&admin, "larvik", "Larvik").await;
    let mut body = programme_body("kominn");
    let year = app.clock.now().year();
    body["starts_on"] = json!(format!("{}-01-01", year - 1));
    body["ends_on"] = json!(ends_on.map_or(format!("{}-12-31", year + 1), str::to_owned));
    let response = admin
        .post(app.url("/api/v1/cities/larvik/programmes"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let created: Value = response.json().await.unwrap();
    created["id"].as_str().unwrap().to_owned()
}

async fn person(app: &TestApp, email: &str, birth_year: Option<i32>) -> Client {
    let (_, client) = app.sign_in(email).await;
    if let Some(year) = birth_year {
        let response = client
            .patch(app.url("/api/v1/me"))
            .header("origin", PUBLIC_URL)
            .json(&json!({ "birth_year": year }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    client
}

async fn enrol(app: &TestApp, client: &Client, id: &str) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/v1/programmes/{id}/enrol")))
        .header("origin", PUBLIC_URL)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_age_gate_holds_at_the_boundary_years() {
    let app = TestApp::spawn().await;
    let id = programme(&app, None).await;
    let year = app.state.clock.now().year();

    let turns_13 = person(&app, "thirteen@example.no", Some(year - 13)).await;
    let response = enrol(&app, &turns_13, &id).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["programme_id"], id.as_str());
    assert_eq!(
        enrol(&app, &turns_13, &id).await.status(),
        StatusCode::OK,
        "twice is fine"
    );

    let turns_12 = person(&app, "twelve@example.no", Some(year - 12)).await;
    let problem = assert_problem(enrol(&app, &turns_12, &id).await, 403, "under_minimum_age").await;
    assert!(problem["detail"].as_str().unwrap().contains("13"));

    let older = person(&app, "older@example.no", Some(year - 25)).await;
    assert_eq!(enrol(&app, &older, &id).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_gate_opens_on_new_year() {
    let app = TestApp::spawn().await;
    let id = programme(&app, None).await;
    let year = app.state.clock.now().year();
    let client = person(&app, "soon@example.no", Some(year - 12)).await;
    assert_problem(enrol(&app, &client, &id).await, 403, "under_minimum_age").await;
    // Move the clock to 1 January next year: the person now turns 13 this year.
    let now = app.state.clock.now();
    let new_year = chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 1)
        .unwrap()
        .and_utc();
    app.clock.advance(new_year - now);
    // The session would have expired over a long jump; sign in afresh.
    let client = person(&app, "soon@example.no", None).await;
    assert_eq!(enrol(&app, &client, &id).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_birth_year_is_needed_and_ended_programmes_are_closed() {
    let app = TestApp::spawn().await;
    let id = programme(&app, None).await;
    let unknown = person(&app, "noyear@example.no", None).await;
    assert_problem(enrol(&app, &unknown, &id).await, 403, "birth_year_required").await;
    let missing = enrol(&app, &unknown, &uuid::Uuid::now_v7().to_string()).await;
    assert_problem(missing, 404, "not_found").await;
    assert_problem(enrol(&app, &Client::new(), &id).await, 401, "unauthorized").await;

    let app = TestApp::spawn().await;
    let year = app.clock.now().year();
    let ended = programme(&app, Some(&format!("{}-06-30", year - 1))).await;
    let client = person(&app, "late@example.no", Some(year - 16)).await;
    assert_problem(enrol(&app, &client, &ended).await, 409, "programme_ended").await;
}
