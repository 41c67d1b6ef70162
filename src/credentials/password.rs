//! Argon2id password hashing. Both functions are slow on purpose: call them off the async
//! workers (`web::block`).

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use secrecy::{ExposeSecret, SecretString};

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 10;
/// Longest password accepted (hashing cost grows with it).
pub const MAX_PASSWORD_LEN: usize = 256;

/// A PHC string (`$argon2id$v=19$...`) of the default parameters.
pub fn hash(password: &SecretString) -> Result<SecretString, String> {
    let hash: PasswordHash = Argon2::default()
        .hash_password(password.expose_secret().as_bytes())
        .map_err(|e| format!("hashing failed: {e}"))?;
    Ok(SecretString::from(hash.to_string()))
}

/// Whether `password` matches `stored`; a malformed stored hash never matches.
pub fn verify(password: &SecretString, stored: &SecretString) -> bool {
    let Ok(parsed) = PasswordHash::new(stored.expose_secret()) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.expose_secret().as_bytes(), &parsed)
        .is_ok()
}

/// A hash of nothing in particular, verified against when an email is unknown so that a wrong
/// email costs as much time as a wrong password.
static DUMMY: LazyLock<SecretString> = LazyLock::new(|| {
    hash(&SecretString::from("newsdesk-dummy-password")).unwrap_or_else(|_| SecretString::from(""))
});

/// Computes the stand-in hash now (at start, off the async workers) rather than during the
/// first sign-in with an unknown email, which would then take visibly longer.
pub fn warm_up() {
    std::sync::LazyLock::force(&DUMMY);
}

/// Spends the time of one verification and fails.
pub fn verify_dummy(password: &SecretString) -> bool {
    verify(password, &DUMMY);
    false
}

/// `Some(problem)` when a new password is unacceptable.
pub fn check_policy(password: &str) -> Option<String> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        Some(format!("must be at least {MIN_PASSWORD_LEN} characters"))
    } else if len > MAX_PASSWORD_LEN {
        Some(format!("must be at most {MAX_PASSWORD_LEN} characters"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let pw = SecretString::from("correct horse battery");
        let h1 = hash(&pw).unwrap();
        let h2 = hash(&pw).unwrap();
        assert!(h1.expose_secret().starts_with("$argon2id$"));
        assert_ne!(h1.expose_secret(), h2.expose_secret(), "salted");
        assert!(verify(&pw, &h1));
        assert!(!verify(&SecretString::from("wrong horse battery"), &h1));
        assert!(!verify(&pw, &SecretString::from("not a hash")));
        assert!(!verify_dummy(&pw));
    }
}
