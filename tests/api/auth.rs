use chrono::Duration;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, wait_for_mail_count, Options, TestApp, PUBLIC_URL};

#[tokio::test]
async fn a_sign_in_link_works_once() {
    let app = TestApp::spawn().await;
    let client = Client::builder().cookie_store(true).build().unwrap();
    assert_eq!(
        app.request_link_from(&client, "Ada@Example.no")
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    let token = app.token_from_outbox("ada@example.no").await;
    let response = app.verify(&client, &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("changemakers_session="));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(
        !cookie.contains("Secure"),
        "http public URL: no Secure flag"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["email"], "ada@example.no");
    assert_eq!(body["token"].as_str().unwrap().len(), 43);

    let again = app.verify(&Client::new(), &token).await;
    assert_problem(again, 410, "token_used").await;
}

#[tokio::test]
async fn a_sign_in_link_expires_after_fifteen_minutes() {
    let app = TestApp::spawn().await;
    app.request_link("late@example.no").await;
    let token = app.token_from_outbox("late@example.no").await;
    app.clock
        .advance(Duration::minutes(15) + Duration::seconds(1));
    assert_problem(
        app.verify(&Client::new(), &token).await,
        410,
        "token_expired",
    )
    .await;

    app.request_link("prompt@example.no").await;
    let token = app.token_from_outbox("prompt@example.no").await;
    app.clock.advance(Duration::minutes(14));
    assert_eq!(
        app.verify_confirmed(&Client::new(), &token).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_unknown_address_gets_202_and_its_account_only_on_use() {
    let app = TestApp::spawn().await;
    let response = app.request_link("nobody@example.no").await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    wait_for_mail_count(&app.outbox(), "nobody@example.no", 1).await;
    let user = changemakers::db::users::by_email(&app.state.db, "nobody@example.no")
        .await
        .unwrap();
    assert!(user.is_none(), "no account before the link is used");
}

#[tokio::test]
async fn an_invalid_email_gets_422() {
    let app = TestApp::spawn().await;
    let response = app.request_link("not-an-address").await;
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "email");
}

#[tokio::test]
async fn bad_tokens_get_400() {
    let app = TestApp::spawn().await;
    assert_problem(
        app.verify(&Client::new(), "nonsense").await,
        400,
        "invalid_token",
    )
    .await;
    let unknown = "A".repeat(43);
    assert_problem(
        app.verify(&Client::new(), &unknown).await,
        400,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn the_mail_speaks_the_requested_language() {
    let app = TestApp::spawn().await;
    Client::new()
        .post(app.url("/api/v1/auth/email"))
        .json(&json!({ "email": "kari@example.no", "locale": "nb" }))
        .send()
        .await
        .unwrap();
    wait_for_mail_count(&app.outbox(), "kari@example.no", 1).await;
    let mail = std::fs::read_dir(app.outbox())
        .unwrap()
        .map(|e| crate::helpers::decode_qp(&std::fs::read_to_string(e.unwrap().path()).unwrap()))
        .find(|m| m.contains("kari@example.no"))
        .unwrap();
    assert!(mail.contains("Logg inn"), "{mail}");
    assert!(mail.contains("text/html"));
}

#[tokio::test]
async fn logout_revokes_the_session() {
    let app = TestApp::spawn().await;
    let (token, browser) = app.sign_in("leaving@example.no").await;
    let response = browser
        .post(app.url("/api/v1/auth/logout"))
        .header("origin", PUBLIC_URL)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let bearer = Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_problem(bearer, 401, "unauthorized").await;
    let cookie = browser.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_problem(cookie, 401, "unauthorized").await;
}

#[tokio::test]
async fn cookie_and_bearer_both_authenticate() {
    let app = TestApp::spawn().await;
    let (token, browser) = app.sign_in("both@example.no").await;
    let by_cookie = browser.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(by_cookie.status(), StatusCode::OK);
    let by_bearer = Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(by_bearer.status(), StatusCode::OK);
    let me: Value = by_bearer.json().await.unwrap();
    assert_eq!(me["email"], "both@example.no");
    let nobody = Client::new()
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap();
    assert_problem(nobody, 401, "unauthorized").await;
}

#[tokio::test]
async fn a_cookie_request_from_another_origin_is_refused() {
    let app = TestApp::spawn().await;
    let (token, browser) = app.sign_in("csrf@example.no").await;
    let patch = |origin: &'static str| {
        browser
            .patch(app.url("/api/v1/me"))
            .header("origin", origin)
            .json(&json!({ "display_name": "Mallory" }))
            .send()
    };
    assert_problem(
        patch("https://evil.example").await.unwrap(),
        403,
        "cross_origin_request",
    )
    .await;
    let cross_site = browser
        .patch(app.url("/api/v1/me"))
        .header("sec-fetch-site", "cross-site")
        .json(&json!({ "display_name": "Mallory" }))
        .send()
        .await
        .unwrap();
    assert_problem(cross_site, 403, "cross_origin_request").await;
    let me: Value = browser
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(me["display_name"].is_null(), "nothing changed");

    assert_eq!(patch(PUBLIC_URL).await.unwrap().status(), StatusCode::OK);
    // A bearer token is not ambient, so the origin does not matter.
    let bearer = Client::new()
        .patch(app.url("/api/v1/me"))
        .header("origin", "https://elsewhere.example")
        .bearer_auth(&token)
        .json(&json!({ "display_name": "Ada" }))
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), StatusCode::OK);
}

#[tokio::test]
async fn sessions_slide_while_used_and_expire_when_idle() {
    let app = TestApp::spawn().await;
    let (token, _) = app.sign_in("slide@example.no").await;
    let me = |token: String| {
        Client::new()
            .get(app.url("/api/v1/me"))
            .bearer_auth(token)
            .send()
    };
    for _ in 0..3 {
        app.clock.advance(Duration::days(20));
        assert_eq!(me(token.clone()).await.unwrap().status(), StatusCode::OK);
    }
    app.clock.advance(Duration::days(31));
    assert_problem(me(token).await.unwrap(), 401, "unauthorized").await;
}

#[tokio::test]
async fn sessions_end_at_their_absolute_lifetime() {
    let app = TestApp::spawn().await;
    let (token, _) = app.sign_in("absolute@example.no").await;
    for _ in 0..4 {
        app.clock.advance(Duration::days(20));
        let response = Client::new()
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    app.clock.advance(Duration::days(11));
    let response = Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_problem(response, 401, "unauthorized").await;
}

#[tokio::test]
async fn each_sign_in_gets_a_new_session() {
    let app = TestApp::spawn().await;
    let (first, _) = app.sign_in("twice@example.no").await;
    let (second, _) = app.sign_in("twice@example.no").await;
    assert_ne!(first, second);
}

#[tokio::test]
async fn links_are_limited_per_address_and_client_and_the_asker_is_told() {
    let app = TestApp::spawn_with(Options {
        configure: Some(|c| c.trust_forwarded_for = true),
        ..Default::default()
    })
    .await;
    let ask = |from: &'static str| {
        TestApp::anonymous()
            .post(app.url("/api/v1/auth/email"))
            .header("x-forwarded-for", from)
            .json(&json!({ "email": "victim@example.no" }))
            .send()
    };
    // Someone else asks for the victim's links until they are refused, and
    // is told so; nothing more is written for them.
    for _ in 0..5 {
        assert_eq!(
            ask("198.51.100.9").await.unwrap().status(),
            StatusCode::ACCEPTED
        );
    }
    let refused = ask("198.51.100.9").await.unwrap();
    assert!(refused.headers().get("retry-after").is_some());
    assert_problem(refused, 429, "rate_limited").await;
    wait_for_mail_count(&app.outbox(), "victim@example.no", 5).await;
    // The victim, on their own network, still gets their link at once.
    assert_eq!(
        ask("203.0.113.7").await.unwrap().status(),
        StatusCode::ACCEPTED
    );
    wait_for_mail_count(&app.outbox(), "victim@example.no", 6).await;
    let links: i64 = changemakers::db::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sign_in_links WHERE email = $1"
    )
    .bind("victim@example.no")
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(links, 6);
    // An hour later the first client may ask again.
    app.clock.advance(Duration::hours(1));
    assert_eq!(
        ask("198.51.100.9").await.unwrap().status(),
        StatusCode::ACCEPTED
    );
    wait_for_mail_count(&app.outbox(), "victim@example.no", 7).await;
}

