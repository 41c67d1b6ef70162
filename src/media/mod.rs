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

use std::sync::{Arc, LazyLock, Mutex, mpsc};

use tokio::sync::oneshot;

use crate::config::Config;
use crate::error::ApiError;
use process::UploadRules;
use store::MediaStore;

/// What uploads share in a process.
pub struct MediaService {
    pub store: MediaStore,
    pub rules: UploadRules,
    pub max_bytes: usize,
}

impl MediaService {
    pub fn new(config: &Config) -> Result<Self, String> {
        Ok(MediaService {
            store: MediaStore::open(config)?,
            rules: UploadRules {
                max_pixels: config.media.max_pixels,
                widths: config.media.widths.clone(),
            },
            max_bytes: config.media.max_bytes,
        })
    }
}

/// A job for the image threads.
type Job = Box<dyn FnOnce() + Send>;

/// The image threads: one per core (so a burst of large uploads queues instead of holding many
/// decoded photos in memory at once), started at the first upload and kept, at a lower
/// scheduling priority (nice 15 on Linux). Decoding and resizing a large photo takes a core
/// for a second or more; readers' requests keep precedence over it while it runs. Long-lived
/// threads reuse their allocator arenas, and after each job free memory goes back to the
/// system, so the process's memory does not creep up upload after upload.
static IMAGE_THREADS: LazyLock<Mutex<mpsc::Sender<Job>>> = LazyLock::new(|| {
    let (jobs, queue) = mpsc::channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    for n in 0..cores {
        let queue = queue.clone();
        let started = std::thread::Builder::new()
            .name(format!("newsdesk-media-{n}"))
            .spawn(move || {
                lower_priority();
                loop {
                    let job = queue.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    match job {
                        Ok(job) => {
                            // A job that panics answers nothing (its caller gets a 500); the
                            // thread stays for the next one.
                            if std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).is_err()
                            {
                                tracing::error!("an image job panicked");
                            }
                            release_memory();
                        }
                        Err(_) => return,
                    }
                }
            });
        if let Err(e) = started {
            tracing::error!(error = %e, "could not start an image thread");
        }
    }
    Mutex::new(jobs)
});

/// Runs image work on the image threads and waits for its result.
pub async fn in_background<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let (done, result) = oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    IMAGE_THREADS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .send(job)
        .map_err(|_| ApiError::internal("the image threads are gone"))?;
    result
        .await
        .map_err(|_| ApiError::internal("an image job stopped without an answer"))
}

/// Niceness of the image threads.
#[cfg(target_os = "linux")]
const NICE: libc::c_int = 15;

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

/// Gives the tens of megabytes a decoded photo took back to the system (glibc keeps freed
/// memory in its arenas otherwise).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_memory() {
    // SAFETY: malloc_trim only returns free memory of the allocator's arenas to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_memory() {}
