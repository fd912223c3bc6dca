use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, TestApp, PUBLIC_URL};

#[tokio::test]
async fn a_person_reads_and_changes_their_profile() {
    let app = TestApp::spawn().await;
    let (_, browser) = app.sign_in("maja@example.no").await;
    let me: Value = browser
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "maja@example.no");
    assert_eq!(me["locale"], "en");
    assert_eq!(me["roles"], json!([]));
    assert_eq!(me["teams"], json!([]));

    let response = browser
        .patch(app.url("/api/v1/me"))
        .header("origin", PUBLIC_URL)
        .json(&json!({ "display_name": "  Maja Ø. ", "birth_year": 2010, "locale": "nb" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["display_name"], "Maja Ø.");
    assert_eq!(me["birth_year"], 2010);
    assert_eq!(me["locale"], "nb");

    let again: Value = browser
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["display_name"], "Maja Ø.");
}

#[tokio::test]
async fn bad_profile_values_name_their_fields() {
    let app = TestApp::spawn().await;
    let (token, _) = app.sign_in("bad@example.no").await;
    let patch = |body: Value| {
        reqwest::Client::new()
            .patch(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let body = assert_problem(
        patch(json!({ "display_name": "   ", "birth_year": 3000 }))
            .await
            .unwrap(),
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["display_name", "birth_year"]);
    let body = assert_problem(
        patch(json!({ "locale": "de" })).await.unwrap(),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "locale");
}
