//! `TestApp`: the application under test, and helpers to drive it.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

mod client;
mod flows;
pub mod rows;

pub use flows::{
    accepted_id, approve, audit_count, contains, decide, draft, json, settled, setup, submit,
    submit_new, submitted, upload, upload_to, Submitted,
};

use changemakers::{
    app::Application,
    clock::ManualClock,
    config::{ClaimNames, Config, MailTransportKind, ProviderConfig, ProviderKind, SmtpTls},
    domain::Email,
    service::operator,
    state::AppState,
};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use sqlx::{Connection, Executor, PgConnection};
use tokio::sync::OnceCell;

pub const PUBLIC_URL: &str = "http://changemakers.test";

pub struct TestApp {
    pub base: String,
    pub clock: ManualClock,
    pub state: AppState,
    pub data_dir: tempfile::TempDir,
    /// Where mail lands, when it goes to an SMTP sink instead of the outbox directory.
    pub mail_dir: Option<PathBuf>,
    pg_database: Option<(String, String)>,
}

/// Options for spawning; the default is the embedded setup.
#[derive(Default)]
pub struct Options {
    pub smtp: Option<(String, u16)>,
    /// Another public URL than the plain-http default.
    pub public_url: Option<&'static str>,
    /// Any other change to the configuration.
    pub configure: Option<fn(&mut Config)>,
    /// Where media objects go (the data directory unless given).
    pub storage: Option<changemakers::config::StorageConfig>,
    /// The directory the SMTP sink stores mail in (with `smtp`).
    pub mail_dir: Option<PathBuf>,
    /// A backup to restore into the fresh data directory and database before starting.
    pub restore_from: Option<PathBuf>,
}

