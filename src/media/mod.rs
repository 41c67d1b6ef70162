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

use tokio::sync::{Semaphore, oneshot};

use crate::config::Config;
use crate::error::ApiError;
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

/// Runs image work on a thread of its own at a lower scheduling priority (nice 10 on Linux):
/// decoding and resizing a large photo takes a core for a second or more, and the readers'
/// requests keep precedence over it while it runs.
pub async fn in_background<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let (done, result) = oneshot::channel();
    std::thread::Builder::new()
        .name("newsdesk-media".into())
        .spawn(move || {
            lower_priority();
            let _ = done.send(work());
        })
        .map_err(|e| ApiError::internal(format!("starting an image thread: {e}")))?;
    result
        .await
        .map_err(|_| ApiError::internal("an image thread stopped without an answer"))
}

/// Niceness of the image threads.
#[cfg(target_os = "linux")]
const NICE: libc::c_int = 10;

#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: plain system calls on the calling thread; Linux keeps a nice value per thread,
    // and `setpriority` with a thread id changes only that thread. A failure leaves the thread
    // at normal priority, which is harmless.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, NICE);
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}
