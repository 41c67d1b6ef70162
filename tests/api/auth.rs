//! Sign-in, refresh-token rotation and revocation, and attacks on access tokens, on both
//! backends.

use chrono::Duration;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::common::{self, Api, Backend, PASSWORD, TestCtx};

both_backends!(
    sign_in_refresh_and_logout,
    refresh_token_reuse_revokes_the_family,
    role_password_and_deletion_revoke_tokens,
    forged_and_stale_tokens_are_refused,
);

async fn sign_in_refresh_and_logout(t: TestCtx) {
    let id = t.user("ed@example.com", "editor");
    let app = t.app().await;
    let pair = app.anon().sign_in("ED@example.com ", PASSWORD).await;
    assert_eq!(pair["token_type"], "Bearer");
    assert_eq!(pair["expires_in"], 900);
    let access = pair["access_token"].as_str().unwrap();
    let me = app.by(access).get("/api/v1/auth/me").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["id"], id);
    assert_eq!(me.json()["role"], "editor");

    // Wrong password and unknown email: the same answer.
    let wrong = app
        .anon()
        .post(
            "/api/v1/auth/token",
            json!({"email": "ed@example.com", "password": "not the password"}),
        )
        .await;
    wrong.assert_problem(401, "invalid_credentials");
    let unknown = app
        .anon()
        .post(
            "/api/v1/auth/token",
            json!({"email": "nobody@example.com", "password": "not the password"}),
        )
        .await;
    unknown.assert_problem(401, "invalid_credentials");
    assert_eq!(wrong.json()["detail"], unknown.json()["detail"]);

    // Refresh rotates: a new pair, and the new refresh token works once more.
    let refresh = pair["refresh_token"].as_str().unwrap();
    let r = app
        .anon()
        .post("/api/v1/auth/refresh", json!({"refresh_token": refresh}))
        .await;
    assert_eq!(r.status, 200);
    let next = r.json();
    assert_ne!(next["refresh_token"], pair["refresh_token"]);
    let me = app
        .by(next["access_token"].as_str().unwrap())
        .get("/api/v1/auth/me")
        .await;
    assert_eq!(me.status, 200);

    // Logout revokes the sign-in: the current refresh token is refused afterwards.
    let next_refresh = next["refresh_token"].as_str().unwrap();
    let r = app
        .anon()
        .post(
            "/api/v1/auth/logout",
            json!({"refresh_token": next_refresh}),
        )
        .await;
    assert_eq!(r.status, 204);
    app.anon()
        .post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": next_refresh}),
        )
        .await
        .assert_problem(401, "invalid_refresh_token");
    app.anon()
        .post("/api/v1/auth/refresh", json!({"refresh_token": "made-up"}))
        .await
        .assert_problem(401, "invalid_refresh_token");

    // Refresh tokens expire.
    let pair = app.anon().sign_in("ed@example.com", PASSWORD).await;
    t.clock.advance(Duration::days(31));
    app.anon()
        .post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": pair["refresh_token"]}),
        )
        .await
        .assert_problem(401, "invalid_refresh_token");
}

async fn refresh_token_reuse_revokes_the_family(t: TestCtx) {
    t.user("w@example.com", "writer");
    let app = t.app().await;
    let first = app.anon().sign_in("w@example.com", PASSWORD).await;
    let other_session = app.anon().sign_in("w@example.com", PASSWORD).await;
    let stolen = first["refresh_token"].as_str().unwrap().to_string();
    let r = app
        .anon()
        .post("/api/v1/auth/refresh", json!({"refresh_token": stolen}))
        .await;
    assert_eq!(r.status, 200);
    let rotated = r.json()["refresh_token"].as_str().unwrap().to_string();
    // The spent token comes back (a thief, or a replay): refused, and the family is revoked.
    app.anon()
        .post("/api/v1/auth/refresh", json!({"refresh_token": stolen}))
        .await
        .assert_problem(401, "invalid_refresh_token");
    app.anon()
        .post("/api/v1/auth/refresh", json!({"refresh_token": rotated}))
        .await
        .assert_problem(401, "invalid_refresh_token");
    // Another sign-in of the same user is a different family and keeps working.
    let r = app
        .anon()
        .post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": other_session["refresh_token"]}),
        )
        .await;
    assert_eq!(r.status, 200);
}

