//! The answers the layer itself gives: short JSON bodies that never carry a plugin's internals.

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};

use crate::request_id::RequestId;

/// `{"error": message, "request_id": id}` with `status`. `message` is the layer's own text,
/// never a plugin's error.
pub(crate) fn error_response(
    status: StatusCode,
    message: &str,
    id: Option<&RequestId>,
) -> Response<Body> {
    let mut body = serde_json::json!({ "error": message });
    if let Some(id) = id {
        body["request_id"] = id.as_str().into();
    }
    let mut resp = Response::new(Body::from(body.to_string()));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}
