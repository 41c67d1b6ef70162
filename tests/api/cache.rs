//! The in-process response cache stays correct: scheduled articles appear at their time, and
//! writes made by another process sharing the database are seen once the content version moves.

use chrono::Duration;

use crate::common::{ArticleSpec, TestCtx, get};

both_backends!(cached_feed_follows_schedule_and_version);

async fn cached_feed_follows_schedule_and_version(backend_ctx: TestCtx) {
    let backend = backend_ctx.backend();
    drop(backend_ctx);
    let t = TestCtx::with_config(backend, |c| c.cache_mb = 8)
        .await
        .unwrap();
    assert!(t.state.cache.enabled());
    let s = t.section("world", &[("en", "World")], 1);
    let first = t.published("First", s, 10);
    let scheduled = t.article(ArticleSpec::published(
        "Noon",
        s,
        t.now() + Duration::minutes(2),
    ));
    t.state.refresh().await.unwrap();
    let app = t.app().await;

    assert_eq!(get(&app, "/api/v1/articles").await.ids(), vec![first]);
    // Written behind the cache's back (as by another process, before it bumps the version).
    let second = t.published("Second", s, 5);
    assert_eq!(
        get(&app, "/api/v1/articles").await.ids(),
        vec![first],
        "served from the cache"
    );

    // The scheduled article shows up the moment its time comes, cache or not.
    t.clock.advance(Duration::minutes(2));
    assert_eq!(
        get(&app, "/api/v1/articles").await.ids(),
        vec![scheduled, second, first]
    );
    assert_eq!(
        get(&app, &format!("/api/v1/articles/{scheduled}"))
            .await
            .status,
        200
    );

    // The poller learns that nothing else is scheduled; the answer is cached again.
    t.state.refresh().await.unwrap();
    get(&app, "/api/v1/articles").await;

    // Another process bumps the content version; the next poll clears the cache.
    let third = t.published("Third", s, 1);
    t.state.refresh().await.unwrap();
    assert_eq!(
        get(&app, "/api/v1/articles").await.ids(),
        vec![scheduled, second, first],
        "still cached"
    );
    newsdesk::settings::queries::bump_content_version(&mut t.conn()).unwrap();
    t.state.refresh().await.unwrap();
    assert_eq!(
        get(&app, "/api/v1/articles").await.ids(),
        vec![scheduled, third, second, first]
    );

    // Entries never outlive max-age.
    let fourth = t.published("Fourth", s, 0);
    t.clock.advance(Duration::seconds(31));
    assert_eq!(get(&app, "/api/v1/articles").await.ids()[0], fourth);
}
