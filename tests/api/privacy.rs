//! Account export and deletion, and the registry of personal data behind them.

use std::collections::BTreeSet;

use changemakers::{
    db::{self, on_db},
    service::privacy::{is_personal_column, REGISTRY},
};
use chrono::Datelike;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, TestApp, PUBLIC_URL};

/// A person with something in every table: a name, roles, an enrolment.
async fn busy_person(app: &TestApp) -> (String, reqwest::Client) {
    let admin = app.admin().await;
    app.create_city(&admin, "larvik", "Larvik").await;
    let mut body = crate::helpers::programme_body("kominn");
    body["ends_on"] = json!(format!("{}-12-31", app.clock.now().year() + 1));
    let programme: Value = admin
        .post(app.url("/api/v1/cities/larvik/programmes"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = programme["id"].as_str().unwrap().to_owned();
    admin
        .post(app.url(&format!("/api/v1/programmes/{id}/facilitators")))
        .json(&json!({ "email": "ingrid@example.no" }))
        .send()
        .await
        .unwrap();
    let (token, client) = app.sign_in("ingrid@example.no").await;
    let year = app.clock.now().year() - 16;
    client
        .patch(app.url("/api/v1/me"))
        .header("origin", PUBLIC_URL)
        .json(&json!({ "display_name": "Ingrid Zyxwv", "birth_year": year }))
        .send()
        .await
        .unwrap();
    let enrol = client
        .post(app.url(&format!("/api/v1/programmes/{id}/enrol")))
        .header("origin", PUBLIC_URL)
        .send()
        .await
        .unwrap();
    assert_eq!(enrol.status(), StatusCode::OK);
    (token, client)
}

#[tokio::test]
async fn the_export_holds_everything_about_the_person() {
    let app = TestApp::spawn().await;
    let (_, client) = busy_person(&app).await;
    let response = client
        .get(app.url("/api/v1/me/export"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("attachment") && disposition.contains(".json"),
        "{disposition}"
    );
    let export: Value = response.json().await.unwrap();
    assert_eq!(export["profile"]["email"], "ingrid@example.no");
    assert_eq!(export["profile"]["display_name"], "Ingrid Zyxwv");
    assert!(export["profile"]["birth_year"].is_number());
    assert_eq!(export["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(export["sign_in_links"].as_array().unwrap().len(), 1);
    assert_eq!(export["roles"][0]["role"], "facilitator");
    assert_eq!(export["enrolments"][0]["city"], "larvik");
    assert!(export["identities"].is_array());
    // Every table the registry exports appears in the file.
    for entry in REGISTRY {
        if let Some(key) = entry.export_key {
            assert!(
                export.get(key).is_some(),
                "export lacks {key} ({})",
                entry.table
            );
        }
    }
    let text = export.to_string();
    assert!(!text.contains("token_hash"), "no secrets in the export");
}

#[tokio::test]
async fn deletion_erases_personal_data_and_ends_sessions() {
    let app = TestApp::spawn().await;
    let (token, client) = busy_person(&app).await;
    let deleted = client
        .delete(app.url("/api/v1/me"))
        .header("origin", PUBLIC_URL)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let cleared = deleted.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");

    let by_bearer = TestApp::anonymous()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_problem(by_bearer, 401, "unauthorized").await;

    // No row anywhere still holds the address or the name.
    for (table, column) in db::privacy::schema(&app.state.db).await.unwrap() {
        for needle in ["ingrid@example.no", "Zyxwv"] {
            let sql = format!(
                "SELECT COUNT(*) FROM {table} WHERE CAST({column} AS TEXT) LIKE '%' || $1 || '%'"
            );
            let count: i64 = on_db!(&app.state.db, |pool| sqlx::query_scalar(&sql)
                .bind(needle)
                .fetch_one(pool)
                .await)
            .unwrap();
            assert_eq!(count, 0, "{table}.{column} still holds {needle}");
        }
    }

    // The address is free: signing in with it makes a new, empty account.
    let (_, again) = app.sign_in("ingrid@example.no").await;
    let me: Value = again
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(me["display_name"].is_null());
    assert_eq!(me["roles"], json!([]));
}

#[tokio::test]
async fn every_table_with_personal_data_is_registered() {
    let app = TestApp::spawn().await;
    let schema = db::privacy::schema(&app.state.db).await.unwrap();
    let tables: BTreeSet<&str> = schema.iter().map(|(t, _)| t.as_str()).collect();
    let personal: BTreeSet<&str> = schema
        .iter()
        .filter(|(_, column)| is_personal_column(column))
        .map(|(t, _)| t.as_str())
        .collect();
    let registered: BTreeSet<&str> = REGISTRY.iter().map(|r| r.table).collect();
    let missing: Vec<_> = personal.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "tables holding personal data without an export and erasure rule in service::privacy::REGISTRY: {missing:?}"
    );
    for table in &registered {
        assert!(
            tables.contains(table),
            "the registry names {table}, which does not exist"
        );
    }
    for entry in REGISTRY {
        assert!(
            entry.export_key.is_some()
                || entry
                    .erasure
                    .iter()
                    .all(|e| matches!(e, changemakers::service::privacy::Erasure::Expires(_))),
            "{} is neither exported nor explained",
            entry.table
        );
    }
}
