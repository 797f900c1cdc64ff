//! Between HTTP messages and the host's types: requests in (bounded, UTF-8 checked), plugin
//! answers out. The host validates every plugin's answer before this layer sees it (statuses
//! 100-599, a denial 4xx or 5xx, header names that are tokens, values without CR, LF or NUL,
//! bounded bodies: `mockforge_component_host::AnswerLimits`); what is left here is what is
//! this layer's own: its response-body limit, dropping framing headers, cutting a denial's
//! reason, and the conversion into the `http` crate's types.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, MatchedPath};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use mockforge_component_host::{Denial, Headers, Identity, Request, Response};

use crate::auth::Authenticated;
use crate::request_id::RequestId;

/// Why a request or response body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// Longer than the limit.
    TooLarge,
    /// The client went away or sent a malformed body.
    Read,
    /// The body did not arrive in time.
    Timeout,
}

/// The whole body, up to `limit` bytes, within `timeout`. A body known to be empty (a GET
/// without `content-length`) or longer than `limit` is answered without reading.
pub(crate) async fn read_body(
    body: Body,
    limit: usize,
    timeout: std::time::Duration,
) -> Result<Bytes, BodyError> {
    let hint = axum::body::HttpBody::size_hint(&body);
    if hint.exact() == Some(0) {
        return Ok(Bytes::new());
    }
    if hint.lower() > limit as u64 {
        return Err(BodyError::TooLarge);
    }
    let collected = match tokio::time::timeout(timeout, Limited::new(body, limit).collect()).await {
        Ok(collected) => collected,
        Err(_) => return Err(BodyError::Timeout),
    };
    match collected {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.downcast_ref::<LengthLimitError>().is_some() => Err(BodyError::TooLarge),
        Err(err) => {
            // hyper reports its own limit errors wrapped.
            let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err.as_ref());
            while let Some(e) = source {
                if e.is::<LengthLimitError>() {
                    return Err(BodyError::TooLarge);
                }
                source = e.source();
            }
            Err(BodyError::Read)
        }
    }
}

/// The host's view of a request: method, path, query, every header in order, the body, the
/// client's address, and what the layers before knew: the request id, the matched route
/// (after routing) with its path parameters `path_params`, and the identity the auth chain
/// established. A header value that is not UTF-8 is refused (the WIT carries text).
///
/// The headers are moved out of `parts`, not copied: [`give_back_headers`] puts them back
/// once the plugins are done with the request.
pub(crate) fn host_request(
    parts: &mut Parts,
    body: &Bytes,
    path_params: Vec<(String, String)>,
) -> Result<Request, String> {
    let headers = match Headers::from_header_map(std::mem::take(&mut parts.headers)) {
        Ok(headers) => headers,
        Err((map, why)) => {
            parts.headers = map;
            return Err(why.to_string());
        }
    };
    Ok(Request {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        headers,
        body: body.to_vec(),
        client_addr: parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.to_string()),
        id: parts
            .extensions
            .get::<RequestId>()
            .map(|id| id.as_str().to_owned())
            .unwrap_or_default(),
        route: parts
            .extensions
            .get::<MatchedPath>()
            .map(|route| route.as_str().to_owned()),
        path_params,
        identity: parts
            .extensions
            .get::<Authenticated>()
            .map(|caller| Identity::clone(&caller.identity)),
    })
}

/// Puts the headers [`host_request`] took back into `parts`: moved back when no plugin call
/// holds the request any more (the usual case), copied otherwise.
pub(crate) fn give_back_headers(parts: &mut Parts, request: Arc<Request>) {
    parts.headers = match Arc::try_unwrap(request) {
        Ok(request) => request.headers.into_header_map(),
        Err(shared) => shared.headers.clone().into_header_map(),
    };
}

/// A route's own response as the host's type, for modifiers. Header values that are not UTF-8
/// are replaced lossily (the route is the embedder's, not a client's).
pub(crate) fn host_response(status: StatusCode, headers: &HeaderMap, body: Bytes) -> Response {
    Response {
        status: status.as_u16(),
        headers: headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
    }
}

/// Headers that frame the message: the server sets them, a plugin may not.
fn is_framing(name: &HeaderName) -> bool {
    name == header::CONTENT_LENGTH
        || name == header::TRANSFER_ENCODING
        || name == header::CONNECTION
        || name == header::TRAILER
        || name == header::TE
        || name == header::UPGRADE
        || name.as_str() == "keep-alive"
        || name.as_str() == "proxy-connection"
}

/// The status as the `http` crate's type (the host has checked a plugin's status already).
fn status(code: u16) -> Result<StatusCode, String> {
    StatusCode::from_u16(code).map_err(|_| format!("status {code} is not an HTTP status"))
}

