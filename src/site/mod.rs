//! `GET /site`: the settings an app needs at start.

pub mod dto;
pub mod routes;
