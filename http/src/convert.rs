//! Between HTTP messages and the host's types: requests in (bounded, UTF-8 checked), plugin
//! answers out (validated: a plugin's answer never reaches the wire unless it is valid HTTP).

use std::net::SocketAddr;

use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use mockforge_component_host::{Denial, Request, Response};

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

/// The host's view of a request: method, path, query, every header in order, the body, and
/// the client's address. A header value that is not UTF-8 is refused (the WIT carries text).
pub(crate) fn host_request(parts: &Parts, body: &Bytes) -> Result<Request, String> {
    let mut headers = Vec::with_capacity(parts.headers.len());
    for (name, value) in &parts.headers {
        let Ok(text) = std::str::from_utf8(value.as_bytes()) else {
            return Err(format!("the value of header `{name}` is not valid UTF-8"));
        };
        headers.push((name.as_str().to_owned(), text.to_owned()));
    }
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
    })
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

/// A status a plugin may answer with: 100 to 599.
fn status(code: u16) -> Result<StatusCode, String> {
    match code {
        100..=599 => StatusCode::from_u16(code).map_err(|_| format!("status {code} is not valid")),
        _ => Err(format!("status {code} is not an HTTP status (100-599)")),
    }
}

/// The plugin's headers, each checked (no CR, LF, NUL or other bytes HTTP forbids, no empty
/// name); framing headers are dropped.
fn headers(pairs: &[(String, String)]) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::with_capacity(pairs.len());
    for (name, value) in pairs {
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            return Err(format!(
                "header name {name:?} is not a valid HTTP header name"
            ));
        };
        let Ok(header_value) = HeaderValue::from_str(value) else {
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

/// What is wrong with a plugin's response, if anything: a status outside 100-599, a header
/// HTTP forbids, a body over `max_body`.
pub(crate) fn check_response(resp: &Response, max_body: usize) -> Result<(), String> {
    status(resp.status)?;
    headers(&resp.headers)?;
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
/// and the challenges (`WWW-Authenticate`) of every other plugin that denied.
pub(crate) fn denial_response(
    denial: &Denial,
    challenges: &[HeaderValue],
    request_id: Option<&crate::RequestId>,
) -> Result<axum::http::Response<Body>, String> {
    let code = status(denial.status)?;
    if !(code.is_client_error() || code.is_server_error()) {
        return Err(format!(
            "a denial with status {} (a denial is 4xx or 5xx)",
            denial.status
        ));
    }
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
        .filter_map(|(_, v)| HeaderValue::from_str(v).ok())
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
    fn a_plugin_answer_must_be_valid_http() {
        for bad in [0, 99, 600, 999, 65535] {
            assert!(http_response(response(bad, &[]), 10).is_err(), "{bad}");
        }
        let injected = http_response(response(200, &[("a", "1\r\nX-Evil: 1")]), 10);
        assert!(injected.unwrap_err().contains("header `a`"));
        assert!(http_response(response(200, &[("", "v")]), 10).is_err());
        assert!(http_response(response(200, &[("a\nb", "v")]), 10).is_err());
        assert!(http_response(response(200, &[("a", "nul\0")]), 10).is_err());
        assert!(http_response(response(200, &[]), 0)
            .unwrap_err()
            .contains("over the limit"));
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
    fn a_denial_is_4xx_or_5xx_and_carries_every_challenge_once() {
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
        let ok = Denial {
            status: 200,
            ..denial
        };
        assert!(denial_response(&ok, &[], None)
            .unwrap_err()
            .contains("4xx or 5xx"));
    }

    #[test]
    fn cut_keeps_whole_characters() {
        assert_eq!(cut("héllo", 2), "h");
        assert_eq!(cut("abc", 10), "abc");
    }
}
