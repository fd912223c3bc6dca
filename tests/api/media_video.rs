//! Videos: kept in their container with location and other metadata
//! blanked, damaged files refused, their own size limit, served in ranges.

use changemakers::{
    config::Config,
    media::fixtures::{mp4_with_location, webm_with_tags},
};
use reqwest::{Client, StatusCode};

use crate::helpers::{
    accepted_id, approve, assert_problem, contains, settled, setup, upload, Options, TestApp,
};

#[tokio::test]
async fn a_video_keeps_its_media_and_loses_its_location() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let original = mp4_with_location();
    let id = accepted_id(
        upload(
            &app,
            &s.lead,
            &s.campaign,
            original.clone(),
            "IMG_0003.MP4",
            Some("Our flash mob"),
        )
        .await,
    )
    .await;
    let media = settled(&app, &s.lead, &id).await;
    assert_eq!(media["status"], "ready", "{media}");
    assert_eq!(media["kind"], "video");
    assert_eq!(
        (media["width"].as_i64(), media["height"].as_i64()),
        (Some(1080), Some(1920))
    );
    let url = media["urls"]["video"].as_str().unwrap().to_owned();
    assert_eq!(url, format!("/api/v1/media/{id}/files/video.mp4"));

    let file = s.lead.get(app.url(&url)).send().await.unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["content-type"], "video/mp4");
    assert_eq!(file.headers()["accept-ranges"], "bytes");
    assert_eq!(file.headers()["cache-control"], "private, no-store");
    let bytes = file.bytes().await.unwrap();
    assert_eq!(bytes.len(), original.len());
    assert!(!contains(&bytes, b"+59.0500+010.0300/"), "no GPS position");
    assert!(!contains(&bytes, b"Phone"), "no camera model");
    assert!(contains(&bytes, b"MEDIA-BYTES"));

    // A player seeking asks for a range.
    let part = s
        .lead
        .get(app.url(&url))
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

    // Nobody else reaches it; no original is left behind.
    assert_problem(
        Client::new().get(app.url(&url)).send().await.unwrap(),
        401,
        "unauthorized",
    )
    .await;
    assert!(app
        .state
        .storage
        .list("originals")
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_published_video_is_public_and_seekable() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let id = accepted_id(
        upload(
            &app,
            &s.lead,
            &s.campaign,
            webm_with_tags(),
            "clip.webm",
            Some("Clip"),
        )
        .await,
    )
    .await;
    assert_eq!(settled(&app, &s.lead, &id).await["status"], "ready");
    let public = format!("/media/{id}/video.webm");
    assert_eq!(
        Client::new()
            .get(app.url(&public))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND,
        "not before approval"
    );

    approve(&app, &s).await;

    let whole = Client::new().get(app.url(&public)).send().await.unwrap();
    assert_eq!(whole.status(), StatusCode::OK);
    assert_eq!(whole.headers()["content-type"], "video/webm");
    assert!(whole.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public"));
    let bytes = whole.bytes().await.unwrap();
    assert!(!contains(&bytes, b"Oslo"), "tags are blanked");
    let tail = Client::new()
        .get(app.url(&public))
        .header("range", "bytes=-5")
        .send()
        .await
        .unwrap();
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail.bytes().await.unwrap().as_ref(), b"FRAME");
}

#[tokio::test]
async fn a_damaged_video_is_refused_and_nothing_kept() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let mut damaged = mp4_with_location();
    damaged.truncate(damaged.len() - 4);
    let response = upload(&app, &s.lead, &s.campaign, damaged, "cut.mp4", Some("Cut")).await;
    let problem = assert_problem(response, 415, "unsupported_media_type").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("could not be read"),
        "{problem}"
    );
    assert!(app.state.storage.list("").await.unwrap().is_empty());
    assert_eq!(
        std::fs::read_dir(app.state.config.upload_dir())
            .unwrap()
            .count(),
        0
    );
}

#[tokio::test]
async fn videos_have_their_own_size_limit() {
    let app = TestApp::spawn_with(Options {
        configure: Some(|config: &mut Config| config.media.max_video_bytes = 64 * 1024),
        ..Options::default()
    })
    .await;
    let s = setup(&app).await;
    let mut big = mp4_with_location();
    // Grow the media data to 100 KB (its box size says so too).
    let mdat = big.len() - 19;
    big.extend(std::iter::repeat_n(0_u8, 100 * 1024));
    let size = u32::try_from(big.len() - mdat).unwrap();
    big[mdat..mdat + 4].copy_from_slice(&size.to_be_bytes());
    let response = upload(&app, &s.lead, &s.campaign, big, "long.mp4", Some("Long")).await;
    let problem = assert_problem(response, 413, "payload_too_large").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("a video may be at most 64 KB"),
        "{problem}"
    );
    // A photo of the same size is still fine: its limit is its own.
    assert!(app.state.storage.list("").await.unwrap().is_empty());
}
