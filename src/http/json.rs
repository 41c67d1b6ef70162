//! JSON request bodies.
//!
//! [`JsonForm`] reads a body of at most `NEWSDESK_MAX_BODY` bytes (413 beyond), requires a
//! JSON content type (415 otherwise) and answers invalid JSON with 400 `malformed_json`. The
//! problems of the body's shape — wrong types, unknown fields (always rejected, so a typo never
//! silently does nothing) — are all collected, and the handler adds those of the values
//! (missing required fields, values out of range) before answering one 422 that lists every
//! one of them.

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;

use crate::error::{ApiError, FieldError};
use crate::http::params::Errors;

/// The largest request body accepted, in bytes (`NEWSDESK_MAX_BODY`), as app data.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

impl BodyLimit {
    fn of(req: &HttpRequest) -> usize {
        req.app_data::<BodyLimit>()
            .map_or(crate::config::DEFAULT_MAX_BODY, |l| l.0)
    }
}

/// The body of a request that takes none, read and dropped before the answer. Many HTTP
/// libraries send an empty chunked body with every POST; the server closes a connection whose
/// request it answered unread, so without this the client's next request on it would fail.
/// Past `NEWSDESK_MAX_BODY` bytes reading stops and the connection closes after the answer.
pub struct NoBody;

impl FromRequest for NoBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = BodyLimit::of(req);
        let mut payload = payload.take();
        Box::pin(async move {
            let mut read = 0;
            while let Some(Ok(chunk)) = payload.next().await {
                read += chunk.len();
                if read > limit {
                    break;
                }
            }
            Ok(NoBody)
        })
    }
}

/// A JSON body whose values the handler validates: the body as far as its shape is right
/// (offending fields left out) and the problems of its shape, to which the handler adds those
/// of the values, so that one 422 lists them all.
pub struct JsonForm<T> {
    pub value: T,
    pub errors: Errors,
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonForm<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = Body::read(req, payload);
        Box::pin(async move {
            let body = body.await?;
            body.require_json()?;
            let (value, problems) = parse_all(&body.bytes)?;
            Ok(JsonForm {
                value,
                errors: Errors::from(problems),
            })
        })
    }
}

/// A JSON body that may be left out entirely: an empty body without a content type, or the
/// JSON `null`, is `None`; a body that is sent must be a valid one.
pub struct MaybeJson<T>(pub Option<T>);

impl<T: DeserializeOwned + 'static> FromRequest for MaybeJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = Body::read(req, payload);
        Box::pin(async move {
            let body = body.await?;
            if body.bytes.is_empty() && body.content_type.is_none() {
                return Ok(MaybeJson(None));
            }
            body.require_json()?;
            if body.bytes.trim_ascii() == b"null" {
                return Ok(MaybeJson(None));
            }
            parse(&body.bytes).map(|v| MaybeJson(Some(v)))
        })
    }
}

fn is_json(content_type: Option<&HeaderValue>) -> bool {
    let Some(mime) = content_type
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
    else {
        return false;
    };
    mime.type_() == mime::APPLICATION
        && (mime.subtype() == mime::JSON || mime.suffix() == Some(mime::JSON))
}

/// A request body read whole, at most `NEWSDESK_MAX_BODY` bytes, with its content type.
struct Body {
    content_type: Option<HeaderValue>,
    bytes: web::BytesMut,
}

impl Body {
    fn read(
        req: &HttpRequest,
        payload: &mut Payload,
    ) -> LocalBoxFuture<'static, Result<Self, ApiError>> {
        let limit = BodyLimit::of(req);
        let content_type = req.headers().get(header::CONTENT_TYPE).cloned();
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared.is_some_and(|n| n > limit) {
                return Err(ApiError::PayloadTooLarge { limit: Some(limit) });
            }
            let mut bytes = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| {
                    ApiError::bad_request(
                        "invalid_body",
                        format!("the body could not be read: {e}"),
                    )
                })?;
                if bytes.len() + chunk.len() > limit {
                    return Err(ApiError::PayloadTooLarge { limit: Some(limit) });
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(Body {
                content_type,
                bytes,
            })
        })
    }

    /// 415 unless the body is declared JSON.
    fn require_json(&self) -> Result<(), ApiError> {
        if is_json(self.content_type.as_ref()) {
            Ok(())
        } else {
            Err(ApiError::UnsupportedMediaType(
                "the body must be JSON: send `Content-Type: application/json`".into(),
            ))
        }
    }
}

/// Parses a JSON body, naming the field at fault: 400 `malformed_json` when it is not JSON, else
/// 422 listing every field whose shape is wrong ([`parse_all`]).
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    match parse_all(body)? {
        (value, problems) if problems.is_empty() => Ok(value),
        (_, problems) => Err(ApiError::Validation(problems)),
    }
}

