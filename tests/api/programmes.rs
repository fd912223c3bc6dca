use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, programme_body, TestApp};

#[tokio::test]
async fn programmes_are_created_read_changed_and_paged() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.create_city(&admin, "larvik", "Larvik").await;
    let mut ids = Vec::new();
    for slug in ["one", "two", "three"] {
        let response = app.create_programme(&admin, "larvik", slug).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["kind"], "kominn");
        assert_eq!(body["city"], "larvik");
        assert_eq!(body["starts_on"], "2026-01-15");
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    let anonymous = TestApp::anonymous();
    let page: Value = anonymous
        .get(app.url("/api/v1/cities/larvik/programmes?limit=2"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["items"][0]["slug"], "three", "newest first");
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest: Value = anonymous
        .get(app.url(&format!(
            "/api/v1/cities/larvik/programmes?limit=2&cursor={cursor}"
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest["items"][0]["slug"], "one");
    assert!(rest["next_cursor"].is_null());
    let too_many = anonymous
        .get(app.url("/api/v1/cities/larvik/programmes?limit=101"))
        .send()
        .await
        .unwrap();
    let body = assert_problem(too_many, 400, "invalid_parameter").await;
    assert_eq!(body["errors"][0]["field"], "limit");
    let bad_cursor = anonymous
        .get(app.url("/api/v1/cities/larvik/programmes?cursor=zzz"))
        .send()
        .await
        .unwrap();
    assert_problem(bad_cursor, 400, "invalid_cursor").await;

    let one: Value = anonymous
        .get(app.url(&format!("/api/v1/programmes/{}", ids[0])))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one["slug"], "one");
    let changed: Value = admin
        .patch(app.url(&format!("/api/v1/programmes/{}", ids[0])))
        .json(&json!({ "name": "KomINN Larvik", "kind": "allin", "changemaker_target": 40 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(changed["name"], "KomINN Larvik");
    assert_eq!(changed["kind"], "allin");
    assert_eq!(changed["changemaker_target"], 40);
    assert_eq!(
        changed["description"],
        "Changemaker training for young people."
    );

    let clash = admin
        .patch(app.url(&format!("/api/v1/programmes/{}", ids[0])))
        .json(&json!({ "slug": "two" }))
        .send()
        .await
        .unwrap();
    assert_problem(clash, 409, "slug_taken").await;
    let missing = anonymous
        .get(app.url(&format!("/api/v1/programmes/{}", uuid::Uuid::now_v7())))
        .send()
        .await
        .unwrap();
    assert_problem(missing, 404, "not_found").await;
}

#[tokio::test]
async fn programme_values_are_checked() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.create_city(&admin, "larvik", "Larvik").await;
    let mut body = programme_body("backwards");
    body["ends_on"] = json!("2025-01-01");
    let response = admin
        .post(app.url("/api/v1/cities/larvik/programmes"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "ends_on");

    let mut body = programme_body("odd");
    body["kind"] = json!("bootcamp");
    let response = admin
        .post(app.url("/api/v1/cities/larvik/programmes"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "kind");

    let mut body = programme_body("zero");
    body["changemaker_target"] = json!(0);
    body["starts_on"] = json!("2026-02-30");
    let response = admin
        .post(app.url("/api/v1/cities/larvik/programmes"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "starts_on");
}

#[tokio::test]
async fn facilitators_are_added_listed_and_removed() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.create_city(&admin, "larvik", "Larvik").await;
    let programme: Value = app
        .create_programme(&admin, "larvik", "kominn")
        .await
        .json()
        .await
        .unwrap();
    let id = programme["id"].as_str().unwrap();
    let added = admin
        .post(app.url(&format!("/api/v1/programmes/{id}/facilitators")))
        .json(&json!({ "email": "Youthworker@Larvik.no" }))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);
    let holder: Value = added.json().await.unwrap();
    assert_eq!(holder["email"], "youthworker@larvik.no");

    let (_, facilitator) = app.sign_in("youthworker@larvik.no").await;
    let me: Value = facilitator
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["roles"][0]["role"], "facilitator");
    assert_eq!(me["roles"][0]["programme_id"], id);
    assert_eq!(me["roles"][0]["city"], "larvik");
    // Names to show, beside the slug and id.
    assert_eq!(me["roles"][0]["city_name"], "Larvik");
    assert!(me["roles"][0]["programme_name"].is_string(), "{me}");
    let list: Value = facilitator
        .get(app.url(&format!("/api/v1/programmes/{id}/facilitators")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    // A facilitator cannot appoint others or change the programme.
    let appoint = facilitator
        .post(app.url(&format!("/api/v1/programmes/{id}/facilitators")))
        .json(&json!({ "email": "friend@example.no" }))
        .send()
        .await
        .unwrap();
    assert_problem(appoint, 403, "forbidden").await;

    let user_id = holder["user_id"].as_str().unwrap();
    let removed = admin
        .delete(app.url(&format!("/api/v1/programmes/{id}/facilitators/{user_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let gone = facilitator
        .get(app.url(&format!("/api/v1/programmes/{id}/facilitators")))
        .send()
        .await
        .unwrap();
    assert_problem(gone, 403, "forbidden").await;
    let (_, stranger) = app.sign_in("stranger@example.no").await;
    let response = stranger
        .get(app.url(&format!("/api/v1/programmes/{id}/facilitators")))
        .send()
        .await
        .unwrap();
    assert_problem(response, 403, "forbidden").await;
}
