//! Sign-in, refresh and sign-out, and the extractors handlers use to require a signed-in user
//! or a role.

pub mod dto;
pub mod extract;
pub mod model;
pub mod queries;
pub mod routes;

pub use extract::{CurrentUser, MaybeUser, RequireAdmin, RequireEditor};
