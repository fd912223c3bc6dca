//! `changemakers backup` and `changemakers restore`: a consistent copy of the
//! database with the media objects (or, on S3, a manifest of their keys and
//! checksums), and putting it back into an empty data directory or database,
//! checked against the counts and checksums the backup recorded.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{bail, Context};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{
    config::{Config, StorageBackend},
    db::{self, Db},
    state::AppState,
    storage::Storage,
};

const FORMAT: u32 = 1;
const MANIFEST: &str = "backup.json";
const SQLITE_FILE: &str = "database.sqlite";
const POSTGRES_FILE: &str = "database.pgdump";
const MEDIA_DIR: &str = "media";

/// One media object: its key, size and SHA-256.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Object {
    pub key: String,
    pub bytes: u64,
    pub sha256: String,
}

/// What a backup holds, written beside it as `backup.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub created_at: DateTime<Utc>,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// `files` (the objects are in `media/`) or `s3` (only listed here; the
    /// bucket keeps them, with versioning as the safety net).
    pub media: String,
    pub objects: Vec<Object>,
    /// Rows per table, which a restore must find again.
    pub counts: BTreeMap<String, i64>,
}

fn sha256(data: &[u8]) -> String {
    use std::fmt::Write;
    Sha256::digest(data)
        .iter()
        .fold(String::with_capacity(64), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

fn media_kind(config: &Config) -> &'static str {
    match config.storage.backend {
        StorageBackend::Fs => "files",
        StorageBackend::S3 => "s3",
    }
}

/// The PostgreSQL client tool `name`, or a message saying how to get it.
fn pg_tool(name: &str) -> anyhow::Result<()> {
    match Command::new(name).arg("--version").output() {
        Ok(out) if out.status.success() => Ok(()),
        _ => bail!(
            "{name} is not installed: install the PostgreSQL client tools (Debian: postgresql-client, \
             of the server's major version or newer), or use your database provider's backups"
        ),
    }
}

fn run(mut command: Command, what: &str) -> anyhow::Result<()> {
    let out = command
        .output()
        .with_context(|| format!("cannot run {what}"))?;
    if !out.status.success() {
        bail!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// Writes a backup of the running platform into `out` (new or empty).
///
/// # Errors
/// When `out` holds something already, a tool is missing, or the database
/// or storage cannot be read.
pub async fn backup(state: &AppState, out: &Path) -> anyhow::Result<Manifest> {
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        bail!(
            "{} is not empty; back up into a new directory",
            out.display()
        );
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    match &state.db {
        Db::Sqlite(_) => db::backup::sqlite_snapshot(&state.db, &out.join(SQLITE_FILE))
            .await
            .context("cannot copy the SQLite database")?,
        Db::Postgres(_) => {
            pg_tool("pg_dump")?;
            let mut dump = Command::new("pg_dump");
            dump.args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
                .arg(out.join(POSTGRES_FILE))
                .arg(state.config.database_url());
            run(dump, "pg_dump")?;
        }
    }
    // The counts and objects after the snapshot: a restore may find more
    // objects than rows need (an upload in between), never fewer.
    let counts = db::backup::counts(&state.db).await?.into_iter().collect();
    let files = media_kind(&state.config) == "files";
    let mut objects = Vec::new();
    for key in state
        .storage
        .list("")
        .await
        .context("cannot list the media")?
    {
        let data = state
            .storage
            .get(&key)
            .await
            .with_context(|| format!("cannot read {key}"))?;
        if files {
            let path = out.join(MEDIA_DIR).join(&key);
            if let Some(parent) = path.parent() {
                tokio::fs::create_dir_all(parent).await?;
            }
            tokio::fs::write(&path, &data).await?;
        }
        objects.push(Object {
            bytes: data.len() as u64,
            sha256: sha256(&data),
            key,
        });
    }
    let manifest = Manifest {
        format: FORMAT,
        created_at: state.clock.now(),
        database: state.db.backend().to_owned(),
        media: media_kind(&state.config).to_owned(),
        objects,
        counts,
    };
    std::fs::write(out.join(MANIFEST), serde_json::to_vec_pretty(&manifest)?)?;
    Ok(manifest)
}

fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .context("not an SQLite URL")?;
    Ok(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

fn content_type(key: &str) -> &'static str {
    match key.rsplit('.').next() {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("mp4") => "video/mp4",
        Some("mov") => "video/quicktime",
        Some("webm") => "video/webm",
        _ => "application/octet-stream",
    }
}

/// Puts the backup in `from` into the empty database and storage that
/// `config` names, then checks every count and object against it.
///
/// # Errors
/// When the target is not empty, the backup does not fit it, a tool is
/// missing, or what was restored differs from what was backed up.
pub async fn restore(config: &Config, from: &Path) -> anyhow::Result<Manifest> {
    let manifest: Manifest = serde_json::from_slice(
        &std::fs::read(from.join(MANIFEST))
            .with_context(|| format!("{} holds no {MANIFEST}", from.display()))?,
    )
    .context("the backup's manifest cannot be read")?;
    if manifest.format != FORMAT {
        bail!(
            "this backup has format {}, this version reads {FORMAT}",
            manifest.format
        );
    }
    if manifest.media != media_kind(config) {
        bail!(
            "the backup's media are {} and this platform stores {}",
            manifest.media,
            media_kind(config)
        );
    }
    // The media are checked first: a backup whose objects are missing or
    // changed is refused before anything is written.
    check_media(config, &manifest, from).await?;
    restore_database(config, &manifest, from).await?;
    write_media(config, &manifest, from).await?;
    Ok(manifest)
}

/// The database of the backup, into the empty one `config` names, checked by its counts.
async fn restore_database(config: &Config, manifest: &Manifest, from: &Path) -> anyhow::Result<()> {
    let url = config.database_url();
    match manifest.database.as_str() {
        "sqlite" => {
            let target = sqlite_path(&url)?;
            if target.exists() {
                let existing = Db::connect(&url, 1).await?;
                let empty = db::backup::is_empty(&existing).await?;
                existing.close().await;
                if !empty {
                    bail!(
                        "{} already holds a database; restore into an empty data directory",
                        target.display()
                    );
                }
                std::fs::remove_file(&target)?;
            }
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::copy(from.join(SQLITE_FILE), &target).context("cannot copy the database")?;
        }
        "postgres" => {
            if !url.starts_with("postgres") {
                bail!("this backup is of PostgreSQL; configure database.url to an empty PostgreSQL database");
            }
            let existing = Db::connect(&url, 1).await?;
            let empty = db::backup::is_empty(&existing).await?;
            existing.close().await;
            if !empty {
                bail!("the database already holds tables; restore into an empty database");
            }
            pg_tool("pg_restore")?;
            let mut load = Command::new("pg_restore");
            load.args([
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
            ])
            .arg(&url)
            .arg(from.join(POSTGRES_FILE));
            run(load, "pg_restore")?;
        }
        other => bail!("this backup is of an unknown database, {other}"),
    }
    let db = Db::connect(&url, 2).await?;
    // A backup made by an older version gets the newer migrations.
    db.migrate()
        .await
        .context("cannot migrate the restored database")?;
    let counts: BTreeMap<String, i64> = db::backup::counts(&db).await?.into_iter().collect();
    db.close().await;
    if counts != manifest.counts {
        bail!(
            "the restored database differs from the backup: {counts:?}, not {:?}",
            manifest.counts
        );
    }

    Ok(())
}

/// Every object of the backup, by its checksum: in the backup's `media/`
/// (files), or already in the bucket (S3, which the backup only lists).
async fn check_media(config: &Config, manifest: &Manifest, from: &Path) -> anyhow::Result<()> {
    let storage = Storage::from_config(config);
    let mut wrong = Vec::new();
    for object in &manifest.objects {
        let data = if manifest.media == "files" {
            tokio::fs::read(from.join(MEDIA_DIR).join(&object.key))
                .await
                .map(Bytes::from)
                .unwrap_or_default()
        } else {
            storage.get(&object.key).await.unwrap_or_default()
        };
        if sha256(&data) != object.sha256 {
            wrong.push(object.key.clone());
        }
    }
    if !wrong.is_empty() {
        bail!(
            "{} media objects are missing or differ from the backup, first {}; nothing was restored",
            wrong.len(),
            wrong[0]
        );
    }
    Ok(())
}

/// The media of the backup written back into the storage (files; on S3
/// they are where they were).
async fn write_media(config: &Config, manifest: &Manifest, from: &Path) -> anyhow::Result<()> {
    if manifest.media != "files" {
        return Ok(());
    }
    let storage = Storage::from_config(config);
    for object in &manifest.objects {
        let data = Bytes::from(tokio::fs::read(from.join(MEDIA_DIR).join(&object.key)).await?);
        storage
            .put(&object.key, data, content_type(&object.key))
            .await
            .with_context(|| format!("cannot write {}", object.key))?;
    }
    Ok(())
}
