//! The server's own words follow the person: field errors carry a stable
//! code for the app to translate, and `title`, `detail` and `message` are
//! in the signed-in person's language, or `Accept-Language` when signed out.

use reqwest::{Client, Method};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, send, team_setup, TestApp, PUBLIC_URL};

async fn speak(app: &TestApp, client: &Client, locale: &str) {
    let response = send(
        app,
        client,
        Method::PATCH,
        "/api/v1/me",
        Some(json!({ "locale": locale })),
    )
    .await;
    assert_eq!(response.status(), 200);
}

fn field<'a>(body: &'a Value, name: &str) -> &'a Value {
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == name)
        .unwrap_or_else(|| panic!("no error for {name} in {body}"))
}

#[tokio::test]
async fn a_swedish_speaker_is_answered_in_swedish() {
    let app = TestApp::spawn().await;
    let (_, _, lead, team) = team_setup(&app).await;
    let created = app
        .as_user(&lead)
        .post(
            &format!("/api/v1/teams/{team}/campaigns"),
            json!({ "title": "Hej", "summary": "", "body": "", "theme": "youth" }),
        )
        .await
        .ok(201)
        .await;
    let submit = format!(
        "/api/v1/campaigns/{}/submit",
        created["id"].as_str().unwrap()
    );
    let version = created["version"].clone();

    // In English first: the specific message written where the error is made.
    let english = app
        .as_user(&lead)
        .post(&submit, json!({ "version": version }))
        .await
        .problem(422, "validation_failed")
        .await;
    assert_eq!(field(&english, "summary")["code"], "required");
    assert_eq!(
        field(&english, "summary")["message"],
        "write a summary before submitting"
    );

    speak(&app, &lead, "sv").await;
    let swedish = app
        .as_user(&lead)
        .post(&submit, json!({ "version": version }))
        .await
        .problem(422, "validation_failed")
        .await;
    assert_eq!(swedish["title"], "Några fält behöver rättas");
    assert_eq!(
        swedish["detail"],
        "Några fält behöver rättas innan det här kan sparas."
    );
    for name in ["summary", "body"] {
        assert_eq!(field(&swedish, name)["code"], "required");
        assert_eq!(
            field(&swedish, name)["message"],
            "Det här fältet måste fyllas i."
        );
    }

    // A conflict, too: the detail a person reads after a teammate's edit.
    let stale = app
        .as_user(&lead)
        .patch(
            &format!("/api/v1/campaigns/{}", created["id"].as_str().unwrap()),
            json!({ "summary": "x", "version": 999 }),
        )
        .await
        .problem(409, "version_conflict")
        .await;
    assert_eq!(stale["title"], "Konflikt");
    assert!(
        stale["detail"]
            .as_str()
            .unwrap()
            .starts_with("Någon annan har ändrat"),
        "{stale}"
    );

    // A limit keeps its number, written the Swedish way.
    let long = app
        .as_user(&lead)
        .patch(
            &format!("/api/v1/campaigns/{}", created["id"].as_str().unwrap()),
            json!({ "summary": "å".repeat(301), "version": version }),
        )
        .await
        .problem(422, "validation_failed")
        .await;
    let summary = field(&long, "summary");
    assert_eq!(summary["code"], "too_long");
    assert_eq!(summary["max"], 300);
    assert_eq!(summary["message"], "Använd högst 300 tecken.");
}

