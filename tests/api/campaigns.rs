//! Campaigns: drafts, versions, the status rules and who may see what.

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, send, team_setup, young_person, TestApp};

struct Team {
    programme: String,
    id: String,
    lead: Client,
    facilitator: Client,
}

async fn team(app: &TestApp) -> Team {
    let (programme, facilitator, lead, id) = team_setup(app).await;
    Team {
        programme,
        id,
        lead,
        facilitator,
    }
}

fn campaign_body() -> Value {
    json!({
        "title": "Hils for faen!",
        "summary": "Say hello to someone new at the festival.",
        "body": "We stand at the gate.\n\n- greet\n- smile\n\nMore: https://example.org/hils",
        "theme": "youth",
        "hashtag": "#Hilsforfaen",
        "audience": "Young people at the festival",
        "starts_on": "2026-06-01",
        "ends_on": "2026-06-03",
        "location": "Larvik"
    })
}

async fn create(app: &TestApp, team: &Team) -> Value {
    let response = send(
        app,
        &team.lead,
        Method::POST,
        &format!("/api/v1/teams/{}/campaigns", team.id),
        Some(campaign_body()),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn patch(app: &TestApp, client: &Client, id: &str, body: Value) -> reqwest::Response {
    send(
        app,
        client,
        Method::PATCH,
        &format!("/api/v1/campaigns/{id}"),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn a_team_writes_a_draft() {
    let app = TestApp::spawn().await;
    let team = team(&app).await;
    let campaign = create(&app, &team).await;
    assert_eq!(campaign["status"], "draft");
    assert_eq!(campaign["version"], 1);
    assert!(campaign["slug"]
        .as_str()
        .unwrap()
        .starts_with("hils-for-faen-"));
    assert_eq!(campaign["draft"]["hashtag"], "Hilsforfaen");
    assert!(campaign["published"].is_null());
    assert_eq!(campaign["editable"], true);
    let html = campaign["draft"]["body_html"].as_str().unwrap();
    assert!(
        html.contains("<ul><li>greet</li>")
            && html.contains("<a href=\"https://example.org/hils\""),
        "{html}"
    );

    let id = campaign["id"].as_str().unwrap();
    let edited = patch(
        &app,
        &team.lead,
        id,
        json!({ "version": 1, "title": "Hils!", "location": null }),
    )
    .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!(edited["version"], 2);
    assert_eq!(edited["draft"]["title"], "Hils!");
    assert!(edited["draft"]["location"].is_null());
    assert_eq!(
        edited["draft"]["audience"], "Young people at the festival",
        "absent fields stay"
    );
    assert_eq!(edited["slug"], campaign["slug"], "the slug is stable");

    let list: Value = team
        .lead
        .get(app.url(&format!("/api/v1/teams/{}/campaigns", team.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["title"], "Hils!");
    assert_eq!(list[0]["status"], "draft");
}

#[tokio::test]
async fn bad_campaign_values_are_refused() {
    let app = TestApp::spawn().await;
    let team = team(&app).await;
    let path = format!("/api/v1/teams/{}/campaigns", team.id);
    let mut body = campaign_body();
    body["title"] = json!("x".repeat(121));
    body["hashtag"] = json!("two words");
    body["theme"] = json!("weather");
    let problem = assert_problem(
        send(&app, &team.lead, Method::POST, &path, Some(body)).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "theme");
    let mut body = campaign_body();
    body["title"] = json!("x".repeat(121));
    body["hashtag"] = json!("two words");
    body["body"] = json!("y".repeat(10_001));
    let problem = assert_problem(
        send(&app, &team.lead, Method::POST, &path, Some(body)).await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["title", "body", "hashtag"]);
    let mut body = campaign_body();
    body["ends_on"] = json!("2026-05-01");
    let problem = assert_problem(
        send(&app, &team.lead, Method::POST, &path, Some(body)).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "ends_on");
}

#[tokio::test]
async fn private_campaigns_do_not_exist_for_others() {
    let app = TestApp::spawn().await;
    let team = team(&app).await;
    let campaign = create(&app, &team).await;
    let id = campaign["id"].as_str().unwrap();
    let stranger = young_person(&app, "stranger@example.no").await;
    for path in [
        format!("/api/v1/campaigns/{id}"),
        format!("/api/v1/campaigns/{id}/history"),
        format!("/api/v1/teams/{}/campaigns", team.id),
    ] {
        assert_problem(
            stranger.get(app.url(&path)).send().await.unwrap(),
            404,
            "not_found",
        )
        .await;
    }
    assert_problem(
        patch(
            &app,
            &stranger,
            id,
            json!({ "version": 1, "title": "Mine" }),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        Client::new()
            .get(app.url(&format!("/api/v1/campaigns/{id}")))
            .send()
            .await
            .unwrap(),
        401,
        "unauthorized",
    )
    .await;
    // The programme's facilitator reads it but does not edit it.
    let seen: Value = team
        .facilitator
        .get(app.url(&format!("/api/v1/campaigns/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(seen["draft"]["title"], "Hils for faen!");
    assert_eq!(seen["editable"], false);
    assert_problem(
        patch(
            &app,
            &team.facilitator,
            id,
            json!({ "version": 1, "title": "Edited" }),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let _ = team.programme;
}

#[tokio::test]
async fn two_edits_of_one_version_leave_one_winner() {
    let app = TestApp::spawn().await;
    let team = team(&app).await;
    let campaign = create(&app, &team).await;
    let id = campaign["id"].as_str().unwrap().to_owned();
    let member = young_person(&app, "member@example.no").await;
    let code: Value = team
        .lead
        .get(app.url(&format!("/api/v1/teams/{}", team.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    send(
        &app,
        &member,
        Method::POST,
        "/api/v1/teams/join",
        Some(json!({ "code": code["join_code"] })),
    )
    .await;

    for round in 0..5 {
        let version = 1 + round;
        let (a, b) = tokio::join!(
            patch(
                &app,
                &team.lead,
                &id,
                json!({ "version": version, "title": format!("Lead {round}") })
            ),
            patch(
                &app,
                &member,
                &id,
                json!({ "version": version, "title": format!("Member {round}") })
            ),
        );
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "round {round}");
        let loser = if a.status() == StatusCode::CONFLICT {
            a
        } else {
            b
        };
        assert_problem(loser, 409, "version_conflict").await;
    }
    let final_state: Value = team
        .lead
        .get(app.url(&format!("/api/v1/campaigns/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(final_state["version"], 6);
}

#[tokio::test]
async fn the_status_rules_hold() {
    let app = TestApp::spawn().await;
    let team = team(&app).await;
    let campaign = create(&app, &team).await;
    let id = campaign["id"].as_str().unwrap().to_owned();
    let submit_path = format!("/api/v1/campaigns/{id}/submit");
    let withdraw_path = format!("/api/v1/campaigns/{id}/withdraw");
    let submit = |version: i64| {
        send(
            &app,
            &team.lead,
            Method::POST,
            &submit_path,
            Some(json!({ "version": version })),
        )
    };
    let withdraw = || send(&app, &team.lead, Method::POST, &withdraw_path, None);

    // Nothing to withdraw from a draft.
    assert_problem(withdraw().await, 409, "invalid_transition").await;
    // A draft without a body cannot be submitted.
    let emptied: Value = patch(&app, &team.lead, &id, json!({ "version": 1, "body": "" }))
        .await
        .json()
        .await
        .unwrap();
    let problem = assert_problem(submit(2).await, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "body");
    patch(
        &app,
        &team.lead,
        &id,
        json!({ "version": emptied["version"], "body": "Back again." }),
    )
    .await;
    assert_problem(submit(1).await, 409, "version_conflict").await;

    let submitted: Value = submit(3).await.json().await.unwrap();
    assert_eq!(submitted["status"], "submitted");
    assert_eq!(submitted["editable"], false);
    assert_problem(
        patch(
            &app,
            &team.lead,
            &id,
            json!({ "version": 4, "title": "Late" }),
        )
        .await,
        409,
        "not_editable",
    )
    .await;
    assert_problem(submit(4).await, 409, "invalid_transition").await;
    let withdrawn: Value = withdraw().await.json().await.unwrap();
    assert_eq!(withdrawn["status"], "draft");

    let history: Value = team
        .lead
        .get(app.url(&format!("/api/v1/campaigns/{id}/history")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["created", "submitted", "withdrawn"]);
    assert_eq!(history[1]["actor"], "lead");
    assert_eq!(history[1]["from_status"], "draft");
    assert_eq!(history[1]["to_status"], "submitted");
}

#[tokio::test]
async fn editing_an_approved_campaign_leaves_the_public_version() {
    let app = TestApp::spawn().await;
    let team = team(&app).await;
    let campaign = create(&app, &team).await;
    let id = campaign["id"].as_str().unwrap().to_owned();
    send(
        &app,
        &team.lead,
        Method::POST,
        &format!("/api/v1/campaigns/{id}/submit"),
        Some(json!({ "version": 1 })),
    )
    .await;
    // The facilitator approves it.
    let approved = crate::helpers::decide(&app, &team.facilitator, &id, "approve", None, 2).await;
    assert_eq!(approved.status(), StatusCode::OK);

    let approved: Value = team
        .lead
        .get(app.url(&format!("/api/v1/campaigns/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["published"]["title"], "Hils for faen!");
    assert_eq!(approved["has_unpublished_changes"], false);

    let edited: Value = patch(
        &app,
        &team.lead,
        &id,
        json!({ "version": 3, "title": "Hils for faen 2027" }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(edited["status"], "approved");
    assert_eq!(edited["draft"]["title"], "Hils for faen 2027");
    assert_eq!(
        edited["published"]["title"], "Hils for faen!",
        "the public version is untouched"
    );
    assert_eq!(edited["has_unpublished_changes"], true);

    let resubmitted: Value = send(
        &app,
        &team.lead,
        Method::POST,
        &format!("/api/v1/campaigns/{id}/submit"),
        Some(json!({ "version": 4 })),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(resubmitted["status"], "submitted");
    assert_eq!(resubmitted["published"]["title"], "Hils for faen!");
    let back: Value = send(
        &app,
        &team.lead,
        Method::POST,
        &format!("/api/v1/campaigns/{id}/withdraw"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        back["status"], "approved",
        "withdrawing returns to the published state"
    );
}