async fn role_password_and_deletion_revoke_tokens(t: TestCtx) {
    let (_, admin) = t.signed_in("admin@example.com", "admin");
    let ed = t.user("ed@example.com", "editor");
    let app = t.app().await;
    let pair = app.anon().sign_in("ed@example.com", PASSWORD).await;
    let access = pair["access_token"].as_str().unwrap().to_string();

    // Demotion: the old token and refresh token stop working.
    let r = app
        .by(&admin)
        .patch(&format!("/api/v1/users/{ed}"), json!({"role": "writer"}))
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    app.by(&access)
        .get("/api/v1/auth/me")
        .await
        .assert_problem(401, "invalid_token");
    app.anon()
        .post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": pair["refresh_token"]}),
        )
        .await
        .assert_problem(401, "invalid_refresh_token");

    // Password change: the same.
    let pair = app.anon().sign_in("ed@example.com", PASSWORD).await;
    let r = app
        .by(&admin)
        .patch(
            &format!("/api/v1/users/{ed}"),
            json!({"password": "a brand new passphrase"}),
        )
        .await;
    assert_eq!(r.status, 200);
    app.by(pair["access_token"].as_str().unwrap())
        .get("/api/v1/auth/me")
        .await
        .assert_problem(401, "invalid_token");
    let r = app
        .anon()
        .post(
            "/api/v1/auth/token",
            json!({"email": "ed@example.com", "password": "a brand new passphrase"}),
        )
        .await;
    assert_eq!(r.status, 200);
    let access = r.json()["access_token"].as_str().unwrap().to_string();

    // A name change does not sign anyone out.
    let r = app
        .by(&admin)
        .patch(&format!("/api/v1/users/{ed}"), json!({"name": "Ed"}))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(app.by(&access).get("/api/v1/auth/me").await.status, 200);

    // Deletion: gone at once.
    assert_eq!(
        app.by(&admin)
            .delete(&format!("/api/v1/users/{ed}"))
            .await
            .status,
        204
    );
    app.by(&access)
        .get("/api/v1/auth/me")
        .await
        .assert_problem(401, "invalid_token");
}

fn forge(header: Header, claims: &Value, key: &EncodingKey) -> String {
    jsonwebtoken::encode(&header, claims, key).unwrap()
}