#[tokio::test]
async fn signed_out_visitors_are_answered_in_the_language_they_ask_for() {
    let app = TestApp::spawn().await;
    let ask = |language: &'static str| {
        Client::new()
            .post(app.url("/api/v1/auth/email"))
            .header("origin", PUBLIC_URL)
            .header("accept-language", language)
            .json(&json!({ "email": "not an address" }))
            .send()
    };
    let norwegian = assert_problem(
        ask("nb-NO,nb;q=0.9,en;q=0.5").await.unwrap(),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(norwegian["title"], "Noen felt må rettes");
    assert_eq!(field(&norwegian, "email")["code"], "invalid_format");
    assert_eq!(
        field(&norwegian, "email")["message"],
        "Dette har ikke riktig format."
    );
    // Nynorsk and plain "no" read bokmål; a language the platform does not
    // speak falls back to English.
    let nynorsk = assert_problem(ask("nn").await.unwrap(), 422, "validation_failed").await;
    assert_eq!(nynorsk["title"], "Noen felt må rettes");
    let german = assert_problem(ask("de-DE").await.unwrap(), 422, "validation_failed").await;
    assert_eq!(german["title"], "Unprocessable Entity");
    assert_eq!(
        field(&german, "email")["message"],
        "an email address has no spaces"
    );

    // The framework's own refusals speak too: an unknown address.
    let missing = Client::new()
        .get(app.url("/api/v1/campaigns/00000000-0000-7000-8000-000000000000"))
        .header("accept-language", "fi")
        .send()
        .await
        .unwrap();
    let body = assert_problem(missing, 401, "unauthorized").await;
    assert_eq!(body["detail"], "Kirjaudu sisään jatkaaksesi.");
}

#[tokio::test]
async fn each_field_code_of_the_contract_is_given() {
    let app = TestApp::spawn().await;
    let (programme, facilitator, lead, team) = team_setup(&app).await;
    let admin = app.admin().await;
    let code_of = |body: &Value, name: &str| field(body, name)["code"].as_str().unwrap().to_owned();

    // required, not_allowed: a missing field and one the body may not have.
    let missing = app
        .as_user(&lead)
        .post(
            &format!("/api/v1/teams/{team}/campaigns"),
            json!({ "theme": "youth" }),
        )
        .await
        .problem(422, "validation_failed")
        .await;
    assert_eq!(code_of(&missing, "title"), "required");
    let extra = app
        .as_user(&lead)
        .post(
            &format!("/api/v1/teams/{team}/campaigns"),
            json!({ "title": "Hei", "theme": "youth", "admin": true }),
        )
        .await
        .problem(422, "validation_failed")
        .await;
    assert_eq!(code_of(&extra, "admin"), "not_allowed");

    // too_short, too_long, invalid_format: a city's slug and name.
    let short = app
        .as_user(&admin)
        .post(
            "/api/v1/cities",
            json!({ "slug": "a", "name": "n".repeat(121), "country": "NO" }),
        )
        .await
        .problem(422, "validation_failed")
        .await;
    assert_eq!(code_of(&short, "slug"), "too_short");
    assert_eq!(field(&short, "slug")["min"], 2);
    assert_eq!(code_of(&short, "name"), "too_long");
    let format = app
        .as_user(&admin)
        .post(
            "/api/v1/cities",
            json!({ "slug": "Not A Slug", "name": "Bergen", "country": "NO" }),
        )
        .await
        .problem(422, "validation_failed")
        .await;
    assert_eq!(code_of(&format, "slug"), "invalid_format");

    // out_of_range: a programme's target.
    let range = app
        .as_user(&admin)
        .patch(
            &format!("/api/v1/programmes/{programme}"),
            json!({ "changemaker_target": 0 }),
        )
        .await;
    let range = range.problem(422, "validation_failed").await;
    assert_eq!(code_of(&range, "changemaker_target"), "out_of_range");
    assert_eq!(field(&range, "changemaker_target")["max"], 100_000);

    // in_the_future: training marked tomorrow.
    let people = app
        .as_user(&facilitator)
        .get(&format!("/api/v1/programmes/{programme}/participants"))
        .await
        .ok(200)
        .await;
    let lead_id = people.as_array().unwrap()[0]["user_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let tomorrow = app.clock.now().date_naive().succ_opt().unwrap();
    let future = app
        .as_user(&facilitator)
        .post(
            &format!("/api/v1/programmes/{programme}/participants/{lead_id}/training"),
            json!({ "trained_on": tomorrow.to_string() }),
        )
        .await
        .problem(422, "validation_failed")
        .await;
    assert_eq!(code_of(&future, "trained_on"), "in_the_future");
}
