//! What feeds, search and the most-read lists select articles by, with every slug resolved to
//! ids.

use chrono::NaiveDateTime;

/// Ids an article must link to: every group must match at least one of its ids, and none of
/// `excluded` may match.
#[derive(Debug, Clone, Default)]
pub struct IdFilter {
    pub required: Vec<Vec<i64>>,
    pub excluded: Vec<i64>,
}

impl IdFilter {
    /// Whether a single id (an article's section) passes the filter.
    pub fn accepts(&self, id: i64) -> bool {
        self.required.iter().all(|g| g.contains(&id)) && !self.excluded.contains(&id)
    }

    /// A required group that matches nothing makes the whole filter match nothing.
    pub fn matches_nothing(&self) -> bool {
        self.required.iter().any(Vec::is_empty)
    }
}

/// A feed query with every slug resolved to ids.
#[derive(Debug, Clone, Default)]
pub struct FeedFilter {
    pub sections: IdFilter,
    pub tags: IdFilter,
    pub authors: IdFilter,
    pub lang: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub featured: Option<bool>,
}

impl FeedFilter {
    pub fn matches_nothing(&self) -> bool {
        self.sections.matches_nothing()
            || self.tags.matches_nothing()
            || self.authors.matches_nothing()
            || matches!((self.from, self.to), (Some(f), Some(t)) if f > t)
    }
}
