//! Sign-in through a real OpenID Connect provider started by the test script
//! (`CHANGEMAKERS_TEST_OIDC_ISSUER`). Who signs in is chosen by `login_hint`:
//! `subject|email|verified|name|flags`.

use reqwest::{redirect::Policy, Client, StatusCode};
use serde_json::Value;

use crate::helpers::{assert_problem, oidc_issuer, TestApp};

fn provider_available() -> bool {
    if oidc_issuer().is_some() {
        return true;
    }
    assert!(
        std::env::var("CHANGEMAKERS_TEST_REQUIRE_SERVICES").is_err(),
        "the test script must start an OpenID Connect provider"
    );
    eprintln!("skipped: no OpenID Connect provider (run the README's test command)");
    false
}

/// A browser-like client that keeps cookies but does not follow redirects.
fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// Starts a flow and lets the provider answer; returns the callback's query.
async fn through_provider(app: &TestApp, client: &Client, query: &str) -> String {
    let start = client
        .get(app.url(&format!("/api/v1/auth/oauth/testid/start?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        start.status(),
        StatusCode::FOUND,
        "{:?}",
        start.text().await
    );
    let authorize = location(&start);
    assert!(
        authorize.contains("code_challenge_method=S256"),
        "{authorize}"
    );
    assert!(authorize.contains("nonce="), "{authorize}");
    let answer = client.get(&authorize).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::FOUND);
    let back = location(&answer);
    assert!(
        back.starts_with("http://changemakers.test/api/v1/auth/oauth/testid/callback?"),
        "{back}"
    );
    back.split_once('?').unwrap().1.to_owned()
}

async fn callback(app: &TestApp, client: &Client, query: &str) -> reqwest::Response {
    client
        .get(app.url(&format!("/api/v1/auth/oauth/testid/callback?{query}")))
        .send()
        .await
        .unwrap()
}

fn hint(value: &str) -> String {
    format!(
        "login_hint={}",
        url::form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>()
    )
}

async fn me(app: &TestApp, client: &Client) -> Value {
    client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn providers_are_listed() {
    if !provider_available() {
        return;
    }
    let app = TestApp::spawn().await;
    let list: Value = TestApp::anonymous()
        .get(app.url("/api/v1/auth/providers"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        list,
        serde_json::json!([{ "id": "testid", "name": "Test ID" }])
    );
}

#[tokio::test]
async fn a_full_round_trip_signs_in_and_returns_to_the_app() {
    if !provider_available() {
        return;
    }
    let app = TestApp::spawn().await;
    let client = browser();
    let query = through_provider(
        &app,
        &client,
        &format!(
            "redirect=/account&{}",
            hint("alice-1|Alice@Example.no|1|Alice")
        ),
    )
    .await;
    let done = callback(&app, &client, &query).await;
    assert_eq!(done.status(), StatusCode::FOUND);
    assert_eq!(location(&done), "/account");
    let me = me(&app, &client).await;
    assert_eq!(me["email"], "alice@example.no");
    assert_eq!(me["display_name"], "Alice");
    let first_id = me["id"].clone();

    // Signing in again finds the same account by (provider, subject), with a new session.
    let again = browser();
    let query = through_provider(&app, &again, &hint("alice-1|alice@example.no|1|Alice")).await;
    let done = callback(&app, &again, &query).await;
    assert_eq!(location(&done), "/");
    assert_eq!(me_id(&app, &again).await, first_id);
    let identities: Value = again
        .get(app.url("/api/v1/me/identities"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(identities[0]["provider"], "testid");
    assert_eq!(identities[0]["name"], "Test ID");
}

async fn me_id(app: &TestApp, client: &Client) -> Value {
    me(app, client).await["id"].clone()
}

#[tokio::test]
async fn a_tampered_state_is_refused() {
    if !provider_available() {
        return;
    }
    let app = TestApp::spawn().await;
    let client = browser();
    let query = through_provider(&app, &client, &hint("tamper|t@example.no|1|T")).await;
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    for (key, value) in &mut pairs {
        if key == "state" {
            let flipped = if value.starts_with('A') { 'B' } else { 'A' };
            value.replace_range(0..1, &flipped.to_string());
        }
    }
    let tampered = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    assert_problem(
        callback(&app, &client, &tampered).await,
        400,
        "invalid_state",
    )
    .await;
    assert_problem(
        callback(&app, &client, "code=x&state=short").await,
        400,
        "invalid_state",
    )
    .await;
}

#[tokio::test]
async fn a_replayed_callback_or_code_is_refused() {
    if !provider_available() {
        return;
    }
    let app = TestApp::spawn().await;
    let client = browser();
    let query = through_provider(&app, &client, &hint("replay|r@example.no|1|R")).await;
    assert_eq!(
        callback(&app, &client, &query).await.status(),
        StatusCode::FOUND
    );
    // The same state again: it worked once and is gone.
    assert_problem(callback(&app, &client, &query).await, 400, "invalid_state").await;

    // The old code under a fresh, valid state: the PKCE verifier no longer matches.
    let old_code = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let fresh = through_provider(&app, &client, &hint("replay|r@example.no|1|R")).await;
    let fresh_state = url::form_urlencoded::parse(fresh.as_bytes())
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let replay = format!("code={old_code}&state={fresh_state}");
    assert_problem(
        callback(&app, &client, &replay).await,
        400,
        "code_exchange_failed",
    )
    .await;
}

#[tokio::test]
async fn a_wrong_nonce_is_refused() {
    if !provider_available() {
        return;
    }
    let app = TestApp::spawn().await;
    let client = browser();
    let query = through_provider(&app, &client, &hint("nonce|n@example.no|1|N|wrong-nonce")).await;
    assert_problem(
        callback(&app, &client, &query).await,
        400,
        "invalid_id_token",
    )
    .await;
    let anonymous = client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_state_is_bound_to_the_browser_that_started() {
    if !provider_available() {
        return;
    }
    let app = TestApp::spawn().await;
    let own = browser();
    let query = through_provider(&app, &own, &hint("bound|b@example.no|1|B")).await;
    // Another browser (no flow cookie) presents the same callback.
    assert_problem(
        callback(&app, &browser(), &query).await,
        400,
        "invalid_state",
    )
    .await;
    // It spent nothing: the browser that started the sign-in finishes it.
    assert_eq!(
        callback(&app, &own, &query).await.status(),
        StatusCode::FOUND
    );
    assert_eq!(me(&app, &own).await["email"], "b@example.no");
}

#[tokio::test]
async fn an_unverified_email_is_not_linked_to_an_existing_account() {
    if !provider_available() {
        return;
    }
    let app = TestApp::spawn().await;
    let (_, bob) = app.sign_in("bob@example.no").await;
    let bob_id = me_id(&app, &bob).await;
    let client = browser();
    let query = through_provider(&app, &client, &hint("mallory|bob@example.no|0|Mallory")).await;
    assert_eq!(
        callback(&app, &client, &query).await.status(),
        StatusCode::FOUND
    );
    let other = me(&app, &client).await;
    assert_ne!(other["id"], bob_id);
    assert!(
        other["email"].is_null(),
        "an unverified address is not stored"
    );
    let bobs: Value = bob
        .get(app.url("/api/v1/me/identities"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(bobs, serde_json::json!([]));
}

#[tokio::test]
async fn a_verified_email_joins_the_existing_account() {
    if !provider_available() {
        return;
    }
    let app = TestApp::spawn().await;
    let (_, carol) = app.sign_in("carol@example.no").await;
    let client = browser();
    let query = through_provider(&app, &client, &hint("carol-sub|Carol@example.no|1|Carol")).await;
    callback(&app, &client, &query).await;
    assert_eq!(me_id(&app, &client).await, me_id(&app, &carol).await);
}

#[tokio::test]
async fn open_redirects_are_refused() {
    if !provider_available() {
        return;
    }
    let app = TestApp::spawn().await;
    for target in [
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
    ] {
        let encoded: String = url::form_urlencoded::byte_serialize(target.as_bytes()).collect();
        let response = browser()
            .get(app.url(&format!(
                "/api/v1/auth/oauth/testid/start?redirect={encoded}"
            )))
            .send()
            .await
            .unwrap();
        assert_problem(response, 400, "invalid_redirect").await;
    }
    let unknown = browser()
        .get(app.url("/api/v1/auth/oauth/nope/start"))
        .send()
        .await
        .unwrap();
    assert_problem(unknown, 404, "not_found").await;
}

#[tokio::test]
async fn a_signed_in_person_links_and_unlinks_a_provider() {
    if !provider_available() {
        return;
    }
    let app = TestApp::spawn().await;
    let (_, dana) = app.sign_in("dana@example.no").await;
    let client = dana;
    let start = client
        .get(app.url(&format!(
            "/api/v1/auth/oauth/testid/start?link=true&redirect=/account&{}",
            hint("dana-school|dana@skole.no|1|Dana")
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), StatusCode::FOUND);
    let no_redirects = Client::builder().redirect(Policy::none()).build().unwrap();
    let answer = no_redirects.get(location(&start)).send().await.unwrap();
    let query = location(&answer).split_once('?').unwrap().1.to_owned();
    let done = client
        .get(app.url(&format!("/api/v1/auth/oauth/testid/callback?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::FOUND);
    let me = me(&app, &client).await;
    assert_eq!(
        me["email"], "dana@example.no",
        "linking keeps the account's own address"
    );
    let identities: Value = client
        .get(app.url("/api/v1/me/identities"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(identities[0]["email"], "dana@skole.no");

    let unlink = client
        .delete(app.url("/api/v1/me/identities/testid"))
        .send()
        .await
        .unwrap();
    assert_eq!(unlink.status(), StatusCode::NO_CONTENT);
    let again = client
        .delete(app.url("/api/v1/me/identities/testid"))
        .send()
        .await
        .unwrap();
    assert_problem(again, 404, "not_found").await;

    // Without a session, linking is refused.
    let anonymous = browser()
        .get(app.url("/api/v1/auth/oauth/testid/start?link=true"))
        .send()
        .await
        .unwrap();
    assert_problem(anonymous, 401, "unauthorized").await;
}

#[tokio::test]
async fn the_only_way_to_sign_in_cannot_be_unlinked() {
    if !provider_available() {
        return;
    }
    let app = TestApp::spawn().await;
    let client = browser();
    let query = through_provider(&app, &client, &hint("erin|erin@example.no|0|Erin")).await;
    callback(&app, &client, &query).await;
    let refused = client
        .delete(app.url("/api/v1/me/identities/testid"))
        .send()
        .await
        .unwrap();
    assert_problem(refused, 409, "last_sign_in_method").await;
}