async fn forged_and_stale_tokens_are_refused(t: TestCtx) {
    let (id, good) = t.signed_in("ed@example.com", "editor");
    let app = t.app().await;
    assert_eq!(app.by(&good).get("/api/v1/auth/me").await.status, 200);
    let secret = EncodingKey::from_secret(b"test-secret-of-at-least-thirty-two-bytes!");
    let now = t.clock.now().timestamp();
    let claims = |over: Value| {
        let mut base = json!({
            "sub": id.to_string(), "role": "editor", "iss": "newsdesk", "aud": "newsdesk-editorial",
            "iat": now, "nbf": now, "exp": now + 900, "jti": "x", "ver": 0
        });
        for (k, v) in over.as_object().unwrap() {
            base[k] = v.clone();
        }
        base
    };
    // Sanity: a token forged with the right key and claims is accepted, so each refusal
    // below is caused by the one thing changed.
    let control = forge(Header::new(Algorithm::HS256), &claims(json!({})), &secret);
    assert_eq!(app.by(&control).get("/api/v1/auth/me").await.status, 200);

    let rsa = EncodingKey::from_rsa_pem(include_bytes!("fixtures/rsa_private.pem")).unwrap();
    let payload_b64 = good.split('.').nth(1).unwrap().to_string();
    let mut tampered_payload: Value = serde_json::from_slice(&base64_decode(&payload_b64)).unwrap();
    tampered_payload["role"] = json!("admin");
    tampered_payload["sub"] = json!("999");
    let parts: Vec<&str> = good.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        base64_encode(&serde_json::to_vec(&tampered_payload).unwrap()),
        parts[2]
    );
    let alg_none = format!(
        "{}.{}.",
        base64_encode(br#"{"alg":"none","typ":"JWT"}"#),
        base64_encode(&serde_json::to_vec(&claims(json!({}))).unwrap())
    );
    let cases: Vec<(&str, String)> = vec![
        (
            "expired",
            forge(
                Header::new(Algorithm::HS256),
                &claims(json!({"iat": now - 3600, "nbf": now - 3600, "exp": now - 60})),
                &secret,
            ),
        ),
        (
            "not yet valid",
            forge(
                Header::new(Algorithm::HS256),
                &claims(json!({"nbf": now + 3600, "exp": now + 7200})),
                &secret,
            ),
        ),
        ("tampered payload", tampered),
        (
            "wrong key",
            forge(
                Header::new(Algorithm::HS256),
                &claims(json!({})),
                &EncodingKey::from_secret(b"another-secret-another-secret-!!"),
            ),
        ),
        ("alg none", alg_none),
        (
            "wrong issuer",
            forge(
                Header::new(Algorithm::HS256),
                &claims(json!({"iss": "someone-else"})),
                &secret,
            ),
        ),
        (
            "wrong audience",
            forge(
                Header::new(Algorithm::HS256),
                &claims(json!({"aud": "other-api"})),
                &secret,
            ),
        ),
        (
            "HS384 with our key",
            forge(Header::new(Algorithm::HS384), &claims(json!({})), &secret),
        ),
        (
            "RS256 instead of HS256",
            forge(Header::new(Algorithm::RS256), &claims(json!({})), &rsa),
        ),
        (
            "stale token version",
            forge(
                Header::new(Algorithm::HS256),
                &claims(json!({"ver": 7})),
                &secret,
            ),
        ),
        (
            "unknown user",
            forge(
                Header::new(Algorithm::HS256),
                &claims(json!({"sub": "424242"})),
                &secret,
            ),
        ),
        (
            "no exp",
            forge(
                Header::new(Algorithm::HS256),
                &{
                    let mut c = claims(json!({}));
                    c.as_object_mut().unwrap().remove("exp");
                    c
                },
                &secret,
            ),
        ),
        ("garbage", "not.a.jwt".to_string()),
    ];
    for (name, token) in cases {
        let r = app.by(&token).get("/api/v1/auth/me").await;
        assert_eq!(r.status, 401, "{name} was accepted");
        r.assert_problem(401, "invalid_token");
        assert!(
            r.header("www-authenticate")
                .is_some_and(|h| h.starts_with("Bearer")),
            "{name}"
        );
    }
    // Missing token: 401 with the challenge; a non-Bearer scheme: 401.
    let r = app.anon().get("/api/v1/auth/me").await;
    r.assert_problem(401, "missing_token");
    assert_eq!(
        r.header("www-authenticate").as_deref(),
        Some("Bearer realm=\"newsdesk\"")
    );
    let r = common::send(
        &app,
        actix_web::test::TestRequest::get()
            .uri("/api/v1/auth/me")
            .insert_header(("Authorization", "Basic YTpi")),
    )
    .await;
    r.assert_problem(401, "invalid_token");
    // The real token expires after 15 minutes of the clock.
    t.clock.advance(Duration::minutes(16));
    app.by(&good)
        .get("/api/v1/auth/me")
        .await
        .assert_problem(401, "invalid_token");
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .unwrap()
}

mod rate_limits {
    use super::*;

    #[actix_web::test]
    async fn sign_in_is_rate_limited_per_email_and_per_ip() {
        let _watchdog = crate::common::watchdog();
        let t = TestCtx::with_config(Backend::Sqlite, |c| {
            c.signin_per_minute_email = 3;
            c.signin_per_minute_ip = 5;
        })
        .await
        .unwrap();
        t.user("ed@example.com", "editor");
        let app = t.app().await;
        let attempt = |email: &'static str| {
            common::request(
                "POST",
                "/api/v1/auth/token",
                None,
                Some(json!({"email": email, "password": "wrong password!"})),
            )
            .peer_addr("203.0.113.7:4000".parse().unwrap())
        };
        for _ in 0..3 {
            assert_eq!(
                common::send(&app, attempt("ed@example.com")).await.status,
                401
            );
        }
        let r = common::send(&app, attempt("ed@example.com")).await;
        r.assert_problem(429, "rate_limited");
        let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry), "{retry}");
        // The IP limit (5 a minute) catches attempts spread over other emails.
        assert_eq!(
            common::send(&app, attempt("a@example.com")).await.status,
            401
        );
        common::send(&app, attempt("b@example.com"))
            .await
            .assert_problem(429, "rate_limited");
        // Another client is not affected.
        let other = common::request(
            "POST",
            "/api/v1/auth/token",
            None,
            Some(json!({"email": "c@example.com", "password": "wrong password!"})),
        )
        .peer_addr("198.51.100.1:4000".parse().unwrap());
        assert_eq!(common::send(&app, other).await.status, 401);
    }
}
