//! JSON request bodies and the responses of authenticated calls.
//!
//! [`ValidJson`] reads a body of at most `NEWSDESK_MAX_BODY` bytes (413 beyond), requires a
//! JSON content type (415 otherwise), answers invalid JSON with 400 `malformed_json`, and a
//! body of the wrong shape — wrong types, missing or unknown fields — with 422 naming the
//! field. Unknown fields are always rejected, so a typo never silently does nothing.

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};
use crate::state::AppState;

/// A JSON body, parsed and shape-checked.
pub struct ValidJson<T>(pub T);

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

impl<T: DeserializeOwned + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = json_body(req, payload, false);
        Box::pin(async move {
            match body.await? {
                Some(value) => Ok(ValidJson(value)),
                None => Err(ApiError::internal("a required body was taken as absent")),
            }
        })
    }
}

/// A JSON body that may be left out entirely: an empty body without a content type is `None`
/// (however it is framed); a body that is sent is checked exactly like [`ValidJson`].
pub struct MaybeJson<T>(pub Option<T>);

impl<T: DeserializeOwned + 'static> FromRequest for MaybeJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = json_body(req, payload, true);
        Box::pin(async move { body.await.map(MaybeJson) })
    }
}

/// Reads and parses a JSON body; `optional`: an empty body without a content type is `None`.
fn json_body<T: DeserializeOwned + 'static>(
    req: &HttpRequest,
    payload: &mut Payload,
    optional: bool,
) -> LocalBoxFuture<'static, Result<Option<T>, ApiError>> {
    let body = Body::read(req, payload);
    Box::pin(async move {
        let body = body.await?;
        if optional && body.bytes.is_empty() && body.content_type.is_none() {
            return Ok(None);
        }
        body.require_json()?;
        parse(&body.bytes).map(Some)
    })
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
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(crate::config::DEFAULT_MAX_BODY, |s| s.config.max_body);
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

/// Parses a JSON body, naming the field at fault.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(value) => de.end().map(|()| value).map_err(|e| {
            ApiError::bad_request("malformed_json", format!("the body is not valid JSON: {e}"))
        }),
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if inner.is_data() {
                let message = inner.to_string();
                let message = message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_string();
                let (field, code) = if unknown_field(&message).is_some() {
                    (path, "unknown_field")
                } else if let Some(name) = missing_field(&message) {
                    (join_path(&path, &name), "required")
                } else {
                    (
                        if path == "." {
                            "body".to_string()
                        } else {
                            path
                        },
                        "invalid_type",
                    )
                };
                Err(ApiError::Validation(vec![FieldError::new(
                    field, code, message,
                )]))
            } else {
                Err(ApiError::bad_request(
                    "malformed_json",
                    format!("the body is not valid JSON: {inner}"),
                ))
            }
        }
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

/// A JSON answer to an authenticated call: never cached by anyone.
pub fn private_json<T: Serialize>(status: StatusCode, body: &T) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}

/// `201 Created` with the new resource's `Location`.
pub fn created<T: Serialize>(location: &str, body: &T) -> HttpResponse {
    let mut res = private_json(StatusCode::CREATED, body);
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// `204 No Content`, not cacheable.
pub fn no_content() -> HttpResponse {
    HttpResponse::NoContent()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
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
