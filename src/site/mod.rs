//! `GET /site`: the settings an app needs at start; `PATCH /site`: admins change them.

pub mod dto;
pub mod routes;
pub mod settings;
