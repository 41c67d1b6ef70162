//! The events a subscription can ask for, and the patterns that select them.

use crate::domain::Exposure;

/// Every event newsdesk announces, in the order the README lists them.
pub const EVENTS: &[&str] = &[
    "article.published",
    "article.updated",
    "article.unpublished",
    "article.deleted",
    "article.scheduled",
    "section.created",
    "section.updated",
    "section.deleted",
    "author.created",
    "author.updated",
    "author.deleted",
    "tag.created",
    "tag.updated",
    "tag.deleted",
    "site.updated",
];

/// The event of a test send: delivered only by `POST /webhooks/{id}/test`.
pub const TEST_EVENT: &str = "webhook.test";

/// At most this many patterns per subscription.
pub const MAX_PATTERNS: usize = 32;

/// Whether `pattern` names events: one event, a family (`article.*`) or everything (`*`).
pub fn is_pattern(pattern: &str) -> bool {
    pattern == "*"
        || EVENTS.contains(&pattern)
        || pattern.strip_suffix(".*").is_some_and(|family| {
            EVENTS
                .iter()
                .any(|e| e.split_once('.').is_some_and(|(f, _)| f == family))
        })
}

/// Whether a subscription to `patterns` receives `event`.
pub fn selects(patterns: &[String], event: &str) -> bool {
    patterns.iter().any(|p| {
        p == "*"
            || p == event
            || p.strip_suffix(".*")
                .is_some_and(|family| event.split_once('.').is_some_and(|(f, _)| f == family))
    })
}

/// What a write of an article means for subscribers, from its public exposure before and after
/// (`deleted`: the write made it a tombstone): the events to send now, and the publish to send
/// when a scheduled time comes.
pub fn article_events(
    before: Exposure,
    after: Exposure,
    deleted: bool,
) -> (Vec<&'static str>, Option<chrono::NaiveDateTime>) {
    match (before, after) {
        (Exposure::Hidden, Exposure::Hidden) => (Vec::new(), None),
        (Exposure::Public, Exposure::Public) => (vec!["article.updated"], None),
        (_, Exposure::Public) => (vec!["article.published"], None),
        (_, Exposure::Hidden) if deleted => (vec!["article.deleted"], None),
        (_, Exposure::Hidden) => (vec!["article.unpublished"], None),
        (Exposure::Scheduled(was), Exposure::Scheduled(at)) if was == at => (Vec::new(), Some(at)),
        (Exposure::Public, Exposure::Scheduled(at)) => {
            (vec!["article.unpublished", "article.scheduled"], Some(at))
        }
        (_, Exposure::Scheduled(at)) => (vec!["article.scheduled"], Some(at)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_select_events_and_families() {
        assert!(is_pattern("*") && is_pattern("article.*") && is_pattern("tag.deleted"));
        assert!(!is_pattern("article") && !is_pattern("articles.*") && !is_pattern("webhook.test"));
        let p = vec!["article.*".to_string(), "site.updated".to_string()];
        assert!(selects(&p, "article.deleted") && selects(&p, "site.updated"));
        assert!(!selects(&p, "tag.created") && !selects(&p, "articlex.updated"));
        assert!(selects(&["*".to_string()], "tag.created"));
    }

    #[test]
    fn article_moves_name_their_events() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        use Exposure::*;
        assert_eq!(
            article_events(Hidden, Public, false).0,
            ["article.published"]
        );
        assert_eq!(article_events(Public, Public, false).0, ["article.updated"]);
        assert_eq!(
            article_events(Public, Hidden, false).0,
            ["article.unpublished"]
        );
        assert_eq!(article_events(Public, Hidden, true).0, ["article.deleted"]);
        assert_eq!(
            article_events(Hidden, Scheduled(t), false),
            (vec!["article.scheduled"], Some(t))
        );
        assert_eq!(
            article_events(Public, Scheduled(t), false),
            (vec!["article.unpublished", "article.scheduled"], Some(t))
        );
        assert_eq!(
            article_events(Scheduled(t), Scheduled(t), false),
            (vec![], Some(t))
        );
        assert_eq!(
            article_events(Scheduled(t), Public, false).0,
            ["article.published"]
        );
        assert_eq!(article_events(Hidden, Hidden, true).0, Vec::<&str>::new());
    }
}
