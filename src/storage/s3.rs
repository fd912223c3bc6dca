//! Objects in an S3-compatible store through aws-sdk-s3. Path-style addressing
//! and checksums only where the API requires them, so MinIO, Garage, Ceph and
//! other S3-compatible stores work as well as AWS. A `PutObject` is atomic on
//! every such store: an object is there whole or not at all.

use std::{path::Path, time::Duration};

use aws_sdk_s3::{
    config::{
        http::HttpResponse, retry::RetryConfig, timeout::TimeoutConfig, BehaviorVersion,
        Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation,
    },
    error::{DisplayErrorContext, SdkError},
    primitives::ByteStream,
    Client,
};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use bytes::Bytes;
use secrecy::ExposeSecret;

use super::{Reader, StorageError};
use crate::config::S3Config;

#[derive(Debug, Clone)]
pub struct S3Storage {
    client: Client,
    bucket: String,
    prefix: String,
}

type S3Error<E> = SdkError<E, HttpResponse>;

fn unavailable<E: std::error::Error + 'static>(err: &S3Error<E>) -> StorageError {
    StorageError::Unavailable(DisplayErrorContext(err).to_string())
}

fn is_not_found<E>(err: &S3Error<E>) -> bool {
    matches!(err, SdkError::ServiceError(service) if service.raw().status().as_u16() == 404)
}

/// A 404 (`NoSuchKey` and the like) is `NotFound`; anything else means the
/// store cannot be used right now.
fn not_found_or_unavailable<E: std::error::Error + 'static>(err: &S3Error<E>) -> StorageError {
    if is_not_found(err) {
        StorageError::NotFound
    } else {
        unavailable(err)
    }
}

impl S3Storage {
    /// A client for the configured store; nothing is sent until it is used.
    #[must_use]
    pub fn new(config: &S3Config) -> Self {
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
            .build_https();
        let timeout = Duration::from_secs(config.timeout_seconds.max(1));
        let mut builder = aws_sdk_s3::config::Builder::new()
            .behavior_version(BehaviorVersion::latest())
            .http_client(http)
            .region(Region::new(config.region.clone()))
            .force_path_style(config.path_style)
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
            .retry_config(RetryConfig::standard().with_max_attempts(3))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(3))
                    .operation_timeout(timeout)
                    .build(),
            )
            .credentials_provider(Credentials::new(
                config.access_key_id.clone(),
                config
                    .secret_access_key
                    .as_ref()
                    .map(|secret| secret.expose_secret().to_owned())
                    .unwrap_or_default(),
                None,
                None,
                "changemakers-config",
            ));
        if let Some(endpoint) = &config.endpoint {
            builder = builder.endpoint_url(endpoint.as_str().trim_end_matches('/'));
        }
        Self {
            client: Client::from_conf(builder.build()),
            bucket: config.bucket.clone(),
            prefix: config.prefix.clone(),
        }
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Creates the bucket unless it is there (for development and tests;
    /// production buckets are made by whoever runs the store).
    ///
    /// # Errors
    /// When the store cannot be reached or refuses.
    pub async fn create_bucket(&self) -> Result<(), StorageError> {
        match self
            .client
            .create_bucket()
            .bucket(&self.bucket)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(err)
                if err.as_service_error().is_some_and(|e| {
                    e.is_bucket_already_owned_by_you() || e.is_bucket_already_exists()
                }) =>
            {
                Ok(())
            }
            Err(err) => Err(unavailable(&err)),
        }
    }

    pub async fn put(
        &self,
        key: &str,
        data: Bytes,
        content_type: &str,
    ) -> Result<(), StorageError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(self.key(key))
            .content_type(content_type)
            .body(ByteStream::from(data))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| unavailable(&e))
    }

    pub async fn put_file(
        &self,
        key: &str,
        source: &Path,
        content_type: &str,
    ) -> Result<(), StorageError> {
        let body = ByteStream::from_path(source)
            .await
            .map_err(|e| StorageError::Unavailable(e.to_string()))?;
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(self.key(key))
            .content_type(content_type)
            .body(body)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| unavailable(&e))
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        let response = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(self.key(key))
            .send()
            .await
            .map_err(|err| not_found_or_unavailable(&err))?;
        response
            .body
            .collect()
            .await
            .map(aws_sdk_s3::primitives::AggregatedBytes::into_bytes)
            .map_err(|e| StorageError::Unavailable(e.to_string()))
    }

    pub async fn size(&self, key: &str) -> Result<u64, StorageError> {
        let head = self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(self.key(key))
            .send()
            .await
            .map_err(|err| not_found_or_unavailable(&err))?;
        Ok(head
            .content_length()
            .and_then(|len| u64::try_from(len).ok())
            .unwrap_or(0))
    }

    pub async fn open(&self, key: &str, start: u64, len: u64) -> Result<Reader, StorageError> {
        if len == 0 {
            return Ok(Box::pin(tokio::io::empty()));
        }
        let response = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(self.key(key))
            .range(format!("bytes={start}-{}", start + len - 1))
            .send()
            .await
            .map_err(|err| not_found_or_unavailable(&err))?;
        Ok(Box::pin(response.body.into_async_read()))
    }

    /// A server-side copy, then the source goes.
    pub async fn rename(&self, from: &str, to: &str) -> Result<(), StorageError> {
        self.client
            .copy_object()
            .bucket(&self.bucket)
            .copy_source(format!("{}/{}", self.bucket, self.key(from)))
            .key(self.key(to))
            .send()
            .await
            .map_err(|err| not_found_or_unavailable(&err))?;
        self.delete(from).await
    }

    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self
            .client
            .delete_object()
            .bucket(&self.bucket)
            .key(self.key(key))
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(err) if is_not_found(&err) => Ok(()),
            Err(err) => Err(unavailable(&err)),
        }
    }

    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let full = if prefix.is_empty() {
            self.prefix.clone()
        } else {
            format!("{}{}/", self.prefix, prefix.trim_end_matches('/'))
        };
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(full)
            .into_paginator()
            .send();
        let mut keys = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| unavailable(&e))?;
            for object in page.contents() {
                if let Some(key) = object.key().and_then(|k| k.strip_prefix(&self.prefix)) {
                    keys.push(key.to_owned());
                }
            }
        }
        keys.sort();
        Ok(keys)
    }
}
