//! A full disk under the data directory (a small tmpfs mounted by the
//! test): uploads and writes get a clear 507 problem, never a 500, nothing
//! half-written is kept, the SQLite file stays sound, and everything works
//! again once there is room.
//!
//! Mounting needs root, as the test command runs here; elsewhere the test
//! says it is skipped.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::disallowed_methods,
    clippy::too_many_lines
)]

#[allow(dead_code)] // each test binary uses part of it
mod real_server;

use std::{io::Write, path::Path, process::Command};

use changemakers::media::fixtures::photo;
use real_server::Server;
use reqwest::{multipart, Client};
use serde_json::{json, Value};
use sqlx::Connection;

/// A tmpfs of `megabytes` at `at`, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .output()
            .ok()?;
        mounted.status.success().then_some(Self { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file until the disk refuses (ENOSPC); the file, to remove.
    fn fill(&self) -> std::path::PathBuf {
        let path = self.path().join("filler");
        let mut file = std::fs::File::create(&path).unwrap();
        let block = vec![0x5A_u8; 64 * 1024];
        loop {
            if let Err(err) = file.write_all(&block) {
                assert_eq!(err.kind(), std::io::ErrorKind::StorageFull, "{err}");
                break;
            }
        }
        // The last bytes, to the very end.
        while file.write_all(&[0]).is_ok() {}
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_gets_507_keeps_nothing_half_written_and_recovers() {
    let Some(disk) = SmallDisk::mount(48) else {
        assert!(
            !real_server::running_as_root()
                || std::env::var("CHANGEMAKERS_TEST_REQUIRE_SERVICES").is_err(),
            "as root the test mounts its small disk"
        );
        eprintln!("skipped: mounting a small disk needs root");
        return;
    };
    let mut server = Server::new_in(disk.path(), None, &[], true).await;
    let client = Client::new();
    let token = server.session_for(&client, "ada@example.no").await;
    let send = |method: reqwest::Method, path: &str| {
        client
            .request(method, format!("{}{path}", server.base))
            .header("origin", &server.base)
            .bearer_auth(&token)
    };
    let programmes: Value = send(reqwest::Method::GET, "/api/v1/cities/larvik/programmes")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let programme = programmes["items"][0]["id"].as_str().unwrap().to_owned();
    let made = send(reqwest::Method::PATCH, "/api/v1/me")
        .json(&json!({ "display_name": "Ada", "birth_year": 2009 }))
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 200);
    let team: Value = send(
        reqwest::Method::POST,
        &format!("/api/v1/programmes/{programme}/teams"),
    )
    .json(&json!({ "name": "Team Full" }))
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let campaign: Value = send(
        reqwest::Method::POST,
        &format!("/api/v1/teams/{}/campaigns", team["id"].as_str().unwrap()),
    )
    .json(&json!({ "title": "Full", "summary": "Disk", "body": "Full.", "theme": "youth" }))
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let campaign = campaign["id"].as_str().unwrap().to_owned();
    let upload = || {
        let form = multipart::Form::new()
            .part(
                "file",
                multipart::Part::bytes(photo(None))
                    .file_name("p.jpg")
                    .mime_str("image/jpeg")
                    .unwrap(),
            )
            .text("alt_text", "A red and blue square");
        send(
            reqwest::Method::POST,
            &format!("/api/v1/campaigns/{campaign}/media"),
        )
        .multipart(form)
        .send()
    };

    let filler = disk.fill();
    let full = upload().await.unwrap();
    assert_eq!(full.status(), 507, "{}", full.text().await.unwrap());
    assert_eq!(full.headers()["content-type"], "application/problem+json");
    let problem: Value = full.json().await.unwrap();
    assert_eq!(problem["code"], "insufficient_storage", "{problem}");
    // Other writes: kept while SQLite has room in its own files, then 507;
    // never a 500, and each kept one is there afterwards.
    let mut kept = Vec::new();
    let mut refused = 0;
    for n in 0..2000 {
        let body: String = (0..10_000)
            .map(|i| char::from(b'a' + u8::try_from((i * 7 + n) % 26).unwrap()))
            .collect();
        let response = send(
            reqwest::Method::POST,
            &format!("/api/v1/teams/{}/campaigns", team["id"].as_str().unwrap()),
        )
        .json(&json!({ "title": format!("Full {n}"), "summary": "Disk", "body": body, "theme": "youth" }))
        .send()
        .await
        .unwrap();
        match response.status().as_u16() {
            201 => kept.push(response.json::<Value>().await.unwrap()["id"].clone()),
            507 => {
                let problem: Value = response.json().await.unwrap();
                assert_eq!(problem["code"], "insufficient_storage", "{problem}");
                refused += 1;
                if refused == 3 {
                    break;
                }
            }
            status => panic!("{status}: {}", response.text().await.unwrap()),
        }
    }
    assert_eq!(refused, 3, "the database's disk filled up too");
    let uploads = server.data_dir().join("uploads");
    assert_eq!(
        std::fs::read_dir(&uploads).unwrap().count(),
        0,
        "the refused upload left nothing"
    );

    std::fs::remove_file(filler).unwrap();
    let again = upload().await.unwrap();
    assert_eq!(again.status(), 202, "works again once there is room");
    let renamed = send(reqwest::Method::PATCH, "/api/v1/me")
        .json(&json!({ "display_name": "Ada again" }))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 200);
    for id in &kept {
        let read = send(
            reqwest::Method::GET,
            &format!("/api/v1/campaigns/{}", id.as_str().unwrap()),
        )
        .send()
        .await
        .unwrap();
        assert_eq!(
            read.status(),
            200,
            "a campaign kept on the full disk is there"
        );
    }
    server.kill();

    let url = format!(
        "sqlite://{}",
        server.data_dir().join("changemakers.db").display()
    );
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(check, "ok", "the SQLite file is sound");
    println!(
        "on a full disk: the upload 507; {} campaigns kept in SQLite's own room, then 507",
        kept.len()
    );
}