fn postgres_url() -> Option<String> {
    std::env::var("CHANGEMAKERS_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.is_empty())
}

fn with_database(admin_url: &str, database: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("postgres URL");
    url.set_path(database);
    url.to_string()
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// A migrated template database named after the migrations' content, so it is
/// made once and reused while the migrations stay the same.
async fn template(admin_url: &str) -> String {
    TEMPLATE
        .get_or_init(|| async {
            let mut hash = 0_u64;
            for entry in std::fs::read_dir("migrations/postgres").expect("migrations") {
                let text = std::fs::read(entry.expect("entry").path()).expect("migration");
                for byte in text {
                    hash = hash
                        .wrapping_mul(1_099_511_628_211)
                        .wrapping_add(u64::from(byte));
                }
            }
            let name = format!("cm_template_{hash:016x}");
            let mut admin = PgConnection::connect(admin_url).await.expect("postgres");
            let exists: Option<i32> =
                sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
                    .bind(&name)
                    .fetch_optional(&mut admin)
                    .await
                    .expect("query");
            if exists.is_none() {
                let building = format!("{name}_building_{}", std::process::id());
                admin
                    .execute(format!("CREATE DATABASE \"{building}\"").as_str())
                    .await
                    .expect("create template");
                let db = changemakers::db::Db::connect(&with_database(admin_url, &building), 2)
                    .await
                    .expect("connect template");
                db.migrate().await.expect("migrate template");
                db.close().await;
                let renamed = admin
                    .execute(format!("ALTER DATABASE \"{building}\" RENAME TO \"{name}\"").as_str())
                    .await;
                if renamed.is_err() {
                    // Another run made it first.
                    let _ = admin
                        .execute(format!("DROP DATABASE \"{building}\" WITH (FORCE)").as_str())
                        .await;
                }
            }
            admin.close().await.ok();
            name
        })
        .await
        .clone()
}

/// A new database: a clone of the migrated template, or (`empty`) one with no tables at all.
async fn fresh_postgres(admin_url: &str, empty: bool) -> (String, String) {
    let template = if empty {
        "template0".to_owned()
    } else {
        template(admin_url).await
    };
    let name = format!("cm_test_{}", uuid::Uuid::now_v7().simple());
    let mut admin = PgConnection::connect(admin_url).await.expect("postgres");
    let mut attempt = 0;
    loop {
        let sql = format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        match admin.execute(sql.as_str()).await {
            Ok(_) => break,
            Err(err) if attempt < 20 => {
                attempt += 1;
                eprintln!("retrying database clone: {err}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(err) => panic!("cannot clone the template: {err}"),
        }
    }
    admin.close().await.ok();
    (with_database(admin_url, &name), name)
}

/// Today at 10:00 UTC: the day the tests run, at an hour that is the same
/// date from Iceland (UTC) to Finland (UTC+3).
fn test_start() -> chrono::DateTime<chrono::Utc> {
    let today = changemakers::clock::Clock::now(&changemakers::clock::SystemClock).date_naive();
    today.and_hms_opt(10, 0, 0).expect("10:00 exists").and_utc()
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(Options::default()).await
    }

    pub async fn spawn_with(options: Options) -> Self {
        let data_dir = tempfile::tempdir().expect("tempdir");
        let mut config = Config {
            listen: "127.0.0.1:0".parse().expect("addr"),
            public_url: options
                .public_url
                .unwrap_or(PUBLIC_URL)
                .parse()
                .expect("url"),
            data_dir: data_dir.path().to_path_buf(),
            ..Config::default()
        };
        config.database.max_connections = 5;
        // Background work runs when a test says so (`run_jobs`), never on a timer.
        config.background_workers = false;
        let mut pg_database = None;
        if let Some(admin_url) = postgres_url() {
            let (url, name) = fresh_postgres(&admin_url, options.restore_from.is_some()).await;
            config.database.url = Some(url);
            pg_database = Some((admin_url, name));
        }
        if let Some((host, port)) = options.smtp {
            config.mail.transport = MailTransportKind::Smtp;
            config.mail.smtp.host = host;
            config.mail.smtp.port = port;
            config.mail.smtp.tls = SmtpTls::None;
        }
        if let Some(configure) = options.configure {
            configure(&mut config);
        }
        if let Some(storage) = options.storage {
            config.storage = storage;
        }
        if let Some(issuer) = oidc_issuer() {
            config.auth.providers = vec![test_provider(&issuer)];
        }
        if let Some(backup) = &options.restore_from {
            changemakers::service::backup::restore(&config, backup)
                .await
                .expect("restore the backup");
        }
        // Tests start today at 10:00 UTC, then move only when told to: the
        // same calendar day in every Nordic country, whatever the wall time,
        // so no test depends on the hour it runs at.
        let clock = ManualClock::new(test_start());
        let app = Application::build_with_clock(config, Arc::new(clock.clone()))
            .await
            .expect("application");
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        Self {
            base,
            clock,
            state,
            data_dir,
            mail_dir: options.mail_dir,
            pg_database,
        }
    }

    /// A second instance on the same database and data directory (another
    /// replica, or this one after a restart).
    pub async fn beside(&self, configure: fn(&mut Config)) -> TestApp {
        let data_dir = tempfile::tempdir().expect("tempdir");
        let mut config = (*self.state.config).clone();
        config.listen = "127.0.0.1:0".parse().expect("addr");
        config.database.url = Some(self.state.config.database_url());
        configure(&mut config);
        let clock = ManualClock::new(changemakers::clock::Clock::now(&self.clock));
        let app = Application::build_with_clock(config, Arc::new(clock.clone()))
            .await
            .expect("application");
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        TestApp {
            base,
            clock,
            state,
            data_dir,
            mail_dir: self.mail_dir.clone(),
            pg_database: None,
        }
    }

    /// Runs the background work now, as the workers would (they do not run
    /// in tests): claims and runs due jobs and sends due outbox mail until
    /// both are empty. Work that waits for a retry stays waiting.
    pub async fn run_jobs(&self) {
        let lease = changemakers::app::job_lease(&self.state);
        changemakers::service::stats::views::flush(&self.state)
            .await
            .expect("write counted views");
        loop {
            let mut worked = false;
            while let Some(job) =
                changemakers::db::jobs::claim(&self.state.db, self.state.clock.now(), lease)
                    .await
                    .expect("claim a job")
            {
                changemakers::service::media::run_job(&self.state, &job).await;
                worked = true;
            }
            while changemakers::mail::outbox::deliver_one(&self.state)
                .await
                .expect("read the outbox")
            {
                worked = true;
            }
            if !worked {
                return;
            }
        }
    }

    /// The name of this test's own PostgreSQL database, when it runs on one.
    pub fn postgres_database(&self) -> Option<String> {
        self.pg_database.as_ref().map(|(_, name)| name.clone())
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.state.db, changemakers::db::Db::Postgres(_))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn outbox(&self) -> PathBuf {
        self.mail_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.path().join("outbox"))
    }

    /// A client without cookies.
    pub fn anonymous() -> Client {
        Client::new()
    }

    pub async fn request_link(&self, email: &str) -> Response {
        self.request_link_from(&Self::anonymous(), email).await
    }

    /// Asks for a sign-in link from `client` (a browser keeps the cookie
    /// that names it as the asker).
    pub async fn request_link_from(&self, client: &Client, email: &str) -> Response {
        client
            .post(self.url("/api/v1/auth/email"))
            .json(&json!({ "email": email }))
            .send()
            .await
            .expect("request")
    }

    /// The newest sign-in token mailed to `email` through the outbox.
    pub async fn token_from_outbox(&self, email: &str) -> String {
        wait_for_token(&self.outbox(), email).await
    }

    /// Opens a sign-in link in `client`.
    pub async fn verify(&self, client: &Client, token: &str) -> Response {
        client
            .post(self.url("/api/v1/auth/email/verify"))
            .json(&json!({ "token": token }))
            .send()
            .await
            .expect("verify")
    }

    /// Opens a sign-in link in `client` and confirms signing in there (as
    /// a person does who opens the link in another browser than the one
    /// that asked for it, or an API client without cookies).
    pub async fn verify_confirmed(&self, client: &Client, token: &str) -> Response {
        client
            .post(self.url("/api/v1/auth/email/verify"))
            .json(&json!({ "token": token, "confirm": true }))
            .send()
            .await
            .expect("verify")
    }

    /// Signs `email` in through the whole link flow; returns the session token
    /// and a cookie-carrying client.
    pub async fn sign_in(&self, email: &str) -> (String, Client) {
        self.sign_in_on(email, None).await
    }

    /// Signs in as `sign_in` does, from a browser that names itself `user_agent`.
    pub async fn sign_in_on(&self, email: &str, user_agent: Option<&str>) -> (String, Client) {
        let mut builder = Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none());
        if let Some(agent) = user_agent {
            builder = builder.user_agent(agent);
        }
        let client = builder.build().expect("client");
        // The same browser asks for the link and opens it.
        let before = count_mails(&self.outbox(), email);
        assert_eq!(
            self.request_link_from(&client, email).await.status(),
            StatusCode::ACCEPTED
        );
        wait_for_mail_count(&self.outbox(), email, before + 1).await;
        let token = self.token_from_outbox(email).await;
        let response = self.verify(&client, &token).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.expect("json");
        (body["token"].as_str().expect("token").to_owned(), client)
    }

    pub async fn make_admin(&self, email: &str) {
        operator::create_admin(&self.state, &Email::parse(email).expect("email"))
            .await
            .expect("admin");
    }

    /// Signs in a new admin; returns a cookie client.
    pub async fn admin(&self) -> Client {
        self.make_admin("admin@changemakers.test").await;
        self.sign_in("admin@changemakers.test").await.1
    }

    pub async fn create_city(&self, admin: &Client, slug: &str, name: &str) -> Value {
        let response = admin
            .post(self.url("/api/v1/cities"))
            .header("origin", PUBLIC_URL)
            .json(&json!({ "slug": slug, "name": name, "country": "NO" }))
            .send()
            .await
            .expect("create city");
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.expect("json")
    }

    pub async fn create_programme(&self, client: &Client, city: &str, slug: &str) -> Response {
        client
            .post(self.url(&format!("/api/v1/cities/{city}/programmes")))
            .json(&programme_body(slug))
            .send()
            .await
            .expect("create programme")
    }
}

/// The OpenID Connect provider started by the test script, if any.
pub fn oidc_issuer() -> Option<String> {
    std::env::var("CHANGEMAKERS_TEST_OIDC_ISSUER")
        .ok()
        .filter(|v| !v.is_empty())
}

fn test_provider(issuer: &str) -> ProviderConfig {
    ProviderConfig {
        id: "testid".to_owned(),
        name: "Test ID".to_owned(),
        kind: ProviderKind::Oidc,
        issuer: Some(issuer.to_owned()),
        authorize_url: None,
        token_url: None,
        userinfo_url: None,
        client_id: "changemakers-test".to_owned(),
        client_secret: Some("test-secret".to_owned().into()),
        scopes: vec!["openid".into(), "email".into(), "profile".into()],
        claims: ClaimNames::default(),
        trust_email: false,
    }
}

pub fn programme_body(slug: &str) -> Value {
    json!({
        "slug": slug,
        "name": "KomINN 2026",
        "kind": "kominn",
        "description": "Changemaker training for young people.",
        "starts_on": "2026-01-15",
        "ends_on": "2026-06-15",
        "locale": "nb",
        "changemaker_target": 150
    })
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.pg_database.take() {
            let pool = self.state.db.clone();
            // Dropping happens outside the test's runtime, on a thread of its own.
            let handle = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                runtime.block_on(async move {
                    drop(pool);
                    if let Ok(mut admin) = PgConnection::connect(&admin_url).await {
                        let _ = admin
                            .execute(
                                format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").as_str(),
                            )
                            .await;
                    }
                });
            });
            let _ = handle.join();
        }
    }
}

