//! A person's sessions: listed with their devices, ended one by one by their
//! owner only, and all at once; an ended session stops working at once.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{assert_problem, json, TestApp, PUBLIC_URL};

const PHONE: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
const LAPTOP: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

async fn sessions(app: &TestApp, client: &Client) -> Vec<Value> {
    json(
        client
            .get(app.url("/api/v1/me/sessions"))
            .send()
            .await
            .unwrap(),
    )
    .await
    .as_array()
    .unwrap()
    .clone()
}

async fn me_status(app: &TestApp, client: &Client) -> StatusCode {
    client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .status()
}

async fn end(app: &TestApp, client: &Client, path: &str) -> reqwest::Response {
    client
        .delete(app.url(path))
        .header("origin", PUBLIC_URL)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_person_sees_where_they_are_signed_in_and_ends_one() {
    let app = TestApp::spawn().await;
    let (_, phone) = app.sign_in_on("ada@example.no", Some(PHONE)).await;
    let (_, laptop) = app.sign_in_on("ada@example.no", Some(LAPTOP)).await;

    let listed = sessions(&app, &phone).await;
    assert_eq!(listed.len(), 2);
    let by_device = |device: &str| {
        listed
            .iter()
            .find(|s| s["device"] == device)
            .unwrap_or_else(|| panic!("{device} in {listed:?}"))
            .clone()
    };
    let (on_phone, on_laptop) = (
        by_device("Chrome on Android"),
        by_device("Firefox on Linux"),
    );
    assert_eq!(on_phone["current"], true);
    assert_eq!(on_laptop["current"], false);
    // Nothing more of the browser than its family and system is kept.
    assert!(!listed.iter().any(|s| s.to_string().contains("126.0")));

    // From the phone, the laptop is signed out, and it notices at once.
    let id = on_laptop["id"].as_str().unwrap();
    let ended = end(&app, &phone, &format!("/api/v1/me/sessions/{id}")).await;
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    assert_eq!(me_status(&app, &laptop).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me_status(&app, &phone).await, StatusCode::OK);
    assert_eq!(sessions(&app, &phone).await.len(), 1);
    // Twice is nothing to end.
    assert_problem(
        end(&app, &phone, &format!("/api/v1/me/sessions/{id}")).await,
        404,
        "not_found",
    )
    .await;

    // Ending this very session signs the phone out too, cookie and all.
    let own = on_phone["id"].as_str().unwrap();
    let ended = end(&app, &phone, &format!("/api/v1/me/sessions/{own}")).await;
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    let cookie = ended.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("Max-Age=0") || cookie.contains("max-age=0"),
        "{cookie}"
    );
    assert_eq!(me_status(&app, &phone).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn nobody_else_can_see_or_end_a_persons_sessions() {
    let app = TestApp::spawn().await;
    let (_, ada) = app.sign_in("ada@example.no").await;
    let (_, bo) = app.sign_in("bo@example.no").await;
    let adas = sessions(&app, &ada).await;
    assert_eq!(adas.len(), 1);
    assert_eq!(
        sessions(&app, &bo).await.len(),
        1,
        "each sees only their own"
    );
    let id = adas[0]["id"].as_str().unwrap();
    assert_problem(
        end(&app, &bo, &format!("/api/v1/me/sessions/{id}")).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(me_status(&app, &ada).await, StatusCode::OK);
    assert_problem(
        end(
            &app,
            &TestApp::anonymous(),
            &format!("/api/v1/me/sessions/{id}"),
        )
        .await,
        401,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session() {
    let app = TestApp::spawn().await;
    let (_, phone) = app.sign_in_on("ada@example.no", Some(PHONE)).await;
    let (_, laptop) = app.sign_in_on("ada@example.no", Some(LAPTOP)).await;
    let (_, other) = app.sign_in("bo@example.no").await;
    let ended = end(&app, &laptop, "/api/v1/me/sessions").await;
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    assert_eq!(me_status(&app, &phone).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me_status(&app, &laptop).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        me_status(&app, &other).await,
        StatusCode::OK,
        "only her own"
    );
    // Signing in again works as ever.
    let (_, again) = app.sign_in("ada@example.no").await;
    assert_eq!(sessions(&app, &again).await.len(), 1);
}
