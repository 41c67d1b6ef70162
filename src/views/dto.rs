//! View endpoints' requests and answers.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::articles::dto::ArticleSummary;
use crate::http::schema::{Lang, SlugFilter};

/// The answer to a view beacon.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ViewCounted {
    /// Whether this view was counted: not when the same visitor viewed the article within
    /// the dedup window, or when the client is a known bot.
    pub counted: bool,
}

/// Views an app queued while offline.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ViewBatch {
    /// 1 to 100 article ids.
    #[serde(default)]
    #[schema(required = true, value_type = Vec<ArticleId>, min_items = 1, max_items = 100, example = json!([1042, 1043]))]
    pub article_ids: Option<Vec<i64>>,
}

/// An article id.
#[derive(ToSchema)]
#[schema(minimum = 1)]
pub struct ArticleId(pub i64);

/// What happened to one view of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ViewOutcome {
    Counted,
    /// The visitor viewed it within the dedup window (or earlier in this batch).
    Repeat,
    /// The client is a known crawler or bot.
    Bot,
    /// No published article has that id (any more): drop it from the queue.
    UnknownArticle,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchItem {
    pub article_id: i64,
    pub counted: bool,
    pub outcome: ViewOutcome,
}

/// Per id of the batch, in the order sent.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchCounted {
    pub results: Vec<BatchItem>,
}

/// Which articles' counts to read.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountsQuery {
    /// Comma-separated article ids, 1 to 100.
    #[param(
        required = true,
        value_type = String,
        pattern = "^[1-9][0-9]{0,17}(?:,[1-9][0-9]{0,17}){0,99}$",
        example = "1042,1043,1050"
    )]
    pub ids: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ViewCount {
    pub id: i64,
    pub views: i64,
}

/// Current totals of the published articles among the ids asked for (others are left out),
/// in the order asked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ViewCounts {
    pub data: Vec<ViewCount>,
}

/// A "most read" list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PopularQuery {
    /// The window: `1h`, `24h` (default), `7d` or `30d`. Views are kept per hour, so a window
    /// of N hours is the current hour plus the N whole hours before it (`1h` covers the last
    /// 60 to 120 minutes).
    #[param(inline, value_type = Option<PopularPeriod>, example = "24h")]
    pub period: Option<String>,
    /// Section slugs (`,` = any of, `-x` = not x).
    #[param(value_type = Option<SlugFilter>)]
    pub section: Option<String>,
    /// Only articles in this language.
    #[param(value_type = Option<Lang>, example = "en")]
    pub lang: Option<String>,
    /// How many, 1 to 50 (default 10).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 50)]
    pub limit: Option<String>,
}

/// The windows of the most-read list.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub enum PopularPeriod {
    #[serde(rename = "1h")]
    Hour,
    #[serde(rename = "24h")]
    Day,
    #[serde(rename = "7d")]
    Week,
    #[serde(rename = "30d")]
    Month,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PopularArticle {
    #[serde(flatten)]
    pub article: ArticleSummary,
    /// Views within the window.
    pub period_views: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PopularMeta {
    /// The window asked for.
    pub period: String,
    /// Start of the oldest hour counted.
    pub since: DateTime<Utc>,
    pub limit: u32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PopularPage {
    pub data: Vec<PopularArticle>,
    pub meta: PopularMeta,
}
