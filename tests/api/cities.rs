use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, TestApp, PUBLIC_URL};

#[tokio::test]
async fn an_admin_creates_cities_and_anyone_lists_them() {
    let app = TestApp::spawn().await;
    let list: Value = TestApp::anonymous()
        .get(app.url("/api/v1/cities"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list, json!([]));
    let admin = app.admin().await;
    let city = app.create_city(&admin, "larvik", "Larvik").await;
    assert_eq!(city["slug"], "larvik");
    assert_eq!(city["country"], "NO");
    assert!(city["id"].as_str().unwrap().len() == 36);

    let list: Value = TestApp::anonymous()
        .get(app.url("/api/v1/cities"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["name"], "Larvik");
    let one: Value = TestApp::anonymous()
        .get(app.url("/api/v1/cities/larvik"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one["id"], city["id"]);
    let missing = TestApp::anonymous()
        .get(app.url("/api/v1/cities/atlantis"))
        .send()
        .await
        .unwrap();
    assert_problem(missing, 404, "not_found").await;
}

#[tokio::test]
async fn city_rules() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.create_city(&admin, "larvik", "Larvik").await;
    let duplicate = admin
        .post(app.url("/api/v1/cities"))
        .json(&json!({ "slug": "larvik", "name": "Larvik again", "country": "NO" }))
        .send()
        .await
        .unwrap();
    assert_problem(duplicate, 409, "slug_taken").await;
    let bad = admin
        .post(app.url("/api/v1/cities"))
        .json(&json!({ "slug": "Lar vik", "name": "", "country": "NO" }))
        .send()
        .await
        .unwrap();
    let body = assert_problem(bad, 422, "validation_failed").await;
    assert_eq!(body["errors"].as_array().unwrap().len(), 2);
    let not_nordic = admin
        .post(app.url("/api/v1/cities"))
        .json(&json!({ "slug": "berlin", "name": "Berlin", "country": "DE" }))
        .send()
        .await
        .unwrap();
    let body = assert_problem(not_nordic, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "country");

    let (_, person) = app.sign_in("young@example.no").await;
    let forbidden = person
        .post(app.url("/api/v1/cities"))
        .json(&json!({ "slug": "oslo", "name": "Oslo", "country": "NO" }))
        .send()
        .await
        .unwrap();
    assert_problem(forbidden, 403, "forbidden").await;
}

async fn city_admin_of(app: &TestApp, admin: &Client, city: &str, email: &str) -> Client {
    let response = admin
        .post(app.url(&format!("/api/v1/cities/{city}/admins")))
        .header("origin", PUBLIC_URL)
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    app.sign_in(email).await.1
}

#[tokio::test]
async fn a_city_admin_runs_only_their_city() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.create_city(&admin, "larvik", "Larvik").await;
    app.create_city(&admin, "kristiansand", "Kristiansand")
        .await;
    let kristiansand_programme: Value = app
        .create_programme(&admin, "kristiansand", "allin-2026")
        .await
        .json()
        .await
        .unwrap();
    let larvik = city_admin_of(&app, &admin, "larvik", "city@larvik.no").await;

    let me: Value = larvik
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["roles"].as_array().unwrap().len(), 1);
    assert_eq!(me["roles"][0]["role"], "city_admin");
    assert_eq!(me["roles"][0]["city"], "larvik");
    assert_eq!(me["roles"][0]["city_name"], "Larvik");
    assert_eq!(me["roles"][0]["programme_name"], Value::Null);

    let rename = |city: &str| {
        larvik
            .patch(app.url(&format!("/api/v1/cities/{city}")))
            .json(&json!({ "name": "Renamed" }))
            .send()
    };
    assert_eq!(rename("larvik").await.unwrap().status(), StatusCode::OK);
    assert_problem(rename("kristiansand").await.unwrap(), 403, "forbidden").await;

    let created = app.create_programme(&larvik, "larvik", "kominn-2026").await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_problem(
        app.create_programme(&larvik, "kristiansand", "sneaky")
            .await,
        403,
        "forbidden",
    )
    .await;
    let id = kristiansand_programme["id"].as_str().unwrap();
    let patch = larvik
        .patch(app.url(&format!("/api/v1/programmes/{id}")))
        .json(&json!({ "name": "Taken over" }))
        .send()
        .await
        .unwrap();
    assert_problem(patch, 403, "forbidden").await;
    let add = larvik
        .post(app.url(&format!("/api/v1/programmes/{id}/facilitators")))
        .json(&json!({ "email": "friend@example.no" }))
        .send()
        .await
        .unwrap();
    assert_problem(add, 403, "forbidden").await;
    // Only admins appoint city admins, and only admins move a city to another country.
    let appoint = larvik
        .post(app.url("/api/v1/cities/larvik/admins"))
        .json(&json!({ "email": "friend@example.no" }))
        .send()
        .await
        .unwrap();
    assert_problem(appoint, 403, "forbidden").await;
    let country = larvik
        .patch(app.url("/api/v1/cities/larvik"))
        .json(&json!({ "country": "SE" }))
        .send()
        .await
        .unwrap();
    assert_problem(country, 403, "forbidden").await;
}

#[tokio::test]
async fn admins_list_and_remove_city_admins() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.create_city(&admin, "larvik", "Larvik").await;
    let city_admin = city_admin_of(&app, &admin, "larvik", "city@larvik.no").await;
    let list: Value = city_admin
        .get(app.url("/api/v1/cities/larvik/admins"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["email"], "city@larvik.no");
    let user_id = list[0]["user_id"].as_str().unwrap().to_owned();
    let removed = admin
        .delete(app.url(&format!("/api/v1/cities/larvik/admins/{user_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let again = admin
        .delete(app.url(&format!("/api/v1/cities/larvik/admins/{user_id}")))
        .send()
        .await
        .unwrap();
    assert_problem(again, 404, "not_found").await;
    let denied = city_admin
        .get(app.url("/api/v1/cities/larvik/admins"))
        .send()
        .await
        .unwrap();
    assert_problem(denied, 403, "forbidden").await;
}
