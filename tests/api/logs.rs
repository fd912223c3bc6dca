//! The log never holds personal data: the real server runs the flows that
//! touch email addresses, names and tokens, at debug level, and its whole
//! log is searched for each of them afterwards.

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use reqwest::Client;
use serde_json::{json, Value};

use crate::helpers::{eventually, wait_for_token};

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(data: &std::path::Path, log: &std::path::Path) -> Server {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_changemakers"))
        .arg("serve")
        .env("CHANGEMAKERS__LISTEN", format!("127.0.0.1:{port}"))
        .env("CHANGEMAKERS__PUBLIC_URL", &base)
        .env("CHANGEMAKERS__DATA_DIR", data)
        .env("CHANGEMAKERS__LOG__FILTER", "debug")
        .env_remove("RUST_LOG")
        .env_remove("CHANGEMAKERS_CONFIG")
        .stdout(Stdio::from(std::fs::File::create(log).unwrap()))
        .stderr(Stdio::from(
            std::fs::OpenOptions::new().append(true).open(log).unwrap(),
        ))
        .spawn()
        .expect("start the server");
    Server { child, base }
}

#[tokio::test]
async fn the_log_holds_no_email_address_name_or_token() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let server = start(dir.path(), &log);
    let client = Client::new();
    let url = |path: &str| format!("{}{path}", server.base);
    eventually("the server to start", async || {
        let ready = client.get(url("/readyz")).send().await.ok()?;
        ready.status().is_success().then_some(())
    })
    .await;

    let email = "ada.hemmelig@example.no";
    let name = "Ada Hemmeligsen";
    let origin = server.base.clone();
    let post = |path: &str, body: Value| {
        client
            .post(url(path))
            .header("origin", &origin)
            .json(&body)
            .send()
    };
    assert!(post("/api/v1/auth/email", json!({ "email": email }))
        .await
        .unwrap()
        .status()
        .is_success());
    let link_token = wait_for_token(&dir.path().join("outbox"), email).await;
    let signed_in: Value = post(
        "/api/v1/auth/email/verify",
        json!({ "token": link_token, "confirm": true }),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let session = signed_in["token"].as_str().unwrap().to_owned();
    let authed = |method: reqwest::Method, path: &str| {
        client
            .request(method, url(path))
            .bearer_auth(&session)
            .header("origin", &origin)
    };
    let profile = authed(reqwest::Method::PATCH, "/api/v1/me")
        .json(&json!({ "display_name": name, "birth_year": 2010 }))
        .send()
        .await
        .unwrap();
    assert!(profile.status().is_success(), "{}", profile.status());
    // Refusals log too: a spent link, a wrong token, a bad address, a stranger's session.
    post(
        "/api/v1/auth/email/verify",
        json!({ "token": link_token, "confirm": true }),
    )
    .await
    .unwrap();
    post(
        "/api/v1/auth/email/verify",
        json!({ "token": "x".repeat(43) }),
    )
    .await
    .unwrap();
    post(
        "/api/v1/auth/email",
        json!({ "email": "not an address ada.hemmelig@" }),
    )
    .await
    .unwrap();
    client
        .get(url("/api/v1/me"))
        .bearer_auth(format!("{session}x"))
        .send()
        .await
        .unwrap();
    authed(reqwest::Method::GET, "/api/v1/me/export")
        .send()
        .await
        .unwrap();
    authed(reqwest::Method::DELETE, "/api/v1/me")
        .send()
        .await
        .unwrap();
    // Let the background mail worker write what it logs.
    tokio::time::sleep(Duration::from_millis(300)).await;
    drop(server);

    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("signed in by email link"),
        "the log was written at all"
    );
    for secret in [email, "ada.hemmelig", name, &link_token, &session] {
        assert!(
            !text.contains(secret),
            "the log holds {secret:?}:\n{}",
            text.lines()
                .filter(|l| l.contains(secret))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
