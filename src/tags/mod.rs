//! Tags: topic labels, tag pages and their feeds.

pub mod dto;
pub mod model;
pub mod queries;
pub mod routes;
