//! Faults survived without a restart: every PostgreSQL connection killed
//! under the platform (`pg_terminate_backend`) gets 503 problems at worst,
//! never a 500, and the next requests work again by themselves; a session
//! that cannot be checked for an outage is 503, never 401.

use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;

use crate::helpers::{TestApp, PUBLIC_URL};

#[tokio::test]
async fn killed_database_connections_give_503_at_worst_and_recover_by_themselves() {
    let app = TestApp::spawn().await;
    let (Some(database), Ok(admin)) = (
        app.postgres_database(),
        std::env::var("CHANGEMAKERS_TEST_POSTGRES_URL"),
    ) else {
        return; // PostgreSQL only
    };
    let (_, client) = app.sign_in("ada@example.no").await;
    let profile = |name: &'static str| {
        client
            .patch(app.url("/api/v1/me"))
            .header("origin", PUBLIC_URL)
            .json(&json!({ "display_name": name }))
            .send()
    };
    assert_eq!(profile("Ada").await.unwrap().status(), StatusCode::OK);

    let mut killer = sqlx::PgConnection::connect(&admin).await.unwrap();
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = $1 AND pid <> pg_backend_pid()",
    )
    .bind(&database)
    .fetch_all(&mut killer)
    .await
    .unwrap();
    assert!(!killed.is_empty(), "the platform had connections to kill");

    // Right after: each answer is a success or a clear 503, never a 500.
    let mut statuses = Vec::new();
    for name in ["Ada L", "Ada Lo", "Ada Lov"] {
        let response = profile(name).await.unwrap();
        let status = response.status();
        if status != StatusCode::OK {
            assert_eq!(
                status,
                StatusCode::SERVICE_UNAVAILABLE,
                "{}",
                response.text().await.unwrap()
            );
        }
        statuses.push(status.as_u16());
        let read = TestApp::anonymous()
            .get(app.url("/api/v1/cities"))
            .send()
            .await
            .unwrap();
        assert!(
            read.status() == StatusCode::OK || read.status() == StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            read.status()
        );
    }
    // And then it works again, without a restart.
    assert_eq!(
        profile("Ada Lovelace").await.unwrap().status(),
        StatusCode::OK
    );
    let me: serde_json::Value = client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["display_name"], "Ada Lovelace");
    let ready = TestApp::anonymous()
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    println!("after pg_terminate_backend: {statuses:?}");
}

/// When the session cannot be checked because the database is away, the
/// answer is 503 (try again), never 401: a client told 401 signs its
/// person out.
#[tokio::test]
async fn a_database_outage_while_checking_the_session_is_503_not_401() {
    let app = TestApp::spawn().await;
    let (token, client) = app.sign_in("ada@example.no").await;
    app.state.db.close().await;
    let by_cookie = client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(by_cookie.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        by_cookie.headers()["content-type"],
        "application/problem+json"
    );
    let by_bearer = TestApp::anonymous()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(by_bearer.status(), StatusCode::SERVICE_UNAVAILABLE);
    // Signed out is still 401.
    let nobody = TestApp::anonymous()
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(nobody.status(), StatusCode::UNAUTHORIZED);
}
