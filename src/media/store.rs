//! Where media files live, behind `object_store`: a local directory by default, an
//! S3-compatible bucket when configured (so several processes share it).
//!
//! Files are named after the SHA-256 of their bytes (`ab/cdef…-640x427.webp`): a name never
//! changes meaning, so it can be cached for a year, and the same file uploaded twice is stored
//! once.

use std::sync::Arc;

use bytes::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

use super::process::{Encoded, Format};
use crate::config::Config;
use crate::error::ApiError;

#[derive(Clone)]
pub struct MediaStore {
    store: Arc<dyn ObjectStore>,
    /// Where the files are served from, without a trailing slash.
    public_url: Arc<str>,
}

impl MediaStore {
    /// The store the configuration names; the local directory is created when missing.
    pub fn open(config: &Config) -> Result<Self, String> {
        let store: Arc<dyn ObjectStore> = match &config.media.s3 {
            Some(s3) => {
                let mut builder = AmazonS3Builder::from_env()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region);
                if let Some(endpoint) = &s3.endpoint {
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.starts_with("http://"));
                }
                if let Some((id, secret)) = &s3.credentials {
                    builder = builder
                        .with_access_key_id(id)
                        .with_secret_access_key(secret.expose_secret());
                }
                let bucket = builder
                    .build()
                    .map_err(|e| format!("NEWSDESK_MEDIA_S3_BUCKET: {e}"))?;
                if s3.prefix.is_empty() {
                    Arc::new(bucket)
                } else {
                    Arc::new(object_store::prefix::PrefixStore::new(
                        bucket,
                        s3.prefix.as_str(),
                    ))
                }
            }
            None => {
                let dir = config.media_dir();
                std::fs::create_dir_all(&dir)
                    .map_err(|e| format!("NEWSDESK_MEDIA_DIR {}: {e}", dir.display()))?;
                let local = LocalFileSystem::new_with_prefix(&dir)
                    .map_err(|e| format!("NEWSDESK_MEDIA_DIR {}: {e}", dir.display()))?;
                Arc::new(local.with_automatic_cleanup(true))
            }
        };
        Ok(MediaStore {
            store,
            public_url: config.media_url().into(),
        })
    }

    /// The name a file is stored under.
    pub fn key_for(file: &Encoded) -> String {
        let hash = Sha256::digest(&file.data);
        let hex: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "{}/{}-{}x{}.{}",
            &hex[..2],
            &hex[2..],
            file.width,
            file.height,
            file.format.extension()
        )
    }

    /// Where the files are served from, without a trailing slash.
    pub fn public_url(&self) -> Arc<str> {
        self.public_url.clone()
    }

    /// The public address of a stored file.
    pub fn url(&self, key: &str) -> String {
        format!("{}/{key}", self.public_url)
    }

    pub async fn put(&self, key: &str, data: Vec<u8>) -> Result<(), ApiError> {
        self.store
            .put(&Path::from(key), PutPayload::from(data))
            .await
            .map_err(|e| ApiError::internal(format!("storing media file {key}: {e}")))?;
        Ok(())
    }

    /// A stored file's bytes, or `None` when there is no such file.
    pub async fn get(&self, key: &str) -> Result<Option<Bytes>, ApiError> {
        let failed =
            |e: object_store::Error| ApiError::internal(format!("reading media file {key}: {e}"));
        match self.store.get(&Path::from(key)).await {
            Ok(found) => Ok(Some(found.bytes().await.map_err(failed)?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(failed(e)),
        }
    }

    /// Removes files; one that is already gone is not an error. Failures are logged: an
    /// orphaned file costs space, never correctness.
    pub async fn delete(&self, keys: &[String]) {
        for key in keys {
            match self.store.delete(&Path::from(key.as_str())).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => tracing::warn!(key, error = %e, "could not delete a media file"),
            }
        }
    }
}

/// A key as newsdesk makes them (two hex digits, a slash, hex, the size, a known extension),
/// and its media type; anything else names no file.
pub fn parse_key(key: &str) -> Option<Format> {
    let (dir, name) = key.split_once('/')?;
    let (stem, ext) = name.rsplit_once('.')?;
    let (hash, size) = stem.split_once('-')?;
    let (w, h) = size.split_once('x')?;
    let hex = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    };
    let num = |s: &str| !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit());
    (dir.len() == 2 && hex(dir) && hash.len() == 30 && hex(hash) && num(w) && num(h))
        .then(|| Format::from_extension(ext))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_content_hashed_and_parse_back() {
        let file = Encoded {
            format: Format::WebP,
            width: 640,
            height: 427,
            data: b"RIFF....WEBP".to_vec(),
        };
        let key = MediaStore::key_for(&file);
        assert!(key.ends_with("-640x427.webp"), "{key}");
        assert_eq!(parse_key(&key), Some(Format::WebP));
        assert_eq!(MediaStore::key_for(&file), key, "same bytes, same name");
        for bad in [
            "../etc/passwd",
            "ab/../../x-1x1.jpg",
            "ab/cd-1x1.exe",
            "AB/0123456789abcdef0123456789abcd-1x1.jpg",
            "",
        ] {
            assert_eq!(parse_key(bad), None, "{bad}");
        }
    }
}
