//! Uploaded images: the editors' library (`/api/v1/media`), the files themselves
//! (`/media/...`), and the image an article shows as its cover or in its gallery.

pub mod dto;
pub mod files;
pub mod model;
pub mod process;
pub mod queries;
pub mod routes;
pub mod show;
pub mod store;

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::config::Config;
use process::UploadRules;
use store::MediaStore;

/// What uploads share in a process.
pub struct MediaService {
    pub store: MediaStore,
    pub rules: UploadRules,
    pub max_bytes: usize,
    /// One image is decoded and resized per core at a time, so a burst of large uploads queues
    /// instead of holding several decoded photos in memory at once.
    pub permits: Arc<Semaphore>,
}

impl MediaService {
    pub fn new(config: &Config) -> Result<Self, String> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(MediaService {
            store: MediaStore::open(config)?,
            rules: UploadRules {
                max_pixels: config.media.max_pixels,
                widths: config.media.widths.clone(),
            },
            max_bytes: config.media.max_bytes,
            permits: Arc::new(Semaphore::new(cores)),
        })
    }
}
