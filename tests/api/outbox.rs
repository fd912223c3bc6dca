//! Notification mail through the durable outbox: retried while the SMTP
//! server is down, delivered exactly once when it is back; digests once per
//! period however many instances run.

use std::{path::Path, process::Stdio};

use changemakers::{db::on_db, service::notify};
use reqwest::StatusCode;
use tokio::process::{Child, Command};

use crate::helpers::{
    count_mails, decide, eventually, submit_new, submitted, wait_for_mail_count, Options, TestApp,
};

/// The test script's SMTP sink, run by this test so it can be started late.
fn sink_python() -> Option<String> {
    let python = std::env::var("CHANGEMAKERS_TEST_SMTP_PYTHON")
        .ok()
        .filter(|v| !v.is_empty());
    if python.is_none() {
        assert!(
            std::env::var("CHANGEMAKERS_TEST_REQUIRE_SERVICES").is_err(),
            "the test script must provide the SMTP sink's Python"
        );
        eprintln!("skipped: no SMTP sink (run the README's test command)");
    }
    python
}

fn start_sink(python: &str, port: u16, dir: &Path) -> Child {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py");
    Command::new(python)
        .arg(script)
        .arg(port.to_string())
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("smtp sink")
}

async fn outbox_statuses(app: &TestApp) -> Vec<(String, i32)> {
    on_db!(&app.state.db, |pool| sqlx::query_as::<_, (String, i32)>(
        "SELECT status, attempts FROM mail_outbox ORDER BY id"
    )
    .fetch_all(pool)
    .await
    .unwrap())
}

fn message_ids(dir: &Path) -> Vec<String> {
    let mut ids = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        if let Some(line) = text
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
        {
            ids.push(line[11..].trim().to_owned());
        }
    }
    ids.sort();
    ids
}

async fn wait_for_port(port: u16) {
    eventually("the SMTP sink to listen", async || {
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .ok()
            .map(|_| ())
    })
    .await;
}

#[tokio::test]
async fn mail_waits_while_smtp_is_down_and_is_delivered_exactly_once() {
    let Some(python) = sink_python() else { return };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sink_dir = tempfile::tempdir().unwrap();
    let mut sink = start_sink(&python, port, sink_dir.path());
    wait_for_port(port).await;
    let app = TestApp::spawn_with(Options {
        smtp: Some(("127.0.0.1".to_owned(), port)),
        mail_dir: Some(sink_dir.path().to_path_buf()),
        configure: Some(|c| c.mail.smtp.timeout_seconds = 2),
        ..Default::default()
    })
    .await;
    let s = submitted(&app, "First", "At the gate.").await;
    let (second, _, second_version) =
        submit_new(&app, &s.lead, &s.team, "Second", "At school.").await;
    let (third, _, third_version) = submit_new(&app, &s.lead, &s.team, "Third", "Online.").await;

    // The mail server goes down; three decisions are made.
    sink.kill().await.unwrap();
    let _ = sink.wait().await;
    for (campaign, decision, feedback, version) in [
        (&s.campaign, "approve", None, s.version),
        (
            &second,
            "request_changes",
            Some("Say where."),
            second_version,
        ),
        (&third, "reject", Some("Not a campaign."), third_version),
    ] {
        let response = decide(&app, &s.facilitator, campaign, decision, feedback, version).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "decisions do not wait for mail"
        );
    }
    // Each mail is tried, fails, and waits for its next attempt.
    app.run_jobs().await;
    let rows = outbox_statuses(&app).await;
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(
        rows.iter()
            .all(|(status, attempts)| status == "pending" && *attempts == 1),
        "{rows:?}"
    );

    // The server is back; the waits run out.
    let _sink = start_sink(&python, port, sink_dir.path());
    wait_for_port(port).await;
    app.clock.advance(chrono::Duration::hours(2));
    app.run_jobs().await;
    assert!(outbox_statuses(&app)
        .await
        .iter()
        .all(|(status, _)| status == "sent"));
    // Running the work again sends nothing twice.
    app.clock.advance(chrono::Duration::hours(2));
    app.run_jobs().await;
    wait_for_mail_count(sink_dir.path(), "lead@example.no", 1 + 3).await;
    let ids: Vec<String> = on_db!(&app.state.db, |pool| sqlx::query_scalar::<_, uuid::Uuid>(
        "SELECT id FROM mail_outbox ORDER BY id"
    )
    .fetch_all(pool)
    .await
    .unwrap())
    .into_iter()
    .map(|id| id.to_string())
    .collect();
    let received = message_ids(sink_dir.path());
    for id in &ids {
        let copies = received.iter().filter(|m| m.contains(id.as_str())).count();
        assert_eq!(copies, 1, "mail {id} arrived {copies} times");
    }
    // Sign-in links (sent directly) and the three decisions: nothing else, nothing twice.
    assert_eq!(count_mails(sink_dir.path(), "lead@example.no"), 1 + 3);
    let texts: Vec<String> = std::fs::read_dir(sink_dir.path())
        .unwrap()
        .flatten()
        .map(|e| crate::helpers::decode_qp(&std::fs::read_to_string(e.path()).unwrap()))
        .collect();
    assert!(texts.iter().any(|t| t.contains("Say where.")));
    assert!(texts.iter().any(|t| t.contains("Not a campaign.")));
}

#[tokio::test]
async fn each_facilitator_gets_one_digest_per_period() {
    let app = TestApp::spawn_with(Options {
        configure: Some(|c| {
            c.moderation.digest_interval_seconds = 3600;
            c.moderation.digest_offset_seconds = 0;
        }),
        ..Default::default()
    })
    .await;
    assert_eq!(
        notify::queue_digests(&app.state).await.unwrap(),
        0,
        "nothing waits yet"
    );
    let _s = submitted(&app, "First", "At the gate.").await;
    assert_eq!(notify::queue_digests(&app.state).await.unwrap(), 1);
    assert_eq!(
        notify::queue_digests(&app.state).await.unwrap(),
        0,
        "once per period"
    );
    let replica = app.beside(|_| {}).await;
    assert_eq!(
        notify::queue_digests(&replica.state).await.unwrap(),
        0,
        "once across instances"
    );
    app.run_jobs().await;
    assert_eq!(
        crate::helpers::count_mails(&app.outbox(), "facilitator@larvik.no"),
        2,
        "the sign-in link and one digest"
    );
    app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(
        notify::queue_digests(&app.state).await.unwrap(),
        1,
        "the next period"
    );
}
