//! Values leave the database as closed types: a row holding text outside its
//! set is a loud, opaque 500 (logged with its cause), never read as a default.

use changemakers::db::on_db;
use serde_json::json;

use crate::helpers::{team_setup, TestApp};

#[tokio::test]
async fn an_unknown_value_in_a_row_is_an_opaque_error_not_a_default() {
    let app = TestApp::spawn().await;
    let (_, _, lead, team) = team_setup(&app).await;
    let lead_client = app.as_user(&lead);
    let created = lead_client
        .post(
            &format!("/api/v1/teams/{team}/campaigns"),
            json!({ "title": "Hils", "summary": "", "body": "", "theme": "youth" }),
        )
        .await
        .ok(201)
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let history = format!("/api/v1/campaigns/{id}/history");
    lead_client.get(&history).await.ok(200).await;

    // The history's action column has no CHECK constraint: a bad value can be stored.
    let uuid: uuid::Uuid = id.parse().unwrap();
    on_db!(&app.state.db, |pool| sqlx::query(
        "UPDATE campaign_events SET action = 'teleported' WHERE campaign_id = $1"
    )
    .bind(uuid)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))
    .unwrap();
    let body = lead_client
        .get(&history)
        .await
        .problem(500, "internal_error")
        .await;
    assert!(
        !body.to_string().contains("teleported"),
        "the cause stays in the log: {body}"
    );
}
