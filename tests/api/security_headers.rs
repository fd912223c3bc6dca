//! The security headers of every family of routes, over http and https:
//! what may frame it, what it may load, no sniffing, the referrer policy,
//! and HSTS exactly when the platform is served over https.

use reqwest::header::HeaderMap;

use crate::helpers::{Options, TestApp};

/// (family, path, its content security policy must contain, may be framed)
const FAMILIES: &[(&str, &str, &str, bool)] = &[
    ("the app", "/", "script-src 'self'", false),
    (
        "an app route",
        "/campaigns/01a2337e-7507-75e9-a85d-883ab8464167",
        "script-src 'self'",
        false,
    ),
    (
        "a public campaign page",
        "/c/no-such-campaign",
        "script-src 'self'",
        false,
    ),
    ("the API", "/api/v1/cities", "default-src 'none'", false),
    (
        "an API problem",
        "/api/v1/nothing-here",
        "default-src 'none'",
        false,
    ),
    (
        "a refused API call",
        "/api/v1/me",
        "default-src 'none'",
        false,
    ),
    (
        "the API document",
        "/openapi.json",
        "default-src 'none'",
        false,
    ),
    (
        "the API docs",
        "/docs",
        "script-src 'self' 'unsafe-inline'",
        false,
    ),
    ("the metrics", "/metrics", "default-src 'none'", false),
    ("the health checks", "/readyz", "script-src 'self'", false),
    (
        "a media file",
        "/media/01a2337e-7507-75e9-a85d-883ab8464167/w320.jpg",
        "sandbox",
        false,
    ),
    (
        "the embedded gallery",
        "/embed/gallery",
        "frame-ancestors *",
        true,
    ),
    (
        "an embedded campaign card",
        "/embed/campaigns/no-such-campaign",
        "frame-ancestors *",
        true,
    ),
    (
        "the oEmbed answer",
        "/oembed?url=http%3A%2F%2Fchangemakers.test%2Fembed%2Fgallery",
        "",
        false,
    ),
    ("the embed script", "/embed.js", "", false),
];

fn check(
    family: &str,
    headers: &HeaderMap,
    csp_part: &str,
    framed: bool,
    https: bool,
) -> Vec<String> {
    let mut wrong = Vec::new();
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    if get("x-content-type-options") != "nosniff" {
        wrong.push(format!("{family}: no nosniff"));
    }
    if get("referrer-policy") != "strict-origin-when-cross-origin" {
        wrong.push(format!(
            "{family}: referrer-policy {:?}",
            get("referrer-policy")
        ));
    }
    if !get("permissions-policy").contains("geolocation=()") {
        wrong.push(format!(
            "{family}: permissions-policy {:?}",
            get("permissions-policy")
        ));
    }
    let csp = get("content-security-policy");
    if !csp_part.is_empty() && !csp.contains(csp_part) {
        wrong.push(format!("{family}: CSP {csp:?} lacks {csp_part:?}"));
    }
    if framed {
        if !get("x-frame-options").is_empty() || csp.contains("frame-ancestors 'none'") {
            wrong.push(format!("{family}: cannot be framed"));
        }
    } else if get("x-frame-options") != "DENY" {
        wrong.push(format!(
            "{family}: x-frame-options {:?}",
            get("x-frame-options")
        ));
    } else if !csp.is_empty() && !csp.contains("frame-ancestors 'none'") {
        wrong.push(format!("{family}: CSP {csp:?} allows framing"));
    }
    let hsts = get("strict-transport-security");
    if https && !hsts.contains("max-age=63072000") {
        wrong.push(format!("{family}: no HSTS over https"));
    }
    if !https && !hsts.is_empty() {
        wrong.push(format!("{family}: HSTS over plain http"));
    }
    wrong
}

#[tokio::test]
async fn every_route_family_carries_its_security_headers() {
    let mut wrong = Vec::new();
    for https in [false, true] {
        let app = TestApp::spawn_with(Options {
            public_url: https.then_some("https://changemakers.test"),
            ..Default::default()
        })
        .await;
        for (family, path, csp, framed) in FAMILIES {
            let response = TestApp::anonymous()
                .get(app.url(path))
                .send()
                .await
                .unwrap();
            let scheme = if https { "https" } else { "http" };
            let family = format!("{family} ({path}, {scheme}, {})", response.status());
            wrong.extend(check(&family, response.headers(), csp, *framed, https));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn private_api_answers_are_never_stored_by_caches() {
    let app = TestApp::spawn().await;
    let (_, client) = app.sign_in("ada@example.no").await;
    for path in [
        "/api/v1/me",
        "/api/v1/me/sessions",
        "/api/v1/me/notifications",
    ] {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
}
