//! PostgreSQL restarted under the running platform: a cluster of the test's
//! own (initdb, on its own port) is stopped with `pg_ctl -m immediate` (as a
//! crash of the database server) while requests keep coming, and started
//! again. Every answer meanwhile is a success or a 503 problem, never a
//! 500, and the platform recovers by itself, without a restart.
//!
//! Runs under the test command (which installs PostgreSQL); skipped where
//! the server binaries are not installed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

#[allow(dead_code)] // each test binary uses part of it
mod real_server;

use std::{path::PathBuf, process::Command, time::Duration};

use real_server::Server;
use reqwest::Client;
use serde_json::json;

/// The directory of PostgreSQL's server programs (`initdb`, `pg_ctl`).
fn postgres_bin() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|bin| bin.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop()
}

/// A cluster in a directory of its own, on its own port.
struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

impl Cluster {
    /// PostgreSQL refuses to run as root: as root, the cluster runs as the
    /// `postgres` user the package made.
    fn run(&self, program: &str, args: &[&str]) -> std::process::Output {
        let program = self.bin.join(program);
        let mut command = if real_server::running_as_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        command.args(args).current_dir("/").output().unwrap()
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn create(bin: PathBuf) -> Self {
        let dir = tempfile::tempdir().unwrap();
        if real_server::running_as_root() {
            let chown = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(chown.success());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = Self { bin, dir, port };
        let init = cluster.run(
            "initdb",
            &[
                "-D",
                &cluster.data(),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
            ],
        );
        assert!(
            init.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        cluster.start();
        cluster
    }

    fn start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("postgres.log").display().to_string();
        let started = self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-o",
                &options,
                "-l",
                &log,
                "-w",
                "start",
            ],
        );
        assert!(
            started.status.success(),
            "pg_ctl start: {}",
            String::from_utf8_lossy(&started.stderr)
        );
    }

    /// A crash of the database server: no shutdown checkpoint, every
    /// connection cut.
    fn stop_immediately(&self) {
        let stopped = self.run(
            "pg_ctl",
            &["-D", &self.data(), "-m", "immediate", "-w", "stop"],
        );
        assert!(
            stopped.status.success(),
            "pg_ctl stop: {}",
            String::from_utf8_lossy(&stopped.stderr)
        );
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.run("pg_ctl", &["-D", &self.data(), "-m", "immediate", "stop"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_restart_gives_503_at_worst_and_the_platform_recovers_by_itself() {
    let Some(bin) = postgres_bin().filter(|bin| bin.join("initdb").exists()) else {
        assert!(
            std::env::var("CHANGEMAKERS_TEST_REQUIRE_SERVICES").is_err(),
            "the test script installs PostgreSQL"
        );
        eprintln!("skipped: PostgreSQL's server programs are not installed");
        return;
    };
    let cluster = Cluster::create(bin);
    // Requests wait 1 s for a connection here (10 s by default).
    let server = Server::new(
        Some(&cluster.url()),
        &[("CHANGEMAKERS__DATABASE__ACQUIRE_TIMEOUT_SECONDS", "1")],
        false,
    )
    .await;
    let client = Client::new();
    let token = server.session_for(&client, "ada@example.no").await;
    let profile = |name: String| {
        client
            .patch(format!("{}/api/v1/me", server.base))
            .header("origin", &server.base)
            .bearer_auth(&token)
            .json(&json!({ "display_name": name }))
            .send()
    };
    assert_eq!(profile("Ada".into()).await.unwrap().status(), 200);

    cluster.stop_immediately();
    // While the database is down: 503 problems, never a 500.
    let mut during = Vec::new();
    for n in 0..3 {
        let response = profile(format!("Ada {n}")).await.unwrap();
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(status, 503, "{}", response.text().await.unwrap());
        assert_eq!(kind.as_deref(), Some("application/problem+json"));
        let ready = client
            .get(format!("{}/readyz", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(ready.status(), 503, "not ready without its database");
        during.push(status);
    }

    cluster.start();
    // And back, by itself: the same server, the same session.
    let mut after = Vec::new();
    let mut recovered = false;
    for n in 0..100 {
        let response = profile(format!("Ada Lovelace {n}")).await.unwrap();
        let status = response.status().as_u16();
        after.push(status);
        assert!(
            status == 200 || status == 503,
            "{status}: {}",
            response.text().await.unwrap()
        );
        if status == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "the platform did not recover: {after:?}");
    let me: serde_json::Value = client
        .get(format!("{}/api/v1/me", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        me["display_name"]
            .as_str()
            .unwrap()
            .starts_with("Ada Lovelace"),
        "{me}"
    );
    println!("PostgreSQL stopped -m immediate: {during:?}; after its start: {after:?}");
}
