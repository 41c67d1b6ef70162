//! Who may do what.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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

impl From<Role> for String {
    fn from(r: Role) -> Self {
        r.as_str().to_string()
    }
}

impl TryFrom<String> for Role {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        Role::parse(&s).ok_or_else(|| format!("unknown role `{s}` stored"))
    }
}
