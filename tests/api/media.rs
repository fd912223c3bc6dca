//! Photos: upload, privacy-safe processing, limits, access and durability.

use changemakers::{
    config::Config,
    db::{self, on_db},
    media::fixtures::{exif_with_gps, photo, png_declaring},
    service,
};
use reqwest::{multipart, Client, Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    approve, assert_problem, contains, send, settled, setup, upload, young_person, Options,
    TestApp, PUBLIC_URL,
};

#[tokio::test]
async fn a_photo_becomes_upright_renditions_without_metadata() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let response = upload(
        &app,
        &s.lead,
        &s.campaign,
        photo(Some(&exif_with_gps())),
        "IMG_0001.jpg",
        Some("Two friends waving"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let accepted: Value = response.json().await.unwrap();
    assert_eq!(accepted["status"], "processing");
    let id = accepted["id"].as_str().unwrap().to_owned();

    let media = settled(&app, &s.lead, &id).await;
    assert_eq!(media["status"], "ready", "{media}");
    assert_eq!(
        (media["width"].as_i64(), media["height"].as_i64()),
        (Some(20), Some(40)),
        "upright"
    );
    assert!(media["blurhash"].is_string() && media["dominant_color"].is_string());
    assert_eq!(media["public"], false);
    for name in ["w320", "w960", "w1920"] {
        let url = media["urls"][name].as_str().unwrap().to_owned();
        assert!(
            url.starts_with("/api/v1/media/"),
            "private until approved: {url}"
        );
        let file = s.lead.get(app.url(&url)).send().await.unwrap();
        assert_eq!(file.status(), StatusCode::OK);
        assert_eq!(file.headers()["content-type"], "image/jpeg");
        assert_eq!(file.headers()["cache-control"], "private, no-store");
        let bytes = file.bytes().await.unwrap();
        assert!(
            !contains(&bytes, b"Exif") && !contains(&bytes, &[0xFF, 0xE1]),
            "no EXIF in {name}"
        );
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (20, 40));
    }
    // The original as uploaded is not kept.
    let originals = app.state.storage.list("originals").await.unwrap();
    assert!(originals.is_empty(), "{originals:?}");
    // The campaign lists it.
    let campaign: Value = s
        .lead
        .get(app.url(&format!("/api/v1/campaigns/{}", s.campaign)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(campaign["media"][0]["alt_text"], "Two friends waving");
}

#[tokio::test]
async fn private_media_is_unreachable_until_approved() {
    let app = TestApp::spawn().await;
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
    let id = accepted["id"].as_str().unwrap().to_owned();
    let media = settled(&app, &s.lead, &id).await;
    let private = media["urls"]["w320"].as_str().unwrap().to_owned();
    let public = format!("/media/{id}/w320.jpg");

    assert_problem(
        Client::new().get(app.url(&private)).send().await.unwrap(),
        401,
        "unauthorized",
    )
    .await;
    let stranger = young_person(&app, "stranger@example.no").await;
    assert_problem(
        stranger.get(app.url(&private)).send().await.unwrap(),
        404,
        "not_found",
    )
    .await;
    assert_problem(
        stranger
            .get(app.url(&format!("/api/v1/media/{id}")))
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        s.facilitator
            .get(app.url(&private))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        Client::new()
            .get(app.url(&public))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    // Submit and approve (as moderation will): the renditions become public.
    let campaign: Value = s
        .lead
        .get(app.url(&format!("/api/v1/campaigns/{}", s.campaign)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let submitted = send(
        &app,
        &s.lead,
        Method::POST,
        &format!("/api/v1/campaigns/{}/submit", s.campaign),
        Some(json!({ "version": campaign["version"] })),
    )
    .await;
    assert_eq!(submitted.status(), StatusCode::OK);
    approve(&app, &s).await;

    let response = Client::new().get(app.url(&public)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public"));
    let media: Value = s
        .lead
        .get(app.url(&format!("/api/v1/media/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(media["public"], true);
    assert_eq!(media["urls"]["w960"], format!("/media/{id}/w960.jpg"));
    assert_eq!(
        Client::new()
            .get(app.url(&format!("/media/{id}/original.jpg")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_form_that_is_wrong_keeps_nothing_of_its_file() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    // The file streams to disk first; the consent after it is neither true nor false.
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(photo(None))
                .file_name("a.jpg")
                .mime_str("image/jpeg")
                .unwrap(),
        )
        .text("consent_confirmed", "yes please");
    let response = s
        .lead
        .post(app.url(&format!("/api/v1/campaigns/{}/media", s.campaign)))
        .header("origin", crate::helpers::PUBLIC_URL)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "consent_confirmed");
    assert_eq!(
        std::fs::read_dir(app.state.config.upload_dir())
            .unwrap()
            .count(),
        0,
        "the streamed file is gone"
    );
    assert!(app
        .state
        .storage
        .list("originals")
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn files_are_judged_by_their_bytes() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let html = upload(
        &app,
        &s.lead,
        &s.campaign,
        b"<!DOCTYPE html><html><script>alert(1)</script></html>".to_vec(),
        "cat.jpg",
        None,
    )
    .await;
    assert_problem(html, 415, "unsupported_media_type").await;
    let svg = upload(
        &app,
        &s.lead,
        &s.campaign,
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>".to_vec(),
        "logo.png",
        None,
    )
    .await;
    assert_problem(svg, 415, "unsupported_media_type").await;
    let heic = upload(
        &app,
        &s.lead,
        &s.campaign,
        b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec(),
        "IMG_2000.HEIC",
        None,
    )
    .await;
    let problem = assert_problem(heic, 415, "unsupported_media_type").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("JPEG"),
        "{problem}"
    );
    let bomb = upload(
        &app,
        &s.lead,
        &s.campaign,
        png_declaring(50_000, 50_000),
        "bomb.png",
        None,
    )
    .await;
    let problem = assert_problem(bomb, 413, "payload_too_large").await;
    assert!(problem["detail"].as_str().unwrap().contains("pixels"));
    let empty = upload(&app, &s.lead, &s.campaign, Vec::new(), "empty.jpg", None).await;
    assert_problem(empty, 422, "validation_failed").await;
    // Nothing was kept of any of them.
    assert!(app
        .state
        .storage
        .list("originals")
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        std::fs::read_dir(app.state.config.upload_dir())
            .unwrap()
            .count(),
        0,
        "no upload left behind"
    );
}

#[tokio::test]
async fn concurrent_uploads_cannot_pass_the_quota() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let max = usize::try_from(changemakers::service::media::MAX_PER_CAMPAIGN).unwrap();
    let attempts = (0..max + 6).map(|i| {
        let (app, s) = (&app, &s);
        async move {
            upload(
                app,
                &s.lead,
                &s.campaign,
                photo(None),
                &format!("p{i}.jpg"),
                None,
            )
            .await
            .status()
            .as_u16()
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    let accepted = statuses.iter().filter(|s| **s == 202).count();
    let refused = statuses.iter().filter(|s| **s == 409).count();
    assert_eq!((accepted, refused), (max, 6), "{statuses:?}");
    let campaign: Value = send(
        &app,
        &s.lead,
        Method::GET,
        &format!("/api/v1/campaigns/{}", s.campaign),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(campaign["media"].as_array().unwrap().len(), max);
    for item in campaign["media"].as_array().unwrap() {
        settled(&app, &s.lead, item["id"].as_str().unwrap()).await;
    }
    // Nothing of a refused upload is left in storage.
    assert!(app
        .state
        .storage
        .list("originals")
        .await
        .unwrap()
        .is_empty());
    let renditions = app.state.config.media.rendition_widths.len();
    assert_eq!(
        app.state.storage.list("media").await.unwrap().len(),
        max * renditions
    );
}

#[tokio::test]
async fn a_photo_cut_off_mid_upload_fails_with_a_clear_reason() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    for (format, name) in [
        (image::ImageFormat::Jpeg, "cut.jpg"),
        (image::ImageFormat::Png, "cut.png"),
        (image::ImageFormat::WebP, "cut.webp"),
    ] {
        let whole = changemakers::media::fixtures::photo_as(format, 640, 480);
        // The first quarter of the file, as a phone on a bad network may send.
        let accepted: Value = upload(
            &app,
            &s.lead,
            &s.campaign,
            whole[..whole.len() / 4].to_vec(),
            name,
            None,
        )
        .await
        .json()
        .await
        .unwrap();
        let media = settled(&app, &s.lead, accepted["id"].as_str().unwrap()).await;
        assert_eq!(media["status"], "failed", "{name}: {media}");
        assert_eq!(media["error_code"], "incomplete", "{name}: {media}");
        assert!(
            media["error"].as_str().unwrap().contains("incomplete"),
            "{name}: {media}"
        );
        assert!(media["urls"].as_object().unwrap().is_empty());
    }
    assert!(app
        .state
        .storage
        .list("originals")
        .await
        .unwrap()
        .is_empty());
    assert!(app.state.storage.list("media").await.unwrap().is_empty());
}

#[tokio::test]
async fn oversized_uploads_get_413_before_they_are_stored() {
    let app = TestApp::spawn_with(Options {
        configure: Some(|config: &mut Config| config.media.max_image_bytes = 200 * 1024),
        ..Options::default()
    })
    .await;
    let s = setup(&app).await;
    // Streamed without a length: refused once the limit is passed.
    let mut big = photo(None);
    big.resize(3 * 1024 * 1024, 0);
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        big.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    let part = multipart::Part::stream(reqwest::Body::wrap_stream(futures_util::stream::iter(
        chunks,
    )))
    .file_name("big.jpg");
    let response = s
        .lead
        .post(app.url(&format!("/api/v1/campaigns/{}/media", s.campaign)))
        .header("origin", PUBLIC_URL)
        .multipart(multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_problem(response, 413, "payload_too_large").await;
    // Announced as too large: refused without reading.
    let response = upload(&app, &s.lead, &s.campaign, big, "big.jpg", None).await;
    assert_problem(response, 413, "payload_too_large").await;
    assert!(app
        .state
        .storage
        .list("originals")
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        std::fs::read_dir(app.state.config.upload_dir())
            .unwrap()
            .count(),
        0
    );
}

#[tokio::test]
async fn submitting_needs_alt_text_and_consent_for_every_photo() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let accepted: Value = upload(&app, &s.lead, &s.campaign, photo(None), "a.jpg", None)
        .await
        .json()
        .await
        .unwrap();
    let id = accepted["id"].as_str().unwrap().to_owned();
    settled(&app, &s.lead, &id).await;
    let version = |v: Value| v["version"].clone();
    let campaign: Value = s
        .lead
        .get(app.url(&format!("/api/v1/campaigns/{}", s.campaign)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let refused = send(
        &app,
        &s.lead,
        Method::POST,
        &format!("/api/v1/campaigns/{}/submit", s.campaign),
        Some(json!({ "version": version(campaign.clone()) })),
    )
    .await;
    let problem = assert_problem(refused, 422, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["media.0.alt_text", "media.0.consent_confirmed"]);

    let path = format!("/api/v1/media/{id}");
    app.as_user(&s.lead)
        .patch(
            &path,
            json!({ "alt_text": "Friends at the gate", "consent_confirmed": true }),
        )
        .await
        .ok(200)
        .await;
    app.as_user(&s.facilitator)
        .patch(&path, json!({ "alt_text": "x" }))
        .await
        .problem(403, "forbidden")
        .await;
    let submitted = send(
        &app,
        &s.lead,
        Method::POST,
        &format!("/api/v1/campaigns/{}/submit", s.campaign),
        Some(json!({ "version": version(campaign) })),
    )
    .await;
    assert_eq!(submitted.status(), StatusCode::OK);
}

#[tokio::test]
async fn deleting_removes_row_and_files() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let accepted: Value = upload(&app, &s.lead, &s.campaign, photo(None), "a.jpg", Some("x"))
        .await
        .json()
        .await
        .unwrap();
    let id = accepted["id"].as_str().unwrap().to_owned();
    settled(&app, &s.lead, &id).await;
    assert_eq!(
        app.state
            .storage
            .list(&format!("media/{id}"))
            .await
            .unwrap()
            .len(),
        3
    );
    app.as_user(&s.lead)
        .delete(&format!("/api/v1/media/{id}"))
        .await
        .ok(204)
        .await;
    assert!(app
        .state
        .storage
        .list(&format!("media/{id}"))
        .await
        .unwrap()
        .is_empty());
    assert_problem(
        s.lead
            .get(app.url(&format!("/api/v1/media/{id}")))
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn orphaned_objects_are_swept() {
    let app = TestApp::spawn().await;
    let ghost = uuid::Uuid::now_v7();
    app.state
        .storage
        .put(
            &format!("media/{ghost}/w320.jpg"),
            bytes::Bytes::from_static(b"x"),
            "image/jpeg",
        )
        .await
        .unwrap();
    let two_hours_ago = app.clock.now() - chrono::Duration::hours(2);
    let old = uuid::Uuid::new_v7(uuid::Timestamp::from_unix(
        uuid::NoContext,
        u64::try_from(two_hours_ago.timestamp()).unwrap(),
        0,
    ));
    app.state
        .storage
        .put(
            &format!("originals/{old}"),
            bytes::Bytes::from_static(b"x"),
            "image/jpeg",
        )
        .await
        .unwrap();
    // Made "now" by the test's clock, not the wall clock it may be hours from.
    let young = uuid::Uuid::new_v7(uuid::Timestamp::from_unix(
        uuid::NoContext,
        u64::try_from(app.clock.now().timestamp()).unwrap(),
        0,
    ));
    app.state
        .storage
        .put(
            &format!("originals/{young}"),
            bytes::Bytes::from_static(b"x"),
            "image/jpeg",
        )
        .await
        .unwrap();
    assert_eq!(service::media::sweep_orphans(&app.state).await.unwrap(), 2);
    assert_eq!(
        app.state.storage.list("").await.unwrap(),
        [format!("originals/{young}")],
        "a fresh upload may still get its row"
    );
}

#[tokio::test]
async fn processing_survives_a_crash() {
    // A worker claims the job and "crashes" holding it. A second instance
    // finds it leased, and takes it over once the lease runs out.
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let accepted: Value = upload(&app, &s.lead, &s.campaign, photo(None), "a.jpg", Some("x"))
        .await
        .json()
        .await
        .unwrap();
    let id = accepted["id"].as_str().unwrap().to_owned();
    let claimed = db::jobs::claim(
        &app.state.db,
        app.state.clock.now(),
        chrono::Duration::minutes(5),
    )
    .await
    .unwrap();
    assert!(claimed.is_some(), "the job is durable and claimable");

    let second = app.beside(|_| {}).await;
    second.run_jobs().await;
    let status = |app: &TestApp| {
        let (lead, url) = (s.lead.clone(), app.url(&format!("/api/v1/media/{id}")));
        async move {
            let media: Value = lead.get(url).send().await.unwrap().json().await.unwrap();
            media["status"].as_str().unwrap().to_owned()
        }
    };
    assert_eq!(status(&app).await, "processing", "the lease holds");
    second.clock.advance(chrono::Duration::minutes(6));
    second.run_jobs().await;
    assert_eq!(status(&app).await, "ready");
    let attempts: i32 = on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT attempts FROM jobs"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(attempts, 2);
}
