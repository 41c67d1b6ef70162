//! Articles: the public feed and article pages.

pub mod dto;
pub mod editorial;
pub mod feed;
pub mod model;
pub mod queries;
pub mod routes;
pub mod scoped;
