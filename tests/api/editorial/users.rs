//! User accounts: admin-only management, validation, and the last admin kept.

use serde_json::json;

use crate::common::{Api, TestCtx};

both_backends!(users_crud);

async fn users_crud(t: TestCtx) {
    let (admin_id, admin) = t.signed_in("admin@example.com", "admin");
    t.author("Ann Lee");
    let app = t.app().await;
    let r = app.by(&admin).post("/api/v1/users", json!({"email": "New@Example.com", "name": "New Writer", "role": "writer", "password": "long enough password", "author_id": 1})).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let user = r.json();
    assert_eq!(user["email"], "new@example.com");
    assert!(user.get("password_hash").is_none() && !r.body.windows(7).any(|w| w == b"argon2i"));
    let id = user["id"].as_i64().unwrap();
    app.by(&admin).post("/api/v1/users", json!({"email": "new@example.com", "name": "Dup", "role": "writer", "password": "long enough password"})).await.assert_problem(409, "email_taken");
    let r = app
        .by(&admin)
        .post(
            "/api/v1/users",
            json!({"email": "not-an-email", "name": "", "role": "boss", "password": "short"}),
        )
        .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.json()["errors"].as_array().unwrap().len(), 4);
    // The new user signs in and writes as their author profile.
    app.anon()
        .sign_in("new@example.com", "long enough password")
        .await;
    let list = app.by(&admin).get("/api/v1/users").await;
    assert_eq!(list.ids().len(), 2);
    // The last admin can be neither demoted nor deleted.
    app.by(&admin)
        .patch(
            &format!("/api/v1/users/{admin_id}"),
            json!({"role": "editor"}),
        )
        .await
        .assert_problem(409, "last_admin");
    app.by(&admin)
        .delete(&format!("/api/v1/users/{admin_id}"))
        .await
        .assert_problem(409, "last_admin");
    // With a second admin, the first may step down.
    app.by(&admin)
        .patch(&format!("/api/v1/users/{id}"), json!({"role": "admin"}))
        .await;
    assert_eq!(
        app.by(&admin)
            .patch(
                &format!("/api/v1/users/{admin_id}"),
                json!({"role": "editor"})
            )
            .await
            .status,
        200
    );
    app.by(&t.token_for(id))
        .get("/api/v1/users/99999")
        .await
        .assert_problem(404, "not_found");
}
