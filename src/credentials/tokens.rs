//! Access tokens (JWT, HS256) and refresh tokens (random, stored hashed).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::Role;

pub const ISSUER: &str = "newsdesk";
pub const AUDIENCE: &str = "newsdesk-editorial";
/// Clock skew tolerated on `exp` and `nbf`, in seconds.
const LEEWAY_SECS: i64 = 5;

/// Claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// User id.
    pub sub: String,
    pub role: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: String,
    /// The user's token version when issued; a role or password change bumps it.
    pub ver: i64,
}

/// Why a token was refused (all answered as 401 `invalid_token`; the reason is logged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    Malformed(String),
    Expired,
    NotYetValid,
}

/// The signing key. Only HS256 is accepted: a token naming any other algorithm (`none`,
/// RS256 with our secret as a "public key", ...) is refused before its signature is looked at.
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        // Time claims are checked against newsdesk's clock below, not the library's.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    /// Signs an access token for `user` valid for `ttl` from `now`.
    pub fn issue(
        &self,
        user_id: i64,
        role: Role,
        version: i64,
        now: DateTime<Utc>,
        ttl: std::time::Duration,
    ) -> Result<String, String> {
        let iat = now.timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            role: role.as_str().to_string(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat,
            nbf: iat,
            exp: iat + ttl.as_secs() as i64,
            jti: random_token(16),
            ver: version,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| format!("signing failed: {e}"))
    }

    /// Checks signature, algorithm, issuer, audience, `exp` and `nbf` at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| TokenError::Malformed(e.to_string()))?;
        let claims = data.claims;
        let now = now.timestamp();
        if claims.exp + LEEWAY_SECS <= now {
            return Err(TokenError::Expired);
        }
        if claims.nbf - LEEWAY_SECS > now {
            return Err(TokenError::NotYetValid);
        }
        Ok(claims)
    }
}

/// `bytes` random bytes, base64url: refresh tokens, token ids, refresh families.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill(&mut buf[..]);
    URL_SAFE_NO_PAD.encode(buf)
}

/// What the database keeps of a bearer secret (refresh tokens, preview links): its SHA-256.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn issue_and_verify() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef");
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let ttl = std::time::Duration::from_secs(900);
        let token = keys.issue(7, Role::Editor, 3, now, ttl).unwrap();
        let claims = keys.verify(&token, now).unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.role.as_str(), claims.ver),
            ("7", "editor", 3)
        );
        assert_eq!(
            keys.verify(&token, now + Duration::minutes(16)),
            Err(TokenError::Expired)
        );
        assert_eq!(
            keys.verify(&token, now - Duration::minutes(1)),
            Err(TokenError::NotYetValid)
        );
        let other = JwtKeys::new(b"another-secret-another-secret-!!");
        assert!(matches!(
            other.verify(&token, now),
            Err(TokenError::Malformed(_))
        ));
    }
}
