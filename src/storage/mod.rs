//! Where media objects live: a directory under the data dir (the embedded
//! default) or an S3-compatible store. Objects are addressed by keys such as
//! `media/<id>/w960.jpg`; both backends write an object whole or not at all.

mod fs;
mod s3;

use bytes::Bytes;

pub use fs::FsStorage;
pub use s3::S3Storage;

use crate::config::{Config, StorageBackend};

/// A part of an object being read.
pub type Reader = std::pin::Pin<Box<dyn tokio::io::AsyncRead + Send>>;

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("object not found")]
    NotFound,
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// The disk (or quota) is full: nothing more can be written.
    #[error("storage full")]
    Full,
}

#[derive(Debug, Clone)]
pub enum Storage {
    Fs(FsStorage),
    S3(S3Storage),
}

impl Storage {
    /// The backend the configuration names.
    #[must_use]
    pub fn from_config(config: &Config) -> Self {
        match config.storage.backend {
            StorageBackend::Fs => Self::Fs(FsStorage::new(config.media_dir())),
            StorageBackend::S3 => Self::S3(S3Storage::new(&config.storage.s3)),
        }
    }

    /// Stores `data` under `key`, replacing what was there; whole or not at all.
    ///
    /// # Errors
    /// When the backend cannot write.
    pub async fn put(
        &self,
        key: &str,
        data: Bytes,
        content_type: &str,
    ) -> Result<(), StorageError> {
        match self {
            Self::Fs(fs) => fs.put(key, data, content_type).await,
            Self::S3(s3) => s3.put(key, data, content_type).await,
        }
    }

    /// Stores the file at `path` under `key` (moving it when the backend can).
    ///
    /// # Errors
    /// When the backend cannot write.
    pub async fn put_file(
        &self,
        key: &str,
        path: &std::path::Path,
        content_type: &str,
    ) -> Result<(), StorageError> {
        match self {
            Self::Fs(fs) => fs.put_file(key, path, content_type).await,
            Self::S3(s3) => s3.put_file(key, path, content_type).await,
        }
    }

    /// # Errors
    /// `NotFound`, or when the backend cannot read.
    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        match self {
            Self::Fs(fs) => fs.get(key).await,
            Self::S3(s3) => s3.get(key).await,
        }
    }

    /// Removes an object; removing a missing one is not an error.
    ///
    /// # Errors
    /// When the backend cannot delete.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self {
            Self::Fs(fs) => fs.delete(key).await,
            Self::S3(s3) => s3.delete(key).await,
        }
    }

    /// The size of an object in bytes.
    ///
    /// # Errors
    /// `NotFound`, or when the backend cannot read.
    pub async fn size(&self, key: &str) -> Result<u64, StorageError> {
        match self {
            Self::Fs(fs) => fs.size(key).await,
            Self::S3(s3) => s3.size(key).await,
        }
    }

    /// Streams `len` bytes of an object from `start` (a video, a byte range).
    ///
    /// # Errors
    /// `NotFound`, or when the backend cannot read.
    pub async fn open(&self, key: &str, start: u64, len: u64) -> Result<Reader, StorageError> {
        match self {
            Self::Fs(fs) => fs.open(key, start, len).await,
            Self::S3(s3) => s3.open(key, start, len).await,
        }
    }

    /// Moves an object to another key.
    ///
    /// # Errors
    /// `NotFound` when `from` is missing, or when the backend cannot write.
    pub async fn rename(&self, from: &str, to: &str) -> Result<(), StorageError> {
        match self {
            Self::Fs(fs) => fs.rename(from, to).await,
            Self::S3(s3) => s3.rename(from, to).await,
        }
    }

    /// Every key under `prefix`.
    ///
    /// # Errors
    /// When the backend cannot list.
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        match self {
            Self::Fs(fs) => fs.list(prefix).await,
            Self::S3(s3) => s3.list(prefix).await,
        }
    }
}
