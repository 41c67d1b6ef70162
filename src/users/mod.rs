//! Newsroom accounts (admins only): who may sign in, and with which role.

pub mod dto;
pub mod model;
pub mod queries;
pub mod routes;
