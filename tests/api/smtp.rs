//! Sign-in mail through a real SMTP server started by the test script.
//! `CHANGEMAKERS_TEST_SMTP` is `host:port`, `CHANGEMAKERS_TEST_SMTP_DIR` is
//! where that server stores what it receives.

use reqwest::{Client, StatusCode};

use crate::helpers::{wait_for_token, Options, TestApp};

#[tokio::test]
async fn the_sign_in_mail_goes_through_smtp() {
    let (Ok(server), Ok(dir)) = (
        std::env::var("CHANGEMAKERS_TEST_SMTP"),
        std::env::var("CHANGEMAKERS_TEST_SMTP_DIR"),
    ) else {
        assert!(
            std::env::var("CHANGEMAKERS_TEST_REQUIRE_SERVICES").is_err(),
            "the test script must start an SMTP server"
        );
        eprintln!("skipped: no SMTP server (run the README's test command)");
        return;
    };
    let (host, port) = server.rsplit_once(':').expect("host:port");
    let app = TestApp::spawn_with(Options {
        smtp: Some((host.to_owned(), port.parse().expect("port"))),
        ..Options::default()
    })
    .await;
    let email = format!("smtp-{}@example.no", uuid::Uuid::now_v7().simple());
    assert_eq!(
        app.request_link(&email).await.status(),
        StatusCode::ACCEPTED
    );
    let token = wait_for_token(std::path::Path::new(&dir), &email).await;
    let response = app.verify_confirmed(&Client::new(), &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(std::fs::read_dir(app.outbox()).map_or(true, |mut d| d.next().is_none()));
}
