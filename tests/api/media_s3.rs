//! Media on an S3-compatible store (s3s-fs, which checks request signatures):
//! the same privacy-safe processing, 503 while the store is down with nothing
//! half-written, processing that waits for the store to come back, and a
//! backup that lists the bucket's objects by checksum.

use changemakers::{
    config::Config,
    db::{self, on_db},
    media::fixtures::{exif_with_gps, photo},
    service::{self, backup, operator},
};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{accepted_id, contains, settled, setup, upload};
use crate::{
    helpers::{assert_problem, Options, TestApp},
    s3_server::S3Server,
};

async fn media_rows(app: &TestApp) -> i64 {
    on_db!(&app.state.db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM media"
    )
    .fetch_one(pool)
    .await
    .unwrap())
}

fn leftover_uploads(app: &TestApp) -> usize {
    std::fs::read_dir(app.state.config.upload_dir())
        .unwrap()
        .count()
}

async fn app_on(server: &S3Server, configure: Option<fn(&mut Config)>) -> TestApp {
    app_with(server.storage("campaign-media"), configure).await
}

/// An app on these storage settings, its bucket made.
async fn app_with(
    storage: changemakers::config::StorageConfig,
    configure: Option<fn(&mut Config)>,
) -> TestApp {
    let app = TestApp::spawn_with(Options {
        storage: Some(storage),
        configure,
        ..Options::default()
    })
    .await;
    let changemakers::storage::Storage::S3(s3) = &app.state.storage else {
        panic!("the app should use S3");
    };
    s3.create_bucket().await.unwrap();
    app
}

#[tokio::test]
async fn photos_are_processed_served_and_deleted_on_s3() {
    let Some(server) = S3Server::start().await else {
        return;
    };
    let app = app_on(&server, None).await;
    let s = setup(&app).await;
    let response = upload(
        &app,
        &s.lead,
        &s.campaign,
        photo(Some(&exif_with_gps())),
        "IMG_0002.jpg",
        Some("A banner at the gate"),
    )
    .await;
    let id = accepted_id(response).await;
    let media = settled(&app, &s.lead, &id).await;
    assert_eq!(media["status"], "ready", "{media}");

    let file = s
        .lead
        .get(app.url(media["urls"]["w960"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    let bytes = file.bytes().await.unwrap();
    assert!(!contains(&bytes, b"Exif"), "no EXIF from S3 either");
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (20, 40), "upright");

    let keys = app.state.storage.list("").await.unwrap();
    assert_eq!(
        keys,
        ["w1920.jpg", "w320.jpg", "w960.jpg"].map(|name| format!("media/{id}/{name}")),
        "three renditions and no original"
    );
    assert!(
        server
            .files()
            .iter()
            .all(|file| file.starts_with("campaign-media/cm/")),
        "keys carry the configured prefix: {:?}",
        server.files()
    );

    let deleted = s
        .lead
        .delete(app.url(&format!("/api/v1/media/{id}")))
        .header("origin", crate::helpers::PUBLIC_URL)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert!(app.state.storage.list("").await.unwrap().is_empty());
}

#[tokio::test]
async fn a_stopped_store_gets_503_and_keeps_nothing() {
    let Some(mut server) = S3Server::start().await else {
        return;
    };
    let app = app_on(&server, None).await;
    let s = setup(&app).await;
    server.stop().await;

    let response = upload(
        &app,
        &s.lead,
        &s.campaign,
        photo(None),
        "a.jpg",
        Some("Waving"),
    )
    .await;
    let problem = assert_problem(response, 503, "service_unavailable").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("storage"),
        "{problem}"
    );
    assert_eq!(media_rows(&app).await, 0, "no row without its object");
    assert_eq!(
        leftover_uploads(&app),
        0,
        "the upload's temporary file is gone"
    );

    server.resume().await;
    assert!(app.state.storage.list("").await.unwrap().is_empty());
    let response = upload(
        &app,
        &s.lead,
        &s.campaign,
        photo(None),
        "a.jpg",
        Some("Waving"),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::ACCEPTED,
        "works once it is back"
    );
}

/// A store that hangs (SIGSTOP: connections are accepted, nothing answers)
/// is worse than one that is down: the upload gets its 503 once the
/// configured timeout has passed, not never, and keeps nothing.
#[tokio::test]
async fn a_hanging_store_gets_503_within_its_timeout_and_keeps_nothing() {
    let Some(server) = S3Server::start().await else {
        return;
    };
    let mut storage = server.storage("campaign-media");
    storage.s3.timeout_seconds = 2;
    let app = app_with(storage, None).await;
    let s = setup(&app).await;
    server.pause();

    // The wall clock: the time a person waits is what is under test.
    #[allow(clippy::disallowed_methods)]
    let started = std::time::Instant::now();
    let response = upload(
        &app,
        &s.lead,
        &s.campaign,
        photo(None),
        "a.jpg",
        Some("Waving"),
    )
    .await;
    let waited = started.elapsed();
    assert_problem(response, 503, "service_unavailable").await;
    // The bound is the behaviour under test (a hung store must not hang the
    // person), not a speed figure: 2 s of timeout, with room for a slow machine.
    assert!(
        waited < std::time::Duration::from_secs(10),
        "answered after {waited:?}"
    );
    assert_eq!(media_rows(&app).await, 0, "no row without its object");
    assert_eq!(leftover_uploads(&app), 0, "no temporary file");

    server.unpause();
    assert!(
        server.files().is_empty(),
        "nothing reached the store: {:?}",
        server.files()
    );
    let response = upload(
        &app,
        &s.lead,
        &s.campaign,
        photo(None),
        "a.jpg",
        Some("Waving"),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::ACCEPTED,
        "works once it answers"
    );
}

#[tokio::test]
async fn processing_waits_for_the_store_to_come_back() {
    let Some(mut server) = S3Server::start().await else {
        return;
    };
    let app = app_on(&server, Some(|config| config.media.workers = 0)).await;
    let s = setup(&app).await;
    let accepted: Value = upload(
        &app,
        &s.lead,
        &s.campaign,
        photo(None),
        "a.jpg",
        Some("Waving"),
    )
    .await
    .json()
    .await
    .unwrap();
    let id: uuid::Uuid = accepted["id"].as_str().unwrap().parse().unwrap();

    server.stop().await;
    assert!(
        matches!(
            service::media::process(&app.state, id).await,
            service::media::Attempt::Retry(_)
        ),
        "a store that is down is worth another try"
    );
    let row = db::media::by_id(&app.state.db, id).await.unwrap().unwrap();
    assert_eq!(row.status, changemakers::domain::MediaStatus::Processing);

    server.resume().await;
    assert!(matches!(
        service::media::process(&app.state, id).await,
        service::media::Attempt::Done
    ));
    let row = db::media::by_id(&app.state.db, id).await.unwrap().unwrap();
    assert_eq!(row.status, changemakers::domain::MediaStatus::Ready);
    assert_eq!(app.state.storage.list("originals").await.unwrap().len(), 0);
}

#[tokio::test]
async fn a_wrong_secret_is_refused_by_the_store() {
    let Some(server) = S3Server::start().await else {
        return;
    };
    let mut storage = server.storage("campaign-media");
    storage.s3.secret_access_key = Some("not-the-secret".to_owned().into());
    let app = TestApp::spawn_with(Options {
        storage: Some(storage),
        ..Options::default()
    })
    .await;
    let s = setup(&app).await;
    let response = upload(
        &app,
        &s.lead,
        &s.campaign,
        photo(None),
        "a.jpg",
        Some("Waving"),
    )
    .await;
    assert_problem(response, 503, "service_unavailable").await;
    assert_eq!(media_rows(&app).await, 0);
    assert!(server.files().is_empty(), "{:?}", server.files());
}

#[tokio::test]
async fn videos_move_into_place_and_stream_in_ranges_on_s3() {
    let Some(server) = S3Server::start().await else {
        return;
    };
    let app = app_on(&server, None).await;
    let s = setup(&app).await;
    let original = changemakers::media::fixtures::mp4_with_location();
    let response = upload(
        &app,
        &s.lead,
        &s.campaign,
        original.clone(),
        "clip.mp4",
        Some("Our clip"),
    )
    .await;
    let id = accepted_id(response).await;
    let media = settled(&app, &s.lead, &id).await;
    assert_eq!(media["status"], "ready", "{media}");
    assert_eq!(
        app.state.storage.list("").await.unwrap(),
        [format!("media/{id}/video.mp4")],
        "moved from originals by a server-side copy"
    );
    let part = s
        .lead
        .get(app.url(media["urls"]["video"].as_str().unwrap()))
        .header("range", "bytes=4-7")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 4-7/{}", original.len()).as_str()
    );
    assert_eq!(part.bytes().await.unwrap().as_ref(), b"ftyp");
}

