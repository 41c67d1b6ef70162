//! Sections of the site (WORLD, POLITICS, ...): the menu, and each section's feed.

pub mod dto;
pub mod model;
pub mod queries;
pub mod routes;
