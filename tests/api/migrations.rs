//! Every migration's `down.sql` works: up, down, up again on both backends.

use crate::common::{Backend, TestDb};

fn up_down_up(backend: Backend) {
    let Some(db) = TestDb::new(backend) else {
        return;
    };
    let mut conn = db.connect();
    let applied = newsdesk::db::run_migrations(&mut conn).expect("up");
    assert!(!applied.is_empty());
    assert!(!newsdesk::db::has_pending_migrations(&mut conn).unwrap());
    newsdesk::db::revert_all_migrations(&mut conn).expect("down");
    assert!(newsdesk::db::has_pending_migrations(&mut conn).unwrap());
    let again = newsdesk::db::run_migrations(&mut conn).expect("up again");
    assert_eq!(applied, again);
}

#[test]
fn sqlite_migrations_revert_cleanly() {
    let _watchdog = crate::common::watchdog();
    up_down_up(Backend::Sqlite);
}

#[test]
fn postgres_migrations_revert_cleanly() {
    let _watchdog = crate::common::watchdog();
    up_down_up(Backend::Postgres);
}
