//! Objects as files in a directory; writes go to a temporary file first and
//! are renamed into place, so a reader never sees half an object.

use std::path::{Path, PathBuf};

use bytes::Bytes;

use super::{Reader, StorageError};

#[derive(Debug, Clone)]
pub struct FsStorage {
    root: PathBuf,
}

fn unavailable(err: &std::io::Error) -> StorageError {
    if err.kind() == std::io::ErrorKind::StorageFull {
        StorageError::Full
    } else {
        StorageError::Unavailable(err.to_string())
    }
}

impl FsStorage {
    #[must_use]
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    /// The file of a key; keys never climb out of the root.
    fn path(&self, key: &str) -> Result<PathBuf, StorageError> {
        let safe = !key.is_empty()
            && key.split('/').all(|part| {
                !part.is_empty() && part != "." && part != ".." && !part.contains('\\')
            });
        if safe {
            Ok(self.root.join(key))
        } else {
            Err(StorageError::Unavailable(format!("invalid key {key:?}")))
        }
    }

    async fn prepare(&self, key: &str) -> Result<(PathBuf, PathBuf), StorageError> {
        let path = self.path(key)?;
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent)
                .await
                .map_err(|e| unavailable(&e))?;
        }
        let temp = path.with_extension(format!("part-{}", uuid::Uuid::now_v7().simple()));
        Ok((path, temp))
    }

    pub async fn put(
        &self,
        key: &str,
        data: Bytes,
        _content_type: &str,
    ) -> Result<(), StorageError> {
        let (path, temp) = self.prepare(key).await?;
        tokio::fs::write(&temp, &data)
            .await
            .map_err(|e| unavailable(&e))?;
        tokio::fs::rename(&temp, &path)
            .await
            .map_err(|e| unavailable(&e))
    }

    pub async fn put_file(
        &self,
        key: &str,
        source: &Path,
        _content_type: &str,
    ) -> Result<(), StorageError> {
        let (path, temp) = self.prepare(key).await?;
        tokio::fs::copy(source, &temp)
            .await
            .map_err(|e| unavailable(&e))?;
        tokio::fs::rename(&temp, &path)
            .await
            .map_err(|e| unavailable(&e))
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        match tokio::fs::read(self.path(key)?).await {
            Ok(data) => Ok(Bytes::from(data)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Err(StorageError::NotFound),
            Err(err) => Err(unavailable(&err)),
        }
    }

    pub async fn size(&self, key: &str) -> Result<u64, StorageError> {
        match tokio::fs::metadata(self.path(key)?).await {
            Ok(meta) if meta.is_file() => Ok(meta.len()),
            Ok(_) => Err(StorageError::NotFound),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Err(StorageError::NotFound),
            Err(err) => Err(unavailable(&err)),
        }
    }

    pub async fn open(&self, key: &str, start: u64, len: u64) -> Result<Reader, StorageError> {
        use tokio::io::{AsyncReadExt, AsyncSeekExt};
        let mut file = match tokio::fs::File::open(self.path(key)?).await {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(StorageError::NotFound)
            }
            Err(err) => return Err(unavailable(&err)),
        };
        file.seek(std::io::SeekFrom::Start(start))
            .await
            .map_err(|e| unavailable(&e))?;
        Ok(Box::pin(file.take(len)))
    }

    pub async fn rename(&self, from: &str, to: &str) -> Result<(), StorageError> {
        let (path, _) = self.prepare(to).await?;
        match tokio::fs::rename(self.path(from)?, &path).await {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Err(StorageError::NotFound),
            Err(err) => Err(unavailable(&err)),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(unavailable(&err)),
        }
    }

    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let mut keys = Vec::new();
        let mut pending = vec![self.root.join(prefix)];
        while let Some(dir) = pending.pop() {
            let mut entries = match tokio::fs::read_dir(&dir).await {
                Ok(entries) => entries,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
                Err(err) => return Err(unavailable(&err)),
            };
            while let Some(entry) = entries.next_entry().await.map_err(|e| unavailable(&e))? {
                let path = entry.path();
                if entry
                    .file_type()
                    .await
                    .map_err(|e| unavailable(&e))?
                    .is_dir()
                {
                    pending.push(path);
                } else if let Ok(relative) = path.strip_prefix(&self.root) {
                    let key = relative.to_string_lossy().replace('\\', "/");
                    if !key.contains(".part-") {
                        keys.push(key);
                    }
                }
            }
        }
        keys.sort();
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::FsStorage;
    use bytes::Bytes;

    #[tokio::test]
    async fn put_get_list_delete() {
        let dir = tempfile::tempdir().unwrap();
        let fs = FsStorage::new(dir.path().to_path_buf());
        fs.put("media/a/w320.jpg", Bytes::from_static(b"x"), "image/jpeg")
            .await
            .unwrap();
        assert_eq!(
            fs.get("media/a/w320.jpg").await.unwrap(),
            Bytes::from_static(b"x")
        );
        assert_eq!(fs.list("media").await.unwrap(), ["media/a/w320.jpg"]);
        fs.delete("media/a/w320.jpg").await.unwrap();
        fs.delete("media/a/w320.jpg").await.unwrap();
        assert!(fs.get("media/a/w320.jpg").await.is_err());
        assert!(fs.put("../escape", Bytes::new(), "x").await.is_err());
    }
}
