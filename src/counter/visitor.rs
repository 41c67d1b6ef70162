//! Who is viewing: an app's install id (`X-Visitor-Id`), or else a keyed hash of the client IP
//! and User-Agent. The hash key is derived from a secret shared by every process and the UTC
//! date, so it rotates daily and yesterday's hashes cannot be linked to today's; no address is
//! ever stored.

use std::net::IpAddr;
use std::sync::RwLock;

use actix_web::HttpRequest;
use chrono::NaiveDate;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{ApiError, FieldError};

pub const VISITOR_HEADER: &str = "x-visitor-id";
const MAX_VISITOR_ID: usize = 128;

/// What identifies one visitor for the day: 64 bits of a keyed hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visitor(u64);

impl Visitor {
    /// The dedup key of this visitor's view of `article`.
    pub fn key(self, article: i64) -> u64 {
        // SplitMix64 finaliser over the pair: distinct pairs stay distinct with overwhelming
        // probability, and the bits are mixed well enough to pick shards from the top ones.
        let mut z = self.0 ^ (article as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The identity as the request presents it.
pub enum Presented<'a> {
    InstallId(&'a str),
    Anonymous { ip: IpAddr, user_agent: &'a str },
}

/// Reads `X-Visitor-Id` (1–128 visible ASCII characters) or falls back to IP and User-Agent.
pub fn presented<'a>(req: &'a HttpRequest, ip: IpAddr) -> Result<Presented<'a>, ApiError> {
    let user_agent = user_agent(req);
    match req.headers().get(VISITOR_HEADER) {
        None => Ok(Presented::Anonymous { ip, user_agent }),
        Some(v) => {
            let id = v.to_str().ok().map(str::trim).filter(|s| {
                !s.is_empty()
                    && s.len() <= MAX_VISITOR_ID
                    && s.bytes().all(|b| b.is_ascii_graphic())
            });
            id.map(Presented::InstallId)
                .ok_or_else(|| ApiError::BadRequest {
                    code: "invalid_header",
                    detail: "header `X-Visitor-Id` must be 1 to 128 visible ASCII characters"
                        .into(),
                    errors: vec![FieldError::new(
                        "X-Visitor-Id",
                        "invalid_visitor_id",
                        "must be 1 to 128 visible ASCII characters, such as an app install id",
                    )],
                })
        }
    }
}

pub fn user_agent(req: &HttpRequest) -> &str {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Hashes identities with the key of the day.
pub struct VisitorKeys {
    secret: Vec<u8>,
    today: RwLock<Option<(NaiveDate, Hmac<Sha256>)>>,
}

impl VisitorKeys {
    pub fn new(secret: &str) -> Self {
        Self {
            secret: secret.as_bytes().to_vec(),
            today: RwLock::new(None),
        }
    }

    pub fn visitor(&self, presented: &Presented<'_>, date: NaiveDate) -> Visitor {
        let cached = match &*self.today.read().unwrap_or_else(|p| p.into_inner()) {
            Some((d, mac)) if *d == date => Some(mac.clone()),
            _ => None,
        };
        let mut mac = match cached {
            Some(mac) => mac,
            None => {
                let mut day = Hmac::<Sha256>::new_from_slice(&self.secret)
                    .expect("HMAC takes keys of any length");
                day.update(date.to_string().as_bytes());
                let key = day.finalize().into_bytes();
                let mac =
                    Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes keys of any length");
                *self.today.write().unwrap_or_else(|p| p.into_inner()) = Some((date, mac.clone()));
                mac
            }
        };
        match presented {
            Presented::InstallId(id) => {
                mac.update(b"id\0");
                mac.update(id.as_bytes());
            }
            Presented::Anonymous { ip, user_agent } => {
                mac.update(b"ip\0");
                match ip {
                    IpAddr::V4(a) => mac.update(&a.octets()),
                    IpAddr::V6(a) => mac.update(&a.octets()),
                }
                mac.update(b"\0");
                mac.update(user_agent.as_bytes());
            }
        }
        let digest = mac.finalize().into_bytes();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        Visitor(u64::from_le_bytes(first))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_rotate_daily_and_separate_visitors() {
        let keys = VisitorKeys::new("secret");
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let next = day.succ_opt().unwrap();
        let a = Presented::Anonymous {
            ip: "203.0.113.9".parse().unwrap(),
            user_agent: "Mozilla/5.0",
        };
        let b = Presented::Anonymous {
            ip: "203.0.113.10".parse().unwrap(),
            user_agent: "Mozilla/5.0",
        };
        assert_eq!(keys.visitor(&a, day), keys.visitor(&a, day));
        assert_ne!(keys.visitor(&a, day), keys.visitor(&b, day));
        assert_ne!(keys.visitor(&a, day), keys.visitor(&a, next));
        assert_ne!(
            keys.visitor(&Presented::InstallId("x"), day),
            VisitorKeys::new("other").visitor(&Presented::InstallId("x"), day)
        );
        let v = keys.visitor(&a, day);
        assert_ne!(v.key(1), v.key(2));
    }
}
