use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::spawn_with(crate::helpers::Options {
        configure: Some(|c| c.metrics.token = Some("scrape".to_owned().into())),
        ..Default::default()
    })
    .await;
    let client = TestApp::anonymous();
    assert_eq!(
        client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    client.get(app.url("/api/v1/cities")).send().await.unwrap();
    let metrics = client
        .get(app.url("/metrics"))
        .bearer_auth("scrape")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(
            "changemakers_http_requests_total{method=\"GET\",route=\"listCities\",status=\"200\"}"
        ),
        "{metrics}"
    );
    assert!(metrics.contains("changemakers_http_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    app.state.db.close().await;
    let response = TestApp::anonymous()
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn docs_and_spec_are_served() {
    let app = TestApp::spawn().await;
    let client = TestApp::anonymous();
    let spec: serde_json::Value = client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        spec["paths"]["/api/v1/auth/email"].is_object() || spec["paths"]["/auth/email"].is_object()
    );
    let docs = client.get(app.url("/docs")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.text().await.unwrap().contains("swagger"));
}

#[tokio::test]
async fn security_headers_are_set() {
    let app = TestApp::spawn().await;
    let client = TestApp::anonymous();
    for path in ["/", "/api/v1/cities", "/some/app/route"] {
        let response = client.get(app.url(path)).send().await.unwrap();
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(headers.contains_key("referrer-policy"));
    }
}

#[tokio::test]
async fn app_routes_fall_back_to_the_app() {
    let app = TestApp::spawn().await;
    let response = TestApp::anonymous()
        .get(app.url("/auth/verify?token=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let missing = TestApp::anonymous()
        .get(app.url("/assets/missing.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn https_turns_on_secure_cookies_and_hsts() {
    let app = crate::helpers::TestApp::spawn_with(crate::helpers::Options {
        public_url: Some("https://changemakers.test"),
        ..Default::default()
    })
    .await;
    app.request_link("secure@example.no").await;
    let token = app.token_from_outbox("secure@example.no").await;
    let response = app.verify_confirmed(&reqwest::Client::new(), &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(response.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
}

#[tokio::test]
async fn cors_is_open_only_on_public_reads() {
    let app = TestApp::spawn().await;
    let client = TestApp::anonymous();
    let public = client
        .get(app.url("/api/v1/cities"))
        .header("origin", "https://kommune.example")
        .send()
        .await
        .unwrap();
    assert_eq!(public.headers()["access-control-allow-origin"], "*");
    assert!(public
        .headers()
        .get("access-control-allow-credentials")
        .is_none());
    let private = client
        .get(app.url("/api/v1/me"))
        .header("origin", "https://kommune.example")
        .send()
        .await
        .unwrap();
    assert!(private
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

#[tokio::test]
async fn embed_pages_may_be_framed_and_nothing_else() {
    let app = TestApp::spawn().await;
    let client = TestApp::anonymous();
    let embed = client.get(app.url("/embed/gallery")).send().await.unwrap();
    assert!(embed.headers().get("x-frame-options").is_none());
    let csp = embed
        .headers()
        .get("content-security-policy")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(!csp.contains("frame-ancestors 'none'"), "{csp}");
    let docs = client.get(app.url("/docs")).send().await.unwrap();
    assert_eq!(docs.headers()["x-frame-options"], "DENY");
    let spec = client.get(app.url("/openapi.json")).send().await.unwrap();
    assert_eq!(spec.headers()["x-frame-options"], "DENY");
}