/// The headers as a header map, framing headers dropped. The host has checked a plugin's
/// names and values already; a conversion can still fail past the `http` crate's own limits
/// (a name over 64 KiB).
fn headers(pairs: &[(String, String)]) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::with_capacity(pairs.len());
    for (name, value) in pairs {
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            return Err(format!(
                "header name {:?} is not a valid HTTP header name",
                cut(name, 64)
            ));
        };
        let Ok(header_value) = HeaderValue::from_bytes(value.as_bytes()) else {
            return Err(format!(
                "the value of header `{header_name}` is not a valid HTTP header value"
            ));
        };
        if !is_framing(&header_name) {
            map.append(header_name, header_value);
        }
    }
    Ok(map)
}

/// Whether a plugin's response fits this layer: its body within `max_body` (the host has
/// checked the rest).
pub(crate) fn check_response(resp: &Response, max_body: usize) -> Result<(), String> {
    if resp.body.len() > max_body {
        return Err(format!(
            "the body is {} bytes, over the limit of {max_body}",
            resp.body.len()
        ));
    }
    Ok(())
}

/// A plugin's response as an HTTP response, or what is wrong with it.
pub(crate) fn http_response(
    resp: Response,
    max_body: usize,
) -> Result<axum::http::Response<Body>, String> {
    check_response(&resp, max_body)?;
    let status = status(resp.status)?;
    let headers = headers(&resp.headers)?;
    let mut out = axum::http::Response::new(Body::from(resp.body));
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    Ok(out)
}

/// Longest denial reason sent to the client; a longer one is cut.
pub(crate) const MAX_REASON_BYTES: usize = 1024;

/// A denial as the client sees it: the plugin's status and headers, the reason in a JSON body,
/// and the challenges (`WWW-Authenticate`) of every other plugin that denied. The host has
/// checked that the status is 4xx or 5xx.
pub(crate) fn denial_response(
    denial: &Denial,
    challenges: &[HeaderValue],
    request_id: Option<&crate::RequestId>,
) -> Result<axum::http::Response<Body>, String> {
    let code = status(denial.status)?;
    let mut own = headers(&denial.headers)?;
    for challenge in challenges {
        if !own
            .get_all(header::WWW_AUTHENTICATE)
            .iter()
            .any(|c| c == challenge)
        {
            own.append(header::WWW_AUTHENTICATE, challenge.clone());
        }
    }
    let reason = cut(&denial.reason, MAX_REASON_BYTES);
    let mut body = serde_json::json!({ "error": reason });
    if let Some(id) = request_id {
        body["request_id"] = id.as_str().into();
    }
    own.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let mut out = axum::http::Response::new(Body::from(body.to_string()));
    *out.status_mut() = code;
    *out.headers_mut() = own;
    Ok(out)
}

/// The `WWW-Authenticate` values of a denial, valid ones only.
pub(crate) fn challenges(denial: &Denial) -> impl Iterator<Item = HeaderValue> + '_ {
    denial
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("www-authenticate"))
        .filter_map(|(_, v)| HeaderValue::from_bytes(v.as_bytes()).ok())
}

/// `text` cut to at most `max` bytes at a character boundary.
pub(crate) fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)]) -> Response {
        Response {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: b"x".to_vec(),
        }
    }

    #[test]
    fn this_layer_checks_its_own_body_limit_only() {
        assert!(check_response(&response(200, &[]), 1).is_ok());
        assert!(check_response(&response(200, &[]), 0)
            .unwrap_err()
            .contains("over the limit"));
        assert!(http_response(response(200, &[]), 0)
            .unwrap_err()
            .contains("over the limit"));
        // What the host has validated converts: a UTF-8 value (obs-text) included.
        let ok = http_response(response(200, &[("x-name", "Jürgen\tX")]), 10).unwrap();
        assert_eq!(ok.headers()["x-name"].as_bytes(), "Jürgen\tX".as_bytes());
        // A conversion that fails is still an error, never a panic.
        assert!(http_response(response(200, &[("a b", "v")]), 10).is_err());
        assert!(http_response(response(200, &[("a", "nul\0")]), 10).is_err());
        assert!(http_response(response(0, &[]), 10).is_err());
    }

    #[test]
    fn framing_headers_from_a_plugin_are_dropped() {
        let ok = http_response(
            response(
                201,
                &[("Content-Length", "999"), ("x-a", "1"), ("x-a", "2")],
            ),
            10,
        )
        .unwrap();
        assert_eq!(ok.status(), 201);
        assert!(ok.headers().get("content-length").is_none());
        assert_eq!(ok.headers().get_all("x-a").iter().count(), 2);
    }

    #[test]
    fn a_denial_carries_every_challenge_once() {
        let denial = Denial {
            status: 401,
            reason: "no".into(),
            headers: vec![("WWW-Authenticate".into(), "Bearer".into())],
        };
        let extra = [
            HeaderValue::from_static("Bearer"),
            HeaderValue::from_static("ApiKey"),
        ];
        let resp = denial_response(&denial, &extra, None).unwrap();
        let values: Vec<_> = resp.headers().get_all("www-authenticate").iter().collect();
        assert_eq!(values, ["Bearer", "ApiKey"]);
        assert_eq!(resp.status(), 401);
    }

    #[test]
    fn cut_keeps_whole_characters() {
        assert_eq!(cut("héllo", 2), "h");
        assert_eq!(cut("abc", 10), "abc");
    }
}
