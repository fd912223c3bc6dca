//! Text travels compressed: brotli or gzip as the client accepts, with
//! `Vary: Accept-Encoding`; the built app's files were compressed ahead of
//! time; conditional requests keep working on compressed answers.

use std::io::Read;

use reqwest::{header, Client, Response};

use crate::helpers::TestApp;

fn decode(encoding: Option<&str>, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match encoding {
        Some("br") => {
            brotli::Decompressor::new(bytes, 4096)
                .read_to_end(&mut out)
                .expect("valid brotli");
        }
        Some("gzip") => {
            flate2::read::GzDecoder::new(bytes)
                .read_to_end(&mut out)
                .expect("valid gzip");
        }
        None => out.extend_from_slice(bytes),
        Some(other) => panic!("unexpected encoding {other}"),
    }
    out
}

async fn fetch(app: &TestApp, path: &str, accept: Option<&str>) -> (Response, Option<String>) {
    let mut request = Client::new().get(app.url(path));
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT_ENCODING, accept);
    }
    let response = request.send().await.unwrap();
    let encoding = response
        .headers()
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap().to_owned());
    (response, encoding)
}

fn varies(response: &Response) -> bool {
    response.headers().get_all(header::VARY).iter().any(|v| {
        v.to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding")
    })
}

#[tokio::test]
async fn api_answers_are_compressed_as_the_client_accepts() {
    let app = TestApp::spawn().await;
    let (plain, none) = fetch(&app, "/openapi.json", None).await;
    assert!(
        none.is_none(),
        "nothing compressed for a client that did not ask"
    );
    assert!(varies(&plain));
    let original = plain.bytes().await.unwrap();

    for (accept, expected) in [
        ("gzip, deflate, br", "br"),
        ("gzip", "gzip"),
        ("br;q=0.5, gzip;q=0.9", "gzip"),
    ] {
        let (response, encoding) = fetch(&app, "/openapi.json", Some(accept)).await;
        assert_eq!(encoding.as_deref(), Some(expected), "{accept}");
        assert!(varies(&response));
        assert!(response
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_none_or(|l| { l.to_str().unwrap().parse::<usize>().unwrap() < original.len() }));
        let body = response.bytes().await.unwrap();
        assert!(
            body.len() * 4 < original.len(),
            "the spec shrinks well: {} of {}",
            body.len(),
            original.len()
        );
        assert_eq!(decode(encoding.as_deref(), &body), original);
    }
    let (_, refused) = fetch(&app, "/openapi.json", Some("br;q=0, gzip;q=0")).await;
    assert!(refused.is_none());

    // A problem is JSON too, and small ones are not worth it.
    let (problem, encoding) = fetch(&app, "/api/v1/nothing-here", Some("br")).await;
    assert_eq!(problem.status(), 404);
    assert!(encoding.is_none(), "a few hundred bytes go as they are");
}

#[tokio::test]
async fn public_answers_stay_conditional_when_compressed() {
    let app = TestApp::spawn().await;
    changemakers::service::operator::seed_demo(&app.state)
        .await
        .unwrap();
    let path = "/embed/gallery?city=larvik";
    let (first, encoding) = fetch(&app, path, Some("br")).await;
    assert_eq!(
        encoding.as_deref(),
        Some("br"),
        "the gallery page is worth compressing"
    );
    let etag = first.headers()[header::ETAG].to_str().unwrap().to_owned();
    assert!(
        etag.ends_with("-br\""),
        "the tag names its encoding: {etag}"
    );
    let again = Client::new()
        .get(app.url(path))
        .header(header::ACCEPT_ENCODING, "br")
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()[header::ETAG].to_str().unwrap(), etag);
}

/// The app's built files, as the test command builds them before these tests.
fn built(path: &str) -> std::path::PathBuf {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("frontend/dist")
        .join(path);
    assert!(
        file.exists(),
        "{} is missing: build the web app first (cd frontend && npm run build)",
        file.display()
    );
    file
}

#[tokio::test]
async fn the_apps_files_are_sent_as_compressed_ahead_of_time() {
    let app = TestApp::spawn().await;
    let index = std::fs::read_to_string(built("index.html")).unwrap();
    let script = index
        .split("src=\"/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the entry script in index.html")
        .to_owned();
    let original = std::fs::read(built(&script)).unwrap();
    let brotli = std::fs::read(built(&format!("{script}.br"))).unwrap();

    let (response, encoding) = fetch(&app, &format!("/{script}"), Some("gzip, br")).await;
    assert_eq!(encoding.as_deref(), Some("br"));
    assert!(varies(&response));
    assert!(response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .contains("javascript"));
    assert!(response.headers()[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let etag = response.headers()[header::ETAG]
        .to_str()
        .unwrap()
        .to_owned();
    let body = response.bytes().await.unwrap();
    assert_eq!(
        body.as_ref(),
        brotli.as_slice(),
        "the file made at build time"
    );
    assert_eq!(decode(Some("br"), &body), original);

    let (gzip, encoding) = fetch(&app, &format!("/{script}"), Some("gzip")).await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert_eq!(decode(Some("gzip"), &gzip.bytes().await.unwrap()), original);
    let (plain, encoding) = fetch(&app, &format!("/{script}"), None).await;
    assert!(encoding.is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), original.as_slice());

    let cached = Client::new()
        .get(app.url(&format!("/{script}")))
        .header(header::ACCEPT_ENCODING, "br")
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), 304);

    // The shell itself, and the compressed copies never under their own names.
    let (shell, _) = fetch(&app, "/account", Some("br")).await;
    assert_eq!(shell.status(), 200);
    assert!(varies(&shell));
    let (raw, _) = fetch(&app, &format!("/{script}.br"), Some("br")).await;
    assert_eq!(raw.status(), 404);
}
