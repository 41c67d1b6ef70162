//! Opaque keyset cursors. A cursor names the last item a client has seen (its sort key and
//! id) and the order it belongs to; it is signed with a key every process sharing the database
//! reads, so a cursor from one node works on any other and a tampered one is refused.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDateTime};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::{ApiError, FieldError};

const MAC_LEN: usize = 12;
/// Longest cursor accepted; real ones are far shorter.
const MAX_CURSOR_LEN: usize = 1024;

/// Where a page ends, in the terms of its sort order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "k")]
pub enum Position {
    /// Ordered by a timestamp (microseconds since the epoch), then id.
    #[serde(rename = "t")]
    Time { t: i64, i: i64 },
    /// Ordered by a count (views), then id.
    #[serde(rename = "n")]
    Count { n: i64, i: i64 },
    /// Ordered by a name, then id.
    #[serde(rename = "s")]
    Name { s: String, i: i64 },
    /// Ordered by a relevance score, then id.
    #[serde(rename = "r")]
    Score { r: f64, i: i64 },
    /// Ordered by a sequence number (change feed).
    #[serde(rename = "q")]
    Seq { q: i64 },
}

impl Position {
    pub fn time(at: NaiveDateTime, id: i64) -> Self {
        Position::Time {
            t: at.and_utc().timestamp_micros(),
            i: id,
        }
    }

    /// The timestamp and id of a time position.
    pub fn as_time(&self) -> Option<(NaiveDateTime, i64)> {
        match self {
            Position::Time { t, i } => {
                DateTime::from_timestamp_micros(*t).map(|d| (d.naive_utc(), *i))
            }
            _ => None,
        }
    }
}

/// A decoded cursor: which listing order it belongs to, and the position in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// The order name (`newest`, `oldest`, `popular`, `name`, ...).
    pub o: String,
    #[serde(flatten)]
    pub pos: Position,
}

/// Signs and checks cursors.
#[derive(Clone)]
pub struct CursorCodec {
    key: [u8; 32],
}

impl std::fmt::Debug for CursorCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorCodec(..)")
    }
}

impl CursorCodec {
    pub fn new(key: [u8; 32]) -> Self {
        Self { key }
    }

    fn mac(&self, payload: &[u8]) -> [u8; MAC_LEN] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .expect("HMAC accepts keys of any length");
        mac.update(payload);
        let full = mac.finalize().into_bytes();
        let mut out = [0u8; MAC_LEN];
        out.copy_from_slice(&full[..MAC_LEN]);
        out
    }

    pub fn encode(&self, order: &str, pos: Position) -> String {
        let cursor = Cursor {
            o: order.to_string(),
            pos,
        };
        let mut bytes = serde_json::to_vec(&cursor).unwrap_or_default();
        let mac = self.mac(&bytes);
        bytes.extend_from_slice(&mac);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Decodes a cursor given in parameter `field`, which must belong to `order`.
    pub fn decode(&self, field: &str, raw: &str, order: &str) -> Result<Position, ApiError> {
        let invalid = |message: &str| ApiError::BadRequest {
            code: "invalid_cursor",
            detail: format!("parameter `{field}` is not a cursor this listing issued"),
            errors: vec![FieldError::new(field, "invalid_cursor", message)],
        };
        if raw.len() > MAX_CURSOR_LEN {
            return Err(invalid("is too long"));
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(raw.trim())
            .map_err(|_| invalid("is not a cursor"))?;
        if bytes.len() <= MAC_LEN {
            return Err(invalid("is not a cursor"));
        }
        let (payload, mac) = bytes.split_at(bytes.len() - MAC_LEN);
        if !constant_time_eq(&self.mac(payload), mac) {
            return Err(invalid(
                "has been altered or was issued by another deployment",
            ));
        }
        let cursor: Cursor =
            serde_json::from_slice(payload).map_err(|_| invalid("is not a cursor"))?;
        if cursor.o != order {
            return Err(invalid(&format!(
                "belongs to order `{}`, not `{order}`",
                cursor.o
            )));
        }
        Ok(cursor.pos)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let codec = CursorCodec::new([7; 32]);
        let at = DateTime::from_timestamp_micros(1_771_490_000_123_456)
            .unwrap()
            .naive_utc();
        let raw = codec.encode("newest", Position::time(at, 42));
        let pos = codec.decode("cursor", &raw, "newest").unwrap();
        assert_eq!(pos.as_time(), Some((at, 42)));
        assert!(codec.decode("cursor", &raw, "oldest").is_err());

        let mut tampered = raw.clone().into_bytes();
        let last = tampered.len() / 2;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert!(codec.decode("cursor", &tampered, "newest").is_err());

        let other = CursorCodec::new([8; 32]);
        assert!(other.decode("cursor", &raw, "newest").is_err());
        for junk in ["", "abc", "!!!!", "eyJvIjoibmV3ZXN0In0"] {
            assert!(codec.decode("cursor", junk, "newest").is_err());
        }
    }
}
