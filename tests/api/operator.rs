//! Operator commands and housekeeping.

use changemakers::{
    db::{self, on_db},
    service::operator,
};
use chrono::Duration;
use serde_json::Value;

use crate::helpers::{decode_qp, json, mails_for, TestApp};

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
    assert_eq!(
        me["teams"][0]["programme_name"],
        format!("KomINN Larvik {}", chrono::Datelike::year(&app.clock.now()))
    );
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

/// The demo is made through the same services as real use, so its history,
/// audit trail, notifications, mail, figures and gallery agree.
#[tokio::test]
async fn the_demo_agrees_with_itself_everywhere() {
    let app = TestApp::spawn().await;
    operator::seed_demo(&app.state).await.unwrap();
    let get = |client: &reqwest::Client, path: &str| {
        let request = client.get(app.url(path));
        async move { json(request.send().await.unwrap()).await }
    };
    let anonymous = TestApp::anonymous();
    let page = get(&anonymous, "/api/v1/cities/larvik/programmes").await;
    let programme = page["items"][0]["id"].as_str().unwrap().to_owned();

    // Every decision, on campaigns and on reach, is in the audit trail, by the facilitator.
    let (_, ola) = app.sign_in("ola@demo.changemakers.example").await;
    let audit = get(
        &ola,
        &format!("/api/v1/moderation/audit?programme_id={programme}"),
    )
    .await;
    let mut actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            assert_eq!(entry["actor_name"], "Kari");
            entry["action"].as_str().unwrap()
        })
        .collect();
    actions.sort_unstable();
    assert_eq!(
        actions,
        [
            "approve",
            "approve",
            "archive",
            "reject",
            "request_changes",
            "verify_reach"
        ]
    );

    // Maja's team was told about its approval, its verified reach and each
    // teammate who joined; the approval also went out by mail.
    let (_, maja) = app.sign_in("maja@demo.changemakers.example").await;
    let notes = get(&maja, "/api/v1/me/notifications").await;
    let kinds: Vec<&str> = notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    for kind in ["decision", "reach_decision", "team_member"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    assert_eq!(kinds.iter().filter(|k| **k == "team_member").count(), 3);
    app.run_jobs().await;
    let mails = mails_for(&app.outbox(), "maja@demo.changemakers.example");
    assert!(
        mails
            .iter()
            .any(|(_, mail)| decode_qp(mail).contains("Hils for faen")),
        "the approval mail is in the outbox"
    );

    // The figures count what the rest of the demo shows.
    let goal = get(&anonymous, "/api/v1/stats/goal").await;
    assert_eq!(goal["changemakers_trained"], 5);
    assert_eq!(
        goal["changemakers_enrolled"], 5,
        "eight enrolled, shown to the public in steps of five"
    );
    assert_eq!(goal["teams"], 3);
    assert_eq!(goal["people_reached_verified"], 3000);
    let gallery = get(&anonymous, "/api/v1/public/campaigns?city=larvik").await;
    let shown = gallery["items"].as_array().unwrap();
    assert_eq!(shown.len(), 1, "only the approved campaign is public");
    assert_eq!(shown[0]["title"], "Hils for faen!");
    assert_eq!(shown[0]["people_reached"], 3000);
    // Its photo went through the upload path: renditions, placeholder and alt text.
    let cover = &shown[0]["cover"];
    assert!(cover["urls"]["w320"].is_string(), "{cover}");
    assert!(
        cover["blurhash"].as_str().is_some_and(|h| h.len() >= 6),
        "{cover}"
    );
    assert!(
        cover["alt"].as_str().unwrap().starts_with("Plakat"),
        "{cover}"
    );
    let (_, kari) = app.sign_in("kari@demo.changemakers.example").await;
    let waiting = get(&kari, "/api/v1/moderation/reach").await;
    assert_eq!(waiting["items"].as_array().unwrap().len(), 1);
    let queue = get(&kari, "/api/v1/moderation/queue").await;
    assert_eq!(queue["items"][0]["title"], "Trygg skolevei");
}
