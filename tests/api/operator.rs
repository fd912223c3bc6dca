//! Operator commands and housekeeping.

use changemakers::{
    db::{self, on_db},
    service::operator,
};
use chrono::Duration;
use serde_json::Value;

use crate::helpers::TestApp;

#[tokio::test]
async fn seed_demo_fills_larvik_once() {
    let app = TestApp::spawn().await;
    let first = operator::seed_demo(&app.state).await.unwrap();
    let second = operator::seed_demo(&app.state).await.unwrap();
    assert!(first.starts_with("Demo ready"), "{first}");
    assert!(second.starts_with("Demo already present"), "{second}");
    let cities: Value = TestApp::anonymous()
        .get(app.url("/api/v1/cities"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cities.as_array().unwrap().len(), 1);
    assert_eq!(cities[0]["name"], "Larvik");
    assert_eq!(cities[0]["country"], "NO");
    let page: Value = TestApp::anonymous()
        .get(app.url("/api/v1/cities/larvik/programmes"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["kind"], "kominn");
    assert_eq!(page["items"][0]["locale"], "nb");

    // People, teams and campaigns in every status; some trained.
    assert_eq!(
        changemakers::service::training::count_trained(&app.state)
            .await
            .unwrap(),
        5
    );
    let statuses: Vec<String> = on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT DISTINCT status FROM campaigns ORDER BY status"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(
        statuses,
        [
            "approved",
            "archived",
            "changes_requested",
            "draft",
            "rejected",
            "submitted"
        ]
    );
    let (_, kari) = app.sign_in("kari@demo.changemakers.example").await;
    let programme = page["items"][0]["id"].as_str().unwrap();
    let participants: Value = kari
        .get(app.url(&format!("/api/v1/programmes/{programme}/participants")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(participants.as_array().unwrap().len(), 8);
    let teams: Value = kari
        .get(app.url(&format!("/api/v1/programmes/{programme}/teams")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(teams.as_array().unwrap().len(), 3);
    let (_, maja) = app.sign_in("maja@demo.changemakers.example").await;
    let me: Value = maja
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let team = me["teams"][0]["id"].as_str().unwrap();
    let campaigns: Value = maja
        .get(app.url(&format!("/api/v1/teams/{team}/campaigns")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let approved = campaigns
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "approved")
        .unwrap();
    assert!(approved["feedback"].as_str().unwrap().contains("godkjent"));
}

#[tokio::test]
async fn create_admin_grants_the_role_once() {
    let app = TestApp::spawn().await;
    app.make_admin("boss@example.no").await;
    app.make_admin("boss@example.no").await;
    let (_, client) = app.sign_in("boss@example.no").await;
    let me: Value = client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["roles"].as_array().unwrap().len(), 1);
    assert_eq!(me["roles"][0]["role"], "admin");
}

#[tokio::test]
async fn the_janitor_removes_expired_links_and_sessions_only() {
    let app = TestApp::spawn().await;
    let (old_session, _) = app.sign_in("old@example.no").await;
    app.request_link("unused@example.no").await;
    app.token_from_outbox("unused@example.no").await;
    app.clock.advance(Duration::days(40));
    let (fresh_session, _) = app.sign_in("fresh@example.no").await;
    let removed = db::janitor::sweep(&app.state.db, app.state.clock.now() - Duration::days(1))
        .await
        .unwrap();
    // The old session, both old links (used and unused) and the old rate-limit windows.
    assert!(removed >= 4, "removed {removed}");
    let me = |token: String| {
        TestApp::anonymous()
            .get(app.url("/api/v1/me"))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(me(old_session).await.unwrap().status(), 401);
    assert_eq!(me(fresh_session).await.unwrap().status(), 200);
}
