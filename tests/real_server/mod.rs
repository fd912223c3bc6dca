//! The real server binary, run as its own process on a data directory of
//! its own (and a database, when given), for the tests that need the
//! process itself: load, and crashes (killed with SIGKILL, then started
//! again on the same data).

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::Arc,
    time::Duration,
};

use reqwest::Client;
use serde_json::{json, Value};

pub struct Server {
    child: Option<Child>,
    port: u16,
    database: Option<String>,
    pub base: String,
    pub outbox: PathBuf,
    data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Server {
    /// A fresh data directory (and `database`, when given) with the demo
    /// platform seeded, and the server started on it.
    pub async fn seeded(database: Option<&str>, settings: &[(&str, &str)]) -> Self {
        Self::new(database, settings, true).await
    }

    /// The server on a fresh data directory (and `database`), seeded with
    /// the demo platform or empty.
    pub async fn new(database: Option<&str>, settings: &[(&str, &str)], seed: bool) -> Self {
        Self::new_in(&std::env::temp_dir(), database, settings, seed).await
    }

    /// Like [`Server::new`], its data directory made under `parent`.
    pub async fn new_in(
        parent: &Path,
        database: Option<&str>,
        settings: &[(&str, &str)],
        seed: bool,
    ) -> Self {
        let data = tempfile::tempdir_in(parent).unwrap();
        let port = free_port();
        let mut server = Self {
            child: None,
            port,
            database: database.map(str::to_owned),
            base: format!("http://127.0.0.1:{port}"),
            outbox: data.path().join("outbox"),
            data,
        };
        if seed {
            let seeded = server.command(settings).arg("seed-demo").status().unwrap();
            assert!(seeded.success(), "seed-demo");
        }
        server.start(settings).await;
        server
    }

    pub fn data_dir(&self) -> &Path {
        self.data.path()
    }

    /// The binary with this server's settings, for any of its commands.
    pub fn command(&self, settings: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_changemakers"));
        cmd.env("CHANGEMAKERS__LISTEN", format!("127.0.0.1:{}", self.port))
            .env("CHANGEMAKERS__PUBLIC_URL", &self.base)
            .env("CHANGEMAKERS__DATA_DIR", self.data.path())
            .env("CHANGEMAKERS__LOG__FILTER", "warn")
            .env("CHANGEMAKERS__AUTH__LINKS_PER_ADDRESS_PER_HOUR", "1000000")
            .env(
                "CHANGEMAKERS__AUTH__REQUESTS_PER_CLIENT_PER_HOUR",
                "1000000",
            )
            // Each load client writes campaign after campaign in one team.
            .env("CHANGEMAKERS__TEAMS__MAX_OPEN_CAMPAIGNS", "1000000")
            .env_remove("CHANGEMAKERS_CONFIG")
            .env_remove("RUST_LOG")
            .stdout(Stdio::null());
        if let Some(url) = &self.database {
            cmd.env("CHANGEMAKERS__DATABASE__URL", url);
        }
        for (name, value) in settings {
            cmd.env(name, value);
        }
        cmd
    }

    /// Starts the server (again) and waits until it is ready.
    pub async fn start(&mut self, settings: &[(&str, &str)]) {
        let child = self
            .command(settings)
            .arg("serve")
            .stderr(match std::env::var_os("REAL_SERVER_LOG") {
                Some(path) => Stdio::from(
                    std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(path)
                        .unwrap(),
                ),
                None => Stdio::null(),
            })
            .spawn()
            .unwrap();
        self.child = Some(child);
        let client = Client::new();
        for _ in 0..600 {
            if client
                .get(format!("{}/readyz", self.base))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not become ready");
    }

    /// SIGKILL: the process ends at once, wherever it was.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The process's peak resident memory so far, in MiB.
    pub fn peak_rss_mib(&self) -> u64 {
        let Some(child) = &self.child else { return 0 };
        std::fs::read_to_string(format!("/proc/{}/status", child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            })
            .map_or(0, |kb| kb / 1024)
    }

    /// The platform's own state, opened on this server's data (as the server
    /// would) with its clock at `now`.
    pub async fn open_state(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> changemakers::state::AppState {
        let mut config = changemakers::config::Config {
            data_dir: self.data.path().to_path_buf(),
            public_url: self.base.parse().unwrap(),
            ..changemakers::config::Config::default()
        };
        config.database.url.clone_from(&self.database);
        let clock = changemakers::clock::ManualClock::new(now);
        changemakers::app::connect(config, Arc::new(clock))
            .await
            .unwrap()
    }

    /// Checks, with `stats recount --check`, that every rollup agrees with
    /// what it counts.
    pub fn assert_rollups_agree(&self) {
        let recount = self
            .command(&[])
            .args(["stats", "recount", "--check"])
            .stdout(Stdio::piped())
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&recount.stdout);
        assert!(
            recount.status.success() && said.contains("agree"),
            "stats recount --check: {said}"
        );
    }

    /// The Message-ID of each mail written to the outbox, with how many
    /// times it was written.
    pub fn message_ids(&self) -> BTreeMap<String, u32> {
        let mut by_id = BTreeMap::new();
        for entry in std::fs::read_dir(&self.outbox).unwrap().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let message_id = text
                .lines()
                .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
                .unwrap_or_else(|| panic!("{} has a Message-ID", entry.path().display()))
                .to_owned();
            *by_id.entry(message_id).or_default() += 1;
        }
        by_id
    }

    /// Signs `email` in by the link mailed to the outbox; the session token.
    pub async fn session_for(&self, client: &Client, email: &str) -> String {
        let sent = client
            .post(format!("{}/api/v1/auth/email", self.base))
            .json(&json!({ "email": email }))
            .send()
            .await
            .unwrap();
        assert!(sent.status().is_success(), "{}", sent.status());
        let token = token_for(&self.outbox, email).await;
        let session: Value = client
            .post(format!("{}/api/v1/auth/email/verify", self.base))
            // An API client without cookies confirms it is the one signing in.
            .json(&json!({ "token": token, "confirm": true }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        session["token"].as_str().unwrap().to_owned()
    }
}

/// Whether the tests run as root (who may mount a disk, and must run
/// PostgreSQL as another user).
pub fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The sign-in token mailed to `email`, from the outbox.
pub async fn token_for(outbox: &Path, email: &str) -> String {
    for _ in 0..600 {
        for entry in std::fs::read_dir(outbox).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let text = text
                .replace("=\r\n", "")
                .replace("=\n", "")
                .replace("=3D", "=");
            if !text
                .lines()
                .any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(email))
            {
                continue;
            }
            if let Some(at) = text.find("/auth/verify?token=") {
                let token: String = text[at + 19..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                if token.len() == 43 {
                    return token;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no sign-in mail to {email}");
}

/// A database of its own on the test PostgreSQL server (`None` outside it),
/// dropped by [`drop_database`].
pub async fn own_postgres_database(prefix: &str) -> Option<(String, String)> {
    use sqlx::Connection;
    let admin = std::env::var("CHANGEMAKERS_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.is_empty())?;
    let name = format!("{prefix}_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .await
        .unwrap();
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_path(&name);
    Some((name, url.to_string()))
}

pub async fn drop_database(name: &str) {
    use sqlx::Connection;
    let admin = std::env::var("CHANGEMAKERS_TEST_POSTGRES_URL").unwrap();
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    sqlx::query(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .execute(&mut conn)
        .await
        .unwrap();
}
