//! Sign-in, tokens, roles and the extractors handlers use to require them.

pub mod dto;
pub mod extract;
pub mod password;
pub mod queries;
pub mod ratelimit;
pub mod routes;
pub mod tokens;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use extract::{CurrentUser, MaybeUser, RequireAdmin, RequireEditor};

/// What a user may do. `admin`: everything, including users; `editor`: all content;
/// `writer`: creates articles and edits their own drafts, never publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Editor,
    Writer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Writer => "writer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Role::Admin),
            "editor" => Some(Role::Editor),
            "writer" => Some(Role::Writer),
            _ => None,
        }
    }

    /// Editors and admins handle all content.
    pub fn is_editor(self) -> bool {
        matches!(self, Role::Admin | Role::Editor)
    }
}
