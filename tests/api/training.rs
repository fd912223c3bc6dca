//! The training ledger and the count the 10,000 goal uses.

use changemakers::service::training;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, running_programme, send, young_person, TestApp};

#[tokio::test]
async fn facilitators_mark_who_completed_training() {
    let app = TestApp::spawn().await;
    let (programme, facilitator) = running_programme(&app).await;
    let maja = young_person(&app, "maja@example.no").await;
    let team: Value = send(
        &app,
        &maja,
        Method::POST,
        &format!("/api/v1/programmes/{programme}/teams"),
        Some(json!({ "name": "Team Sol" })),
    )
    .await
    .json()
    .await
    .unwrap();
    let jonas = young_person(&app, "jonas@example.no").await;
    send(
        &app,
        &jonas,
        Method::POST,
        "/api/v1/teams/join",
        Some(json!({ "code": team["join_code"] })),
    )
    .await;

    let path = format!("/api/v1/programmes/{programme}/participants");
    let list: Value = facilitator
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["team_name"] == "Team Sol" && p["trained_on"].is_null()));
    assert_problem(
        maja.get(app.url(&path)).send().await.unwrap(),
        403,
        "forbidden",
    )
    .await;

    let maja_id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["display_name"] == "maja")
        .unwrap()["user_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mark = format!("{path}/{maja_id}/training");
    let today = app.state.clock.now().date_naive();
    assert_eq!(
        send(
            &app,
            &facilitator,
            Method::POST,
            &mark,
            Some(json!({ "trained_on": today.to_string() }))
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    let list: Value = facilitator
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let maja_row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["display_name"] == "maja")
        .unwrap();
    assert_eq!(maja_row["trained_on"], today.to_string());
    assert_eq!(training::count_trained(&app.state).await.unwrap(), 1);

    let tomorrow = today.succ_opt().unwrap();
    let future = send(
        &app,
        &facilitator,
        Method::POST,
        &mark,
        Some(json!({ "trained_on": tomorrow.to_string() })),
    )
    .await;
    assert_problem(future, 422, "validation_failed").await;
    app.as_user(&maja)
        .post(&mark, json!({ "trained_on": today.to_string() }))
        .await
        .problem(403, "forbidden")
        .await;
    let stranger = format!("{path}/{}/training", uuid::Uuid::now_v7());
    app.as_user(&facilitator)
        .post(&stranger, json!({ "trained_on": today.to_string() }))
        .await
        .problem(404, "not_found")
        .await;

    assert_eq!(
        send(&app, &facilitator, Method::DELETE, &mark, None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(training::count_trained(&app.state).await.unwrap(), 0);
}

#[tokio::test]
async fn a_person_trained_twice_counts_once() {
    use chrono::Datelike;
    let app = TestApp::spawn().await;
    let (first, facilitator) = running_programme(&app).await;
    // A second programme in the same city, with the same facilitator.
    let admin = app.admin().await;
    let mut body = crate::helpers::programme_body("allin");
    body["ends_on"] = json!(format!("{}-12-31", app.clock.now().year() + 1));
    let second: Value = admin
        .post(app.url("/api/v1/cities/larvik/programmes"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let second = second["id"].as_str().unwrap().to_owned();
    admin
        .post(app.url(&format!("/api/v1/programmes/{second}/facilitators")))
        .json(&json!({ "email": "facilitator@larvik.no" }))
        .send()
        .await
        .unwrap();

    let maja = young_person(&app, "maja@example.no").await;
    let other = young_person(&app, "other@example.no").await;
    for programme in [&first, &second] {
        for person in [&maja, &other] {
            assert_eq!(
                send(
                    &app,
                    person,
                    Method::POST,
                    &format!("/api/v1/programmes/{programme}/enrol"),
                    None
                )
                .await
                .status(),
                StatusCode::OK
            );
        }
    }
    let me: Value = maja
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let maja_id = me["id"].as_str().unwrap();
    let today = app.state.clock.now().date_naive().to_string();
    for programme in [&first, &second] {
        let mark = format!("/api/v1/programmes/{programme}/participants/{maja_id}/training");
        assert_eq!(
            send(
                &app,
                &facilitator,
                Method::POST,
                &mark,
                Some(json!({ "trained_on": today }))
            )
            .await
            .status(),
            StatusCode::NO_CONTENT
        );
    }
    assert_eq!(
        training::count_trained(&app.state).await.unwrap(),
        1,
        "trained in two programmes, counted once"
    );
}
