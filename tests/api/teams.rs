//! Teams: creating, joining by code or invite, members, lead hand-over.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    assert_problem, count_mails, running_programme, send, young_person, Options, TestApp,
};

async fn create_team(
    app: &TestApp,
    client: &reqwest::Client,
    programme: &str,
    name: &str,
) -> Value {
    let response = send(
        app,
        client,
        Method::POST,
        &format!("/api/v1/programmes/{programme}/teams"),
        Some(json!({ "name": name })),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn join(app: &TestApp, client: &reqwest::Client, code: &str) -> reqwest::Response {
    send(
        app,
        client,
        Method::POST,
        "/api/v1/teams/join",
        Some(json!({ "code": code })),
    )
    .await
}

#[tokio::test]
async fn a_team_is_created_and_joined_with_its_code() {
    let app = TestApp::spawn().await;
    let (programme, _) = running_programme(&app).await;
    let lead = young_person(&app, "maja@example.no").await;
    let team = create_team(&app, &lead, &programme, "Team Sol").await;
    let code = team["join_code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 8);
    assert_eq!(team["my_role"], "lead");
    assert_eq!(team["members"][0]["role"], "lead");

    // A friend types it in lower case with a dash.
    let friend = young_person(&app, "jonas@example.no").await;
    let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
    let joined = join(&app, &friend, &typed).await;
    assert_eq!(joined.status(), StatusCode::OK);
    let joined: Value = joined.json().await.unwrap();
    assert_eq!(joined["my_role"], "member");
    assert_eq!(joined["members"].as_array().unwrap().len(), 2);
    assert_eq!(
        join(&app, &friend, &code).await.status(),
        StatusCode::OK,
        "joining twice changes nothing"
    );

    let me: Value = friend
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["teams"][0]["name"], "Team Sol");
    assert_eq!(me["teams"][0]["role"], "member");

    // One team per programme.
    let other = young_person(&app, "other@example.no").await;
    let second = create_team(&app, &other, &programme, "Team Måne").await;
    assert_problem(
        join(&app, &friend, second["join_code"].as_str().unwrap()).await,
        409,
        "already_in_a_team",
    )
    .await;
    let again = send(
        &app,
        &friend,
        Method::POST,
        &format!("/api/v1/programmes/{programme}/teams"),
        Some(json!({ "name": "Mine" })),
    )
    .await;
    assert_problem(again, 409, "already_in_a_team").await;
}

#[tokio::test]
async fn teams_are_private_to_members_and_facilitators() {
    let app = TestApp::spawn().await;
    let (programme, facilitator) = running_programme(&app).await;
    let lead = young_person(&app, "maja@example.no").await;
    let team = create_team(&app, &lead, &programme, "Team Sol").await;
    let path = format!("/api/v1/teams/{}", team["id"].as_str().unwrap());
    let stranger = young_person(&app, "stranger@example.no").await;
    assert_problem(
        stranger.get(app.url(&path)).send().await.unwrap(),
        404,
        "not_found",
    )
    .await;
    let seen: Value = facilitator
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(seen["name"], "Team Sol");
    assert!(seen["join_code"].is_null(), "the code is for members");
    assert!(seen["my_role"].is_null());
    let list: Value = facilitator
        .get(app.url(&format!("/api/v1/programmes/{programme}/teams")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["name"], "Team Sol");
    assert_problem(
        stranger
            .get(app.url(&format!("/api/v1/programmes/{programme}/teams")))
            .send()
            .await
            .unwrap(),
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn the_lead_manages_members_and_hands_over() {
    let app = TestApp::spawn().await;
    let (programme, _) = running_programme(&app).await;
    let lead = young_person(&app, "lead@example.no").await;
    let team = create_team(&app, &lead, &programme, "Team Sol").await;
    let id = team["id"].as_str().unwrap().to_owned();
    let code = team["join_code"].as_str().unwrap().to_owned();
    let a = young_person(&app, "a@example.no").await;
    let b = young_person(&app, "b@example.no").await;
    let a_id = join(&app, &a, &code).await.json::<Value>().await.unwrap()["members"][1]["user_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b_team: Value = join(&app, &b, &code).await.json().await.unwrap();
    let b_id = b_team["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["display_name"] == "b")
        .unwrap()["user_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lead_id = team["members"][0]["user_id"].as_str().unwrap().to_owned();

    // A member cannot remove another; the lead can.
    app.as_user(&a)
        .delete(&format!("/api/v1/teams/{id}/members/{b_id}"))
        .await
        .problem(403, "forbidden")
        .await;
    assert_eq!(
        send(
            &app,
            &lead,
            Method::DELETE,
            &format!("/api/v1/teams/{id}/members/{b_id}"),
            None
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(
        b.get(app.url(&format!("/api/v1/teams/{id}")))
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;

    // A member cannot take the lead; the lead hands it over.
    app.as_user(&a)
        .post(
            &format!("/api/v1/teams/{id}/lead"),
            json!({ "user_id": a_id }),
        )
        .await
        .problem(403, "forbidden")
        .await;
    let handed: Value = send(
        &app,
        &lead,
        Method::POST,
        &format!("/api/v1/teams/{id}/lead"),
        Some(json!({ "user_id": a_id })),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(handed["my_role"], "member");
    assert_eq!(
        send(
            &app,
            &lead,
            Method::DELETE,
            &format!("/api/v1/teams/{id}/members/{lead_id}"),
            None
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    let now: Value = a
        .get(app.url(&format!("/api/v1/teams/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(now["my_role"], "lead");
    assert_eq!(now["members"].as_array().unwrap().len(), 1);
    // The last member may leave.
    assert_eq!(
        send(
            &app,
            &a,
            Method::DELETE,
            &format!("/api/v1/teams/{id}/members/{a_id}"),
            None
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn a_new_code_retires_the_old_one() {
    let app = TestApp::spawn().await;
    let (programme, _) = running_programme(&app).await;
    let lead = young_person(&app, "lead@example.no").await;
    let team = create_team(&app, &lead, &programme, "Team Sol").await;
    let id = team["id"].as_str().unwrap();
    let old = team["join_code"].as_str().unwrap().to_owned();
    let member = young_person(&app, "m@example.no").await;
    assert_problem(
        send(
            &app,
            &member,
            Method::POST,
            &format!("/api/v1/teams/{id}/join-code"),
            None,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let fresh: Value = send(
        &app,
        &lead,
        Method::POST,
        &format!("/api/v1/teams/{id}/join-code"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let fresh = fresh["join_code"].as_str().unwrap().to_owned();
    assert_ne!(fresh, old);
    assert_problem(join(&app, &member, &old).await, 404, "not_found").await;
    assert_eq!(join(&app, &member, &fresh).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn guessing_join_codes_is_throttled() {
    let app = TestApp::spawn().await;
    let (programme, _) = running_programme(&app).await;
    let lead = young_person(&app, "lead@example.no").await;
    let code = create_team(&app, &lead, &programme, "Team Sol").await["join_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let guesser = young_person(&app, "guesser@example.no").await;
    for guess in 0..10 {
        let attempt = join(
            &app,
            &guesser,
            &format!("AAAA{guess:04}")
                .replace('0', "3")
                .replace('1', "4")
                .replace('2', "6")
                .replace('5', "7")
                .replace('8', "9"),
        )
        .await;
        assert_eq!(attempt.status(), StatusCode::NOT_FOUND);
    }
    // Even the right code waits now.
    let limited = join(&app, &guesser, &code).await;
    assert!(limited.headers().get("retry-after").is_some());
    assert_problem(limited, 429, "rate_limited").await;
    app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(join(&app, &guesser, &code).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_full_team_takes_no_more() {
    let app = TestApp::spawn_with(Options {
        configure: Some(|config| config.teams.max_members = 2),
        ..Options::default()
    })
    .await;
    let (programme, _) = running_programme(&app).await;
    let lead = young_person(&app, "lead@example.no").await;
    let code = create_team(&app, &lead, &programme, "Team Sol").await["join_code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        join(&app, &young_person(&app, "two@example.no").await, &code)
            .await
            .status(),
        StatusCode::OK
    );
    let problem = assert_problem(
        join(&app, &young_person(&app, "three@example.no").await, &code).await,
        409,
        "team_full",
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains('2'));
}

#[tokio::test]
async fn invites_mail_a_join_link() {
    let app = TestApp::spawn().await;
    let (programme, _) = running_programme(&app).await;
    let lead = young_person(&app, "lead@example.no").await;
    let team = create_team(&app, &lead, &programme, "Team Sol").await;
    let id = team["id"].as_str().unwrap();
    let code = team["join_code"].as_str().unwrap();
    let before = count_mails(&app.outbox(), "friend@example.no");
    let invited = send(
        &app,
        &lead,
        Method::POST,
        &format!("/api/v1/teams/{id}/invites"),
        Some(json!({ "email": "friend@example.no" })),
    )
    .await;
    assert_eq!(invited.status(), StatusCode::ACCEPTED);
    // Through the outbox, written with the invite.
    app.run_jobs().await;
    assert_eq!(count_mails(&app.outbox(), "friend@example.no"), before + 1);
    let mail = std::fs::read_dir(app.outbox())
        .unwrap()
        .map(|e| crate::helpers::decode_qp(&std::fs::read_to_string(e.unwrap().path()).unwrap()))
        .find(|m| m.contains("friend@example.no"))
        .unwrap();
    assert!(mail.contains(&format!("/join?code={code}")), "{mail}");
    assert!(mail.contains("Team Sol"));
    let bad = send(
        &app,
        &lead,
        Method::POST,
        &format!("/api/v1/teams/{id}/invites"),
        Some(json!({ "email": "nope" })),
    )
    .await;
    assert_problem(bad, 422, "validation_failed").await;
    let stranger = young_person(&app, "s@example.no").await;
    let refused = send(
        &app,
        &stranger,
        Method::POST,
        &format!("/api/v1/teams/{id}/invites"),
        Some(json!({ "email": "x@example.no" })),
    )
    .await;
    assert_problem(refused, 404, "not_found").await;
}

#[tokio::test]
async fn the_age_rule_holds_for_teams() {
    use chrono::Datelike;
    let app = TestApp::spawn().await;
    let (programme, _) = running_programme(&app).await;
    let lead = young_person(&app, "lead@example.no").await;
    let code = create_team(&app, &lead, &programme, "Team Sol").await["join_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, child) = app.sign_in("child@example.no").await;
    send(
        &app,
        &child,
        Method::PATCH,
        "/api/v1/me",
        Some(json!({ "birth_year": app.clock.now().year() - 11 })),
    )
    .await;
    assert_problem(join(&app, &child, &code).await, 403, "under_minimum_age").await;
    let create = send(
        &app,
        &child,
        Method::POST,
        &format!("/api/v1/programmes/{programme}/teams"),
        Some(json!({ "name": "Kids" })),
    )
    .await;
    assert_problem(create, 403, "under_minimum_age").await;
}

/// The members of a team as its staff see it.
async fn members(app: &TestApp, client: &reqwest::Client, id: &str) -> Vec<(String, String)> {
    let team = app
        .as_user(client)
        .get(&format!("/api/v1/teams/{id}"))
        .await
        .ok(200)
        .await;
    team["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["display_name"].as_str().unwrap_or("").to_owned(),
                m["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn user_id(app: &TestApp, client: &reqwest::Client) -> String {
    app.as_user(client).get("/api/v1/me").await.ok(200).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_team_is_never_left_without_a_lead() {
    let app = TestApp::spawn().await;
    let (programme, facilitator) = running_programme(&app).await;
    let lead = young_person(&app, "lead@example.no").await;
    let team = create_team(&app, &lead, &programme, "Team Sol").await;
    let id = team["id"].as_str().unwrap().to_owned();
    let code = team["join_code"].as_str().unwrap().to_owned();
    let mut joined = Vec::new();
    for name in ["a", "b", "c"] {
        let person = young_person(&app, &format!("{name}@example.no")).await;
        assert_eq!(join(&app, &person, &code).await.status(), StatusCode::OK);
        // Joined one after another: a has been in the team longest.
        app.clock.advance(chrono::Duration::minutes(1));
        joined.push(person);
    }
    let (a, b, c) = (&joined[0], &joined[1], &joined[2]);

    // The lead leaves without handing over: a, the longest-standing
    // member, leads now and is told.
    let lead_id = user_id(&app, &lead).await;
    app.as_user(&lead)
        .delete(&format!("/api/v1/teams/{id}/members/{lead_id}"))
        .await
        .ok(204)
        .await;
    let now = members(&app, &facilitator, &id).await;
    assert!(
        now.contains(&("a".to_owned(), "lead".to_owned())),
        "{now:?}"
    );
    let told = app
        .as_user(a)
        .get("/api/v1/me/notifications")
        .await
        .ok(200)
        .await;
    assert!(
        told["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "team_member" && n["outcome"] == "lead"),
        "{told}"
    );
    // The new lead renews the code and removes a member.
    let renewed = app
        .as_user(a)
        .post(&format!("/api/v1/teams/{id}/join-code"), json!({}))
        .await
        .ok(200)
        .await;
    assert_ne!(renewed["join_code"], code.as_str());

    // The lead deletes their account: b leads.
    app.as_user(a).delete("/api/v1/me").await.ok(204).await;
    let now = members(&app, &facilitator, &id).await;
    assert!(
        now.contains(&("b".to_owned(), "lead".to_owned())),
        "{now:?}"
    );
    assert_eq!(now.len(), 2);

    // The programme's facilitator runs the team too: appoints c, removes b.
    let c_id = user_id(&app, c).await;
    let b_id = user_id(&app, b).await;
    let appointed = app
        .as_user(&facilitator)
        .post(
            &format!("/api/v1/teams/{id}/lead"),
            json!({ "user_id": c_id }),
        )
        .await
        .ok(200)
        .await;
    assert!(appointed["my_role"].is_null(), "staff are not in the team");
    let now = members(&app, &facilitator, &id).await;
    assert!(
        now.contains(&("c".to_owned(), "lead".to_owned())),
        "{now:?}"
    );
    assert!(
        now.contains(&("b".to_owned(), "member".to_owned())),
        "{now:?}"
    );
    app.as_user(&facilitator)
        .delete(&format!("/api/v1/teams/{id}/members/{b_id}"))
        .await
        .ok(204)
        .await;
    let code = app
        .as_user(&facilitator)
        .post(&format!("/api/v1/teams/{id}/join-code"), json!({}))
        .await
        .ok(200)
        .await["join_code"]
        .as_str()
        .unwrap()
        .to_owned();
    // A member still cannot appoint anyone.
    let late = young_person(&app, "late@example.no").await;
    assert_eq!(join(&app, &late, &code).await.status(), StatusCode::OK);
    app.as_user(&late)
        .post(
            &format!("/api/v1/teams/{id}/lead"),
            json!({ "user_id": user_id(&app, &late).await }),
        )
        .await
        .problem(403, "forbidden")
        .await;
}

#[tokio::test]
async fn a_team_nobody_is_in_is_archived_and_its_campaigns_stay() {
    let app = TestApp::spawn().await;
    let (programme, facilitator) = running_programme(&app).await;
    let lead = young_person(&app, "lead@example.no").await;
    let team = create_team(&app, &lead, &programme, "Team Sol").await;
    let id = team["id"].as_str().unwrap().to_owned();
    let code = team["join_code"].as_str().unwrap().to_owned();
    let campaign = app
        .as_user(&lead)
        .post(
            &format!("/api/v1/teams/{id}/campaigns"),
            json!({ "title": "Hils", "summary": "Say hi", "body": "At the gate.", "theme": "youth" }),
        )
        .await
        .ok(201)
        .await;
    let lead_id = user_id(&app, &lead).await;
    app.as_user(&lead)
        .delete(&format!("/api/v1/teams/{id}/members/{lead_id}"))
        .await
        .ok(204)
        .await;
    // Its code opens nothing now; nobody can slip into an empty team.
    let stranger = young_person(&app, "stranger@example.no").await;
    assert_problem(join(&app, &stranger, &code).await, 404, "not_found").await;
    // The campaign is there for the programme's staff as it was.
    let kept = app
        .as_user(&facilitator)
        .get(&format!(
            "/api/v1/campaigns/{}",
            campaign["id"].as_str().unwrap()
        ))
        .await
        .ok(200)
        .await;
    assert_eq!(kept["draft"]["title"], "Hils");
    assert!(members(&app, &facilitator, &id).await.is_empty());
}
