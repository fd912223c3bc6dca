//! The problem+json shape for every error status the API answers with.

use reqwest::Client;
use serde_json::json;

use crate::helpers::{assert_problem, TestApp};

#[tokio::test]
async fn bad_input_gets_a_problem_never_a_500() {
    let app = TestApp::spawn().await;
    let (token, _) = app.sign_in("shape@example.no").await;
    let client = Client::new();
    let post = |body: &'static str, content_type: &'static str| {
        client
            .post(app.url("/api/v1/cities"))
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };

    // 400: not JSON at all.
    assert_problem(
        post("{\"slug\": ", "application/json").await.unwrap(),
        400,
        "malformed_json",
    )
    .await;
    assert_problem(
        post("", "application/json").await.unwrap(),
        400,
        "malformed_json",
    )
    .await;
    // 415: a form post or a missing content type.
    assert_problem(
        post("slug=x", "application/x-www-form-urlencoded")
            .await
            .unwrap(),
        415,
        "unsupported_media_type",
    )
    .await;
    let no_type = client
        .post(app.url("/api/v1/auth/email"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_problem(no_type, 415, "unsupported_media_type").await;
    // 422: missing and unknown fields, wrong types.
    let body = assert_problem(
        post("{}", "application/json").await.unwrap(),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "slug");
    let unknown = post(
        r#"{"slug":"a1","name":"A","country":"NO","admin":true}"#,
        "application/json",
    )
    .await
    .unwrap();
    let body = assert_problem(unknown, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "admin");
    let wrong_type = post(
        r#"{"slug":5,"name":"A","country":"NO"}"#,
        "application/json",
    )
    .await
    .unwrap();
    let body = assert_problem(wrong_type, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "slug");
    // 403 for a person without the role, even with a valid body.
    let valid = post(
        r#"{"slug":"oslo","name":"Oslo","country":"NO"}"#,
        "application/json; charset=utf-8",
    );
    assert_problem(valid.await.unwrap(), 403, "forbidden").await;
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let app = TestApp::spawn().await;
    let big = json!({ "email": "a@example.no", "padding": "x".repeat(70 * 1024) });
    let response = Client::new()
        .post(app.url("/api/v1/auth/email"))
        .json(&big)
        .send()
        .await
        .unwrap();
    assert_problem(response, 413, "payload_too_large").await;

    // Without a Content-Length (chunked), the cap still holds.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..80).map(|_| Ok(vec![b' '; 1024])).collect();
    let stream = futures_util::stream::iter(chunks);
    let response = Client::new()
        .post(app.url("/api/v1/auth/email"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap();
    assert_problem(response, 413, "payload_too_large").await;
}

#[tokio::test]
async fn unknown_things_get_404_and_401() {
    let app = TestApp::spawn().await;
    let client = Client::new();
    let response = client
        .get(app.url("/api/v1/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert_problem(response, 404, "not_found").await;
    let response = client
        .get(app.url("/api/v1/programmes/not-a-uuid"))
        .send()
        .await
        .unwrap();
    assert_problem(response, 404, "not_found").await;
    let response = client
        .get(app.url("/api/v1/me"))
        .bearer_auth("x".repeat(43))
        .send()
        .await
        .unwrap();
    assert_problem(response, 401, "unauthorized").await;
    let response = client
        .delete(app.url("/api/v1/cities"))
        .send()
        .await
        .unwrap();
    assert_problem(response, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn conflicts_get_409() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.create_city(&admin, "larvik", "Larvik").await;
    let again = admin
        .post(app.url("/api/v1/cities"))
        .json(&json!({ "slug": "larvik", "name": "Larvik", "country": "NO" }))
        .send()
        .await
        .unwrap();
    let body = assert_problem(again, 409, "slug_taken").await;
    assert_eq!(body["type"], "urn:changemakers:problem:slug_taken");
    assert_eq!(body["title"], "Conflict");
}