/// On S3 a backup holds the database and a list of the bucket's objects with
/// their checksums (the bucket keeps the objects; versioning keeps them
/// safe). A restore finds every object in the bucket; one missing, it is
/// refused before anything is written.
#[tokio::test]
async fn a_backup_on_s3_lists_the_objects_and_a_restore_finds_them() {
    let Some(server) = S3Server::start().await else {
        return;
    };
    let app = app_on(&server, None).await;
    operator::seed_demo(&app.state).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("backup");
    let manifest = backup::backup(&app.state, &out).await.unwrap();
    assert_eq!(manifest.media, "s3");
    assert!(
        manifest.objects.len() >= 5,
        "{} objects",
        manifest.objects.len()
    );
    assert!(
        manifest.objects.iter().all(|o| o.sha256.len() == 64),
        "each with its checksum"
    );
    assert!(
        !out.join("media").exists(),
        "the objects stay in the bucket"
    );

    let fresh = TestApp::spawn_with(Options {
        storage: Some(server.storage("campaign-media")),
        restore_from: Some(out.clone()),
        ..Options::default()
    })
    .await;
    // The cover photo is served from the bucket again.
    crate::backup::cover_bytes(&fresh).await;

    if app.is_postgres() {
        // The refusal is checked on SQLite: it needs a second empty database.
        return;
    }
    app.state
        .storage
        .delete(&manifest.objects[0].key)
        .await
        .unwrap();
    let target = tempfile::tempdir().unwrap();
    let mut config = (*app.state.config).clone();
    config.data_dir = target.path().to_path_buf();
    config.database.url = None;
    let refused = backup::restore(&config, &out).await.unwrap_err();
    assert!(refused.to_string().contains("missing"), "{refused}");
    assert_eq!(
        std::fs::read_dir(target.path()).unwrap().count(),
        0,
        "nothing was restored"
    );
}
