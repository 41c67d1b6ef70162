//! The newsroom's own vocabulary, shared by every resource and free of HTTP: what an article's
//! status means and when it is public, who may do what, slugs, the filters feeds and search
//! select articles by, and the words of the change feed.

pub mod change;
pub mod filter;
pub mod localized;
pub mod role;
pub mod slug;
pub mod status;

pub use filter::{FeedFilter, IdFilter};
pub use localized::Localized;
pub use role::Role;
pub use status::{Exposure, Status, visible};
