//! A real S3-compatible server (s3s-fs, which checks every request's SigV4
//! signature) per test, so a test can stop and start its own store.

use std::{path::PathBuf, process::Stdio, time::Duration};

use changemakers::config::{S3Config, StorageBackend, StorageConfig};
use tokio::process::{Child, Command};

pub const ACCESS_KEY: &str = "changemakers-test";
pub const SECRET_KEY: &str = "a-test-secret-of-some-length";

pub struct S3Server {
    binary: PathBuf,
    root: tempfile::TempDir,
    port: u16,
    child: Option<Child>,
}

/// The s3s-fs binary the test script installed; `None` (the test skips)
/// only when run outside the test script.
fn binary() -> Option<PathBuf> {
    let binary = std::env::var("CHANGEMAKERS_TEST_S3_SERVER")
        .ok()
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    if binary.is_none() {
        assert!(
            std::env::var("CHANGEMAKERS_TEST_REQUIRE_SERVICES").is_err(),
            "the test script must install s3s-fs"
        );
        eprintln!("skipped: no S3-compatible server (run the README's test command)");
    }
    binary
}

impl S3Server {
    pub async fn start() -> Option<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("free port")
            .port();
        let mut server = Self {
            binary: binary()?,
            root: tempfile::tempdir().expect("tempdir"),
            port,
            child: None,
        };
        server.resume().await;
        Some(server)
    }

    /// Starts the server (again) on the same port and directory.
    pub async fn resume(&mut self) {
        let child = Command::new(&self.binary)
            .args(["--host", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(self.root.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start s3s-fs");
        self.child = Some(child);
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("s3s-fs did not start on port {}", self.port);
    }

    pub async fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().await.expect("stop s3s-fs");
        }
    }

    /// Freezes the server (SIGSTOP): it still accepts connections (the
    /// kernel does) but never answers, as a hung store does.
    pub fn pause(&self) {
        self.signal("-STOP");
    }

    /// Lets a paused server run again (SIGCONT).
    pub fn unpause(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, signal: &str) {
        let pid = self
            .child
            .as_ref()
            .and_then(Child::id)
            .expect("s3s-fs is running");
        let status = std::process::Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .expect("kill");
        assert!(status.success(), "kill {signal} {pid}");
    }

    /// Storage settings for a bucket on this server.
    pub fn storage(&self, bucket: &str) -> StorageConfig {
        StorageConfig {
            backend: StorageBackend::S3,
            s3: S3Config {
                endpoint: Some(
                    format!("http://127.0.0.1:{}", self.port)
                        .parse()
                        .expect("url"),
                ),
                bucket: bucket.to_owned(),
                prefix: "cm/".to_owned(),
                access_key_id: ACCESS_KEY.to_owned(),
                secret_access_key: Some(SECRET_KEY.to_owned().into()),
                timeout_seconds: 5,
                ..S3Config::default()
            },
        }
    }

    /// Every object file the server holds, whatever the bucket (to prove
    /// nothing half-written stays behind); s3s-fs's own dot-files are skipped.
    pub fn files(&self) -> Vec<String> {
        let mut files = Vec::new();
        let mut pending = vec![self.root.path().to_path_buf()];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).expect("read_dir").flatten() {
                let path = entry.path();
                if entry.file_name().to_string_lossy().starts_with('.') {
                    continue;
                }
                if path.is_dir() {
                    pending.push(path);
                } else {
                    files.push(
                        path.strip_prefix(self.root.path())
                            .expect("under root")
                            .to_string_lossy()
                            .into_owned(),
                    );
                }
            }
        }
        files.sort();
        files
    }
}
