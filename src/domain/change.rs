//! What a row of the change feed says: its kind and the entity it is about.

pub const UPSERT: &str = "upsert";
pub const DELETE: &str = "delete";

pub const ARTICLE: &str = "article";
pub const SECTION: &str = "section";
pub const AUTHOR: &str = "author";
pub const TAG: &str = "tag";
pub const SITE: &str = "site";
