//! Backup and restore: a seeded platform backed up and restored into a fresh
//! one has every campaign, photo, report and figure; a restore never writes
//! over a platform, and refuses a backup whose media were changed.

use changemakers::service::{backup, operator};
use serde_json::{json, Value};

use crate::helpers::{json, Options, TestApp, PUBLIC_URL};

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> Value {
    json(client.get(app.url(path)).send().await.unwrap()).await
}

/// The first gallery campaign's cover: its path and its bytes, served with 200.
pub(crate) async fn cover_bytes(app: &TestApp) -> (String, Vec<u8>) {
    let anonymous = TestApp::anonymous();
    let gallery = get(app, &anonymous, "/api/v1/public/campaigns?city=larvik").await;
    let url = gallery["items"][0]["cover"]["urls"]["w320"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = url::Url::parse(&url)
        .map(|u| u.path().to_owned())
        .unwrap_or(url);
    let bytes = anonymous.get(app.url(&path)).send().await.unwrap();
    assert_eq!(bytes.status(), 200, "{path}");
    (path, bytes.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn a_restored_platform_has_every_campaign_photo_report_and_figure() {
    let app = TestApp::spawn().await;
    operator::seed_demo(&app.state).await.unwrap();
    let anonymous = TestApp::anonymous();
    let slug = get(&app, &anonymous, "/api/v1/public/campaigns?city=larvik").await["items"][0]
        ["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let reported = anonymous
        .post(app.url(&format!("/api/v1/public/campaigns/{slug}/reports")))
        .header("origin", PUBLIC_URL)
        .json(&json!({ "reason": "spam" }))
        .send()
        .await
        .unwrap();
    assert!(reported.status().is_success(), "{}", reported.status());
    let (cover, original) = cover_bytes(&app).await;

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("backup");
    let manifest = backup::backup(&app.state, &out).await.unwrap();
    assert_eq!(manifest.database, app.state.db.backend());
    assert_eq!(manifest.counts["campaigns"], 6);
    assert_eq!(manifest.counts["campaign_reports"], 1);
    assert!(
        manifest.objects.len() >= 5,
        "{} objects",
        manifest.objects.len()
    );
    // A second backup into the same directory is refused, the first kept.
    let again = backup::backup(&app.state, &out).await.unwrap_err();
    assert!(again.to_string().contains("not empty"), "{again}");
    // Nor does a restore ever write over a platform.
    let over = backup::restore(&app.state.config, &out).await.unwrap_err();
    assert!(over.to_string().contains("already holds"), "{over}");

    let fresh = TestApp::spawn_with(Options {
        restore_from: Some(out.clone()),
        ..Default::default()
    })
    .await;
    let anonymous = TestApp::anonymous();
    let gallery = get(&fresh, &anonymous, "/api/v1/public/campaigns?city=larvik").await;
    assert_eq!(gallery["items"][0]["slug"], slug.as_str());
    let (restored_cover, restored) = cover_bytes(&fresh).await;
    assert_eq!(restored_cover, cover);
    assert_eq!(restored, original, "the photo is the same, byte for byte");
    let goal = get(&fresh, &anonymous, "/api/v1/stats/goal").await;
    assert_eq!(goal["changemakers_trained"], 5);
    assert_eq!(goal["people_reached_verified"], 3000);
    // The staff find their queues, the report and the audit trail as they were.
    let (_, kari) = fresh.sign_in("kari@demo.changemakers.example").await;
    let queue = get(&fresh, &kari, "/api/v1/moderation/queue").await;
    assert_eq!(queue["items"][0]["title"], "Trygg skolevei");
    let reports = get(&fresh, &kari, "/api/v1/moderation/reports?status=open").await;
    assert_eq!(reports["items"].as_array().unwrap().len(), 1);
    let (_, ola) = fresh.sign_in("ola@demo.changemakers.example").await;
    let audit = get(&fresh, &ola, "/api/v1/moderation/audit").await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn a_backup_whose_photos_were_changed_is_refused() {
    let app = TestApp::spawn().await;
    operator::seed_demo(&app.state).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("backup");
    let manifest = backup::backup(&app.state, &out).await.unwrap();
    let object = &manifest.objects[0];
    std::fs::write(out.join("media").join(&object.key), b"not the photo").unwrap();
    let mut config = (*app.state.config).clone();
    let target = tempfile::tempdir().unwrap();
    config.data_dir = target.path().to_path_buf();
    if app.is_postgres() {
        // Only the SQLite case is checked here: a second PostgreSQL database
        // is the first test's fresh platform.
        return;
    }
    config.database.url = None;
    let refused = backup::restore(&config, &out).await.unwrap_err();
    assert!(refused.to_string().contains("differ"), "{refused}");
    assert_eq!(
        std::fs::read_dir(target.path()).unwrap().count(),
        0,
        "nothing was restored"
    );
}