/// Behind one trusted proxy: the proxy appends the address it saw, so a
/// client that writes its own `X-Forwarded-For` entries only adds to the left.
#[tokio::test]
async fn a_forged_forwarded_address_does_not_escape_the_sign_in_limit() {
    let app = TestApp::spawn_with(Options {
        configure: Some(|c| {
            c.trust_forwarded_for = true;
            c.auth.requests_per_client_per_hour = 3;
        }),
        ..Default::default()
    })
    .await;
    let ask = |i: u32, forwarded: String| {
        TestApp::anonymous()
            .post(app.url("/api/v1/auth/email"))
            .header("x-forwarded-for", forwarded)
            .json(&json!({ "email": format!("person{i}@example.no") }))
            .send()
    };
    for i in 0..3 {
        // A fresh forged address each time, then what the proxy saw.
        let response = ask(i, format!("10.9.8.{i}, 203.0.113.7")).await.unwrap();
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
    let limited = ask(3, "10.9.8.99, 203.0.113.7".to_owned()).await.unwrap();
    assert_problem(limited, 429, "rate_limited").await;
    // Another client behind the same proxy has its own allowance.
    let other = ask(4, "203.0.113.8".to_owned()).await.unwrap();
    assert_eq!(other.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn sign_in_requests_are_rate_limited_per_client() {
    let app = TestApp::spawn().await;
    for i in 0..30 {
        let response = app.request_link(&format!("person{i}@example.no")).await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
    let limited = app.request_link("one-more@example.no").await;
    assert!(limited.headers().get("retry-after").is_some());
    assert_problem(limited, 429, "rate_limited").await;
}

#[tokio::test]
async fn a_link_opened_in_another_browser_asks_first_and_spends_nothing() {
    let app = TestApp::spawn().await;
    // The victim's phone asks for a link.
    let phone = Client::builder()
        .cookie_store(true)
        .user_agent(
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36",
        )
        .build()
        .unwrap();
    assert_eq!(
        app.request_link_from(&phone, "victim@example.no")
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    let token = app.token_from_outbox("victim@example.no").await;
    // A planted link opened in someone else's browser signs nobody in: it
    // names the account and the device that asked, and spends nothing.
    let other = Client::builder().cookie_store(true).build().unwrap();
    let asked = app.verify(&other, &token).await;
    assert_eq!(asked.status(), 409);
    assert!(asked.headers().get("set-cookie").is_none(), "no session");
    assert_eq!(asked.headers()["content-type"], "application/problem+json");
    let body: Value = asked.json().await.unwrap();
    assert_eq!(body["code"], "confirm_sign_in");
    assert_eq!(body["email"], "victim@example.no");
    assert_eq!(body["device"], "Chrome on Android");
    let me = other.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(me.status(), 401);
    // The link still works where it was asked for.
    let signed_in = app.verify(&phone, &token).await;
    assert_eq!(signed_in.status(), 200);
    // And once confirmed elsewhere (a new link: the first is spent now).
    app.request_link_from(&phone, "victim@example.no").await;
    let second = loop {
        let t = app.token_from_outbox("victim@example.no").await;
        if t != token {
            break t;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let confirmed = app.verify_confirmed(&other, &second).await;
    assert_eq!(confirmed.status(), 200);
    // A spent link says so whether or not it is confirmed.
    assert_problem(app.verify(&other, &second).await, 410, "token_used").await;
    // Asked in the person's language when they are not signed in.
    app.request_link_from(&phone, "victim@example.no").await;
    let third = loop {
        let t = app.token_from_outbox("victim@example.no").await;
        if t != second {
            break t;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let norwegian: Value = Client::new()
        .post(app.url("/api/v1/auth/email/verify"))
        .header("accept-language", "nb-NO")
        .json(&json!({ "token": third }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        norwegian["detail"]
            .as_str()
            .unwrap()
            .contains("annen enhet"),
        "{norwegian}"
    );
}