/// Parses a JSON body into `T` and the problems of its shape: every unknown, mistyped or
/// missing field, found by reading the body again without each offending field, so a client
/// learns of all of them at once. `T` is what is left of the body. A body that is not JSON is
/// a 400; one that cannot be read as `T` at all (not an object) a 422.
pub fn parse_all<T: DeserializeOwned>(body: &[u8]) -> Result<(T, Vec<FieldError>), ApiError> {
    let mut json: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request("malformed_json", format!("the body is not valid JSON: {e}"))
    })?;
    if !json.is_object() {
        return Err(ApiError::Validation(vec![FieldError::new(
            "body",
            "invalid_type",
            "must be a JSON object",
        )]));
    }
    integral_floats_as_integers(&mut json);
    let mut problems: Vec<FieldError> = Vec::new();
    // PostgreSQL cannot store the NUL character, and no text needs it.
    let mut with_nul = Vec::new();
    strings_with_nul(&json, &mut Vec::new(), &mut with_nul);
    for path in with_nul {
        problems.push(FieldError::new(
            display_path(&path),
            "invalid_character",
            "must not contain the NUL character (U+0000)",
        ));
        let cut = match path.iter().position(|s| matches!(s, Segment::Seq { .. })) {
            Some(i) => &path[..i],
            None => &path[..],
        };
        remove(&mut json, cut);
    }
    loop {
        let err = match serde_path_to_error::deserialize::<_, T>(&json) {
            Ok(value) => return Ok((value, problems)),
            Err(err) => err,
        };
        let segments: Vec<Segment> = err.path().iter().cloned().collect();
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let (field, code, cut) = if unknown_field(&message).is_some() {
            (path, "unknown_field", segments)
        } else if let Some(name) = missing_field(&message) {
            (join_path(&path, &name), "required", segments)
        } else {
            let field = if path == "." { "body".into() } else { path };
            (field, "invalid_type", segments)
        };
        if !problems.iter().any(|p| p.field == field) {
            problems.push(FieldError::new(field, code, message));
        }
        // Read the rest without this field: an array goes whole, so that the indices of its
        // other problems stay as the client sent them.
        let cut = match cut.iter().position(|s| matches!(s, Segment::Seq { .. })) {
            Some(i) => &cut[..i],
            None => &cut[..],
        };
        if !remove(&mut json, cut) {
            return Err(ApiError::Validation(problems));
        }
    }
}

/// For a field that may be left out but not set to `null` (a merge patch cannot remove it):
/// `#[serde(default, deserialize_with = "present")]` on an `Option<T>`.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// JSON has one number type: `5.0` is the integer 5 to a JSON Schema validator, so it is to
/// newsdesk too.
fn integral_floats_as_integers(json: &mut serde_json::Value) {
    match json {
        serde_json::Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
                // Exactly representable: within ±2^53 every integral f64 is an i64.
                if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
                    *n = serde_json::Number::from(f as i64);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(integral_floats_as_integers),
        serde_json::Value::Object(map) => map.values_mut().for_each(integral_floats_as_integers),
        _ => {}
    }
}

/// The paths of the strings (keys included) that hold a NUL character.
fn strings_with_nul(
    json: &serde_json::Value,
    at: &mut Vec<Segment>,
    found: &mut Vec<Vec<Segment>>,
) {
    match json {
        serde_json::Value::String(s) if s.contains('\0') => found.push(at.clone()),
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                at.push(Segment::Seq { index });
                strings_with_nul(item, at, found);
                at.pop();
            }
        }
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                at.push(Segment::Map { key: key.clone() });
                if key.contains('\0') {
                    found.push(at.clone());
                } else {
                    strings_with_nul(value, at, found);
                }
                at.pop();
            }
        }
        _ => {}
    }
}

/// A path as `errors[].field` names it: `cover.url`, `tags[1]`.
fn display_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Enum { variant } => out.push_str(variant),
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

/// Removes the value at `path`; `false` when it is the whole body or not there.
fn remove(json: &mut serde_json::Value, path: &[Segment]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = json;
    for segment in parents {
        node = match (segment, node) {
            (Segment::Map { key }, serde_json::Value::Object(map)) => match map.get_mut(key) {
                Some(child) => child,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, node) {
        (Segment::Map { key }, serde_json::Value::Object(map)) => map.remove(key).is_some(),
        _ => false,
    }
}

fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next().map(str::to_string)
}

fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next().map(str::to_string)
}

fn join_path(path: &str, field: &str) -> String {
    if path == "." || path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        title: String,
        cover: Option<Cover>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Cover {
        url: String,
    }

    fn field_of(r: Result<Body, ApiError>) -> (String, String) {
        match r {
            Err(ApiError::Validation(errors)) => (errors[0].field.clone(), errors[0].code.clone()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_name_the_field() {
        assert!(parse::<Body>(br#"{"title": "x"}"#).is_ok());
        assert!(matches!(
            parse::<Body>(b"{\"title\": "),
            Err(ApiError::BadRequest {
                code: "malformed_json",
                ..
            })
        ));
        assert!(matches!(
            parse::<Body>(br#"{"title": "x"} trailing"#),
            Err(ApiError::BadRequest {
                code: "malformed_json",
                ..
            })
        ));
        assert_eq!(
            field_of(parse(br#"{"title": 5}"#)),
            ("title".into(), "invalid_type".into())
        );
        assert_eq!(
            field_of(parse(br#"{}"#)),
            ("title".into(), "required".into())
        );
        assert_eq!(
            field_of(parse(br#"{"title": "x", "titel": 1}"#)),
            ("titel".into(), "unknown_field".into())
        );
        assert_eq!(
            field_of(parse(br#"{"title": "x", "cover": {"url": 1}}"#)),
            ("cover.url".into(), "invalid_type".into())
        );
        assert_eq!(
            field_of(parse(br#"[]"#)),
            ("body".into(), "invalid_type".into())
        );
    }
}
