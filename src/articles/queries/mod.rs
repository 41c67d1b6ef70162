//! SQL of articles, by concern: [`feed`] (every feed order and filter), [`read`] (one article
//! and what comes with it), [`write`] (inserts and updates) and [`revisions`]. Callers use them
//! as one module.

pub mod feed;
pub mod read;
pub mod revisions;
pub mod write;

pub use feed::*;
pub use read::*;
pub use revisions::*;
pub use write::*;