/// Decodes quoted-printable soft line breaks and `=3D`, enough to read links.
pub fn decode_qp(text: &str) -> String {
    text.replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

/// The mails to `email` in `dir`, in the order they were written: every
/// mail's `Message-ID` is a UUID v7 made when it was written (the outbox
/// row's id, or one made at sending), so it sorts by time.
pub fn mails_for(dir: &Path, email: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.path().extension().is_none_or(|e| e != "eml") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let header = |name: &str| {
                text.lines()
                    .find(|l| l.to_ascii_lowercase().starts_with(name))
                    .unwrap_or_default()
                    .to_ascii_lowercase()
            };
            if header("to:").contains(&email.to_ascii_lowercase()) {
                let id = header("message-id:");
                found.push((id, decode_qp(&text)));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

pub fn count_mails(dir: &Path, email: &str) -> usize {
    mails_for(dir, email).len()
}

/// Waits for what happens outside the test's control: a mail the platform
/// sends in the background by design (sign-in links, so that the answer's
/// timing says nothing about the address), or what another process does (an
/// SMTP server storing a mail, a server starting). The one polling loop of
/// the suite; everything the platform's own workers do runs on demand
/// (`TestApp::run_jobs`).
pub async fn eventually<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    for _ in 0..400 {
        if let Some(value) = check().await {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("timed out waiting for {what}");
}

pub async fn wait_for_mail_count(dir: &Path, email: &str, count: usize) {
    eventually(&format!("{count} mails to {email}"), async || {
        (count_mails(dir, email) >= count).then_some(())
    })
    .await;
}

pub fn extract_token(mail: &str) -> Option<String> {
    let start = mail.find("/auth/verify?token=")? + "/auth/verify?token=".len();
    let token: String = mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (token.len() == 43).then_some(token)
}

/// Waits for a mail to `email` in `dir` and returns the newest link's token.
pub async fn wait_for_token(dir: &Path, email: &str) -> String {
    eventually(&format!("a sign-in mail to {email}"), async || {
        mails_for(dir, email)
            .last()
            .and_then(|(_, mail)| extract_token(mail))
    })
    .await
}

/// Asserts an RFC 9457 problem with `status` and `code`; returns the body.
pub async fn assert_problem(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem json");
    assert_eq!(body["status"], status);
    assert_eq!(body["code"], code, "code in {body}");
    for key in ["type", "title", "detail"] {
        assert!(body[key].is_string(), "{key} missing in {body}");
    }
    let errors = body["errors"].as_array().expect("errors is an array");
    for error in errors {
        assert!(error["field"].is_string(), "field missing in {error}");
        assert!(
            FIELD_CODES.contains(&error["code"].as_str().unwrap_or_default()),
            "a field code of the contract in {error}"
        );
        assert!(
            error["message"].as_str().is_some_and(|m| !m.is_empty()),
            "a message in {error}"
        );
    }
    if status == 422 {
        assert!(!errors.is_empty(), "a 422 names its fields: {body}");
    }
    body
}

/// The field codes of the API contract.
pub const FIELD_CODES: &[&str] = &[
    "required",
    "too_short",
    "too_long",
    "out_of_range",
    "invalid_format",
    "not_allowed",
    "in_the_future",
];

/// A signed-in young person (born 16 years ago); returns a cookie client.
pub async fn young_person(app: &TestApp, email: &str) -> Client {
    use chrono::Datelike;
    let (_, client) = app.sign_in(email).await;
    let year = app.clock.now().year() - 16;
    let response = client
        .patch(app.url("/api/v1/me"))
        .header("origin", PUBLIC_URL)
        .json(
            &json!({ "birth_year": year, "display_name": email.split('@').next().unwrap_or("x") }),
        )
        .send()
        .await
        .expect("profile");
    assert_eq!(response.status(), StatusCode::OK);
    client
}

/// A city, a running programme and its facilitator; returns (programme id, facilitator).
pub async fn running_programme(app: &TestApp) -> (String, Client) {
    use chrono::Datelike;
    let admin = app.admin().await;
    app.create_city(&admin, "larvik", "Larvik").await;
    let mut body = programme_body("kominn");
    body["ends_on"] = json!(format!("{}-12-31", app.clock.now().year() + 1));
    let programme: Value = admin
        .post(app.url("/api/v1/cities/larvik/programmes"))
        .json(&body)
        .send()
        .await
        .expect("programme")
        .json()
        .await
        .expect("json");
    let id = programme["id"].as_str().expect("id").to_owned();
    admin
        .post(app.url(&format!("/api/v1/programmes/{id}/facilitators")))
        .json(&json!({ "email": "facilitator@larvik.no" }))
        .send()
        .await
        .expect("facilitator");
    let (_, facilitator) = app.sign_in("facilitator@larvik.no").await;
    (id, facilitator)
}

/// Sends `body` as JSON with the app's origin.
pub async fn send(
    app: &TestApp,
    client: &Client,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> Response {
    let mut request = client
        .request(method, app.url(path))
        .header("origin", PUBLIC_URL);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("request")
}

/// A programme, its facilitator, a young lead and their team: (programme, facilitator, lead, team).
pub async fn team_setup(app: &TestApp) -> (String, Client, Client, String) {
    let (programme, facilitator) = running_programme(app).await;
    let lead = young_person(app, "lead@example.no").await;
    let team: Value = send(
        app,
        &lead,
        reqwest::Method::POST,
        &format!("/api/v1/programmes/{programme}/teams"),
        Some(json!({ "name": "Team Sol" })),
    )
    .await
    .json()
    .await
    .unwrap();
    let team = team["id"].as_str().unwrap().to_owned();
    (programme, facilitator, lead, team)
}
