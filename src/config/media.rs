//! Where photos and videos are kept, and the limits they are processed under.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use url::Url;

use super::serialize_secret;

/// Where media objects are kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageBackend {
    /// A directory under the data dir (the embedded default).
    #[default]
    Fs,
    /// An S3-compatible object store (AWS S3, MinIO, Garage, Ceph, ...).
    S3,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    pub backend: StorageBackend,
    pub s3: S3Config,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct S3Config {
    /// The store's endpoint, e.g. `https://s3.eu-north-1.amazonaws.com` or a
    /// MinIO address; empty for AWS's default endpoint of the region.
    pub endpoint: Option<Url>,
    pub region: String,
    pub bucket: String,
    /// Prepended to every key, so several deployments can share a bucket.
    pub prefix: String,
    pub access_key_id: String,
    #[serde(serialize_with = "serialize_secret")]
    pub secret_access_key: Option<SecretString>,
    /// Path-style addressing (`endpoint/bucket/key`), which most
    /// S3-compatible stores need; AWS takes both.
    pub path_style: bool,
    /// Give up on one request after this long (the upload then gets 503).
    pub timeout_seconds: u64,
}

impl Default for S3Config {
    fn default() -> Self {
        Self {
            endpoint: None,
            region: "us-east-1".to_owned(),
            bucket: "changemakers".to_owned(),
            prefix: String::new(),
            access_key_id: String::new(),
            secret_access_key: None,
            path_style: true,
            timeout_seconds: 30,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaConfig {
    /// Largest photo upload, in bytes.
    pub max_image_bytes: u64,
    /// Most pixels a photo may have.
    pub max_image_pixels: u64,
    /// Largest video upload, in bytes.
    pub max_video_bytes: u64,
    /// Most bytes one person may upload in 24 hours (photos, videos and
    /// evidence together), so nobody can fill the storage.
    pub max_upload_bytes_per_person_per_day: u64,
    /// Media processing workers per instance.
    pub workers: usize,
    /// Images decoded at once per instance (bounds peak memory).
    pub concurrent_decodes: usize,
    /// Widths of the renditions made of every photo (never upscaled).
    pub rendition_widths: Vec<u32>,
    /// How long a worker holds a processing job before another may take it
    /// over (after a crash, on PostgreSQL; SQLite requeues at start). Longer
    /// than the slowest video check takes.
    pub job_lease_seconds: u64,
}

impl Default for MediaConfig {
    fn default() -> Self {
        Self {
            max_image_bytes: 25 * 1024 * 1024,
            max_image_pixels: 50_000_000,
            max_video_bytes: 200 * 1024 * 1024,
            max_upload_bytes_per_person_per_day: 2 * 1024 * 1024 * 1024,
            workers: 2,
            concurrent_decodes: 2,
            rendition_widths: vec![320, 960, 1920],
            job_lease_seconds: 300,
        }
    }
}
