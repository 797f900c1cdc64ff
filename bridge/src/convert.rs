//! MockForge's request and response types to the host's and back. What does not survive the
//! trip is listed in the crate's README ("What is lost").

use std::collections::HashMap;

use http::HeaderMap;
use mockforge_component_host::{AuthOutcome, Identity, Request, Response};
use mockforge_plugin_core::{
    AuthRequest, AuthResponse, ResponseData, ResponseRequest, UserIdentity,
};
use serde_json::{json, Value};

/// The `AuthResponse::metadata` key of a denial's HTTP status (a JSON number).
pub const DENIAL_STATUS_KEY: &str = "status";
/// The `AuthResponse::metadata` key of a denial's headers: a JSON array of `[name, value]`
/// pairs in the plugin's order (MockForge's `AuthResponse` has no field for them).
pub const DENIAL_HEADERS_KEY: &str = "headers";
/// The `ResponseData::metadata` key of a response's headers as the plugin gave them: a JSON
/// array of `[name, value]` pairs in order, duplicates kept (`ResponseData::headers` is a map,
/// which keeps one value per name).
pub const RESPONSE_HEADERS_KEY: &str = "component-headers";
/// The `ResponseData::content_type` of a response whose plugin set no `content-type`.
pub const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

/// The host's request for MockForge's `AuthRequest`.
pub fn auth_request(request: &AuthRequest) -> Request {
    let query = match request.uri.query() {
        Some(query) => query.to_owned(),
        None => encode_query(&request.query_params),
    };
    Request {
        method: request.method.as_str().to_owned(),
        path: request.uri.path().to_owned(),
        query,
        headers: headers_with_agent(&request.headers, request.user_agent.as_deref()).into(),
        body: request.body.clone().unwrap_or_default(),
        client_addr: request.client_ip.clone(),
        ..Request::default()
    }
}

/// The `ResponseRequest::custom` key under which MockForge may put the template of the route
/// it matched (`"/users/{id}"`, a JSON string): the request's `route`, which plugins of
/// contract 0.2 (such as `response-template`) decide on. MockForge's request has no field of
/// its own for it.
pub const ROUTE_KEY: &str = "route";

/// The host's request for MockForge's `ResponseRequest`: with its path parameters (sorted by
/// name: MockForge keeps them in a map, without their order), the matched route's template
/// from `custom[ROUTE_KEY]` ([`ROUTE_KEY`]) and its auth context as the identity (see
/// [`context_identity`]); plugins of contract 0.2 read them. The other custom values and the
/// timestamp have no place in the WIT request and are not passed.
pub fn response_request(request: &ResponseRequest) -> Request {
    let without_fragment = request.uri.split('#').next().unwrap_or_default();
    let query = match without_fragment.split_once('?') {
        Some((_, query)) => query.to_owned(),
        None => encode_query(&request.query_params),
    };
    Request {
        method: request.method.as_str().to_owned(),
        path: request.path.clone(),
        query,
        headers: headers_with_agent(&request.headers, request.user_agent.as_deref()).into(),
        body: request.body.clone().unwrap_or_default(),
        client_addr: request.client_ip.clone(),
        path_params: sorted(&request.path_params),
        route: request
            .custom
            .get(ROUTE_KEY)
            .and_then(Value::as_str)
            .map(str::to_owned),
        identity: request.auth_context.as_ref().map(context_identity),
        ..Request::default()
    }
}

fn sorted(params: &HashMap<String, String>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> =
        params.iter().map(|(n, v)| (n.clone(), v.clone())).collect();
    pairs.sort();
    pairs
}

/// The identity in MockForge's auth context (a map of claims): the subject from `sub`,
/// `user_id` or `subject`, the username from `preferred_username` or `username`, `email`,
/// the display name from `name` or `display_name`, roles and groups from string arrays
/// `roles` and `groups`, and every entry as a claim.
pub fn context_identity(context: &HashMap<String, Value>) -> Identity {
    let text = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| context.get(*name).and_then(Value::as_str))
            .map(str::to_owned)
    };
    let list = |name: &str| -> Vec<String> {
        context
            .get(name)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut claims: Vec<(&String, &Value)> = context.iter().collect();
    claims.sort_by(|a, b| a.0.cmp(b.0));
    Identity {
        subject: text(&["sub", "user_id", "subject"]).unwrap_or_default(),
        username: text(&["preferred_username", "username"]),
        email: text(&["email"]),
        display_name: text(&["name", "display_name"]),
        roles: list("roles"),
        groups: list("groups"),
        claims: claims
            .into_iter()
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect(),
    }
}

/// Every header in the map's order (values of one name together, as `HeaderMap` keeps
/// them), plus `user-agent` from MockForge's field when the headers have none. A value that is
/// not UTF-8 is passed with its invalid bytes replaced by U+FFFD.
fn headers_with_agent(headers: &HeaderMap, user_agent: Option<&str>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    if let Some(agent) = user_agent {
        if !headers.contains_key(http::header::USER_AGENT) {
            pairs.push(("user-agent".to_owned(), agent.to_owned()));
        }
    }
    pairs
}

/// A query string for parameters given only as a map (sorted by name, so that the same map
/// always gives the same string), percent-encoded.
fn encode_query(params: &HashMap<String, String>) -> String {
    let mut pairs: Vec<_> = params.iter().collect();
    pairs.sort();
    pairs
        .into_iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The `AuthResponse::metadata` key that marks an abstention (`true`): the plugin found no
/// credentials of its scheme, and MockForge's chain should go on to its next scheme.
pub const ABSTAINED_KEY: &str = "abstained";
/// The `AuthResponse::error_message` of an abstention.
pub const ABSTAINED_MESSAGE: &str = "no credentials of this plugin's scheme";

/// MockForge's `AuthResponse` for the plugin's verdict. An allow is
/// `AuthResponse::success` with the identity and the claims. A deny is
/// `AuthResponse::failure` with the reason, and the status and headers in `metadata` under
/// [`DENIAL_STATUS_KEY`] and [`DENIAL_HEADERS_KEY`]. An abstention (MockForge's
/// `AuthResponse` has no third answer) is a failure with [`ABSTAINED_MESSAGE`] and
/// [`ABSTAINED_KEY`] set in `metadata`.
pub fn auth_response(outcome: AuthOutcome) -> AuthResponse {
    match outcome {
        AuthOutcome::Allow(identity) => {
            let (identity, claims) = user_identity(identity);
            AuthResponse::success(identity, claims)
        }
        AuthOutcome::Deny(denial) => AuthResponse::failure(denial.reason)
            .with_metadata(DENIAL_STATUS_KEY, json!(denial.status))
            .with_metadata(DENIAL_HEADERS_KEY, pairs_json(&denial.headers)),
        AuthOutcome::Abstain => {
            AuthResponse::failure(ABSTAINED_MESSAGE).with_metadata(ABSTAINED_KEY, json!(true))
        }
    }
}

fn user_identity(identity: Identity) -> (UserIdentity, HashMap<String, Value>) {
    let claims: HashMap<String, Value> = identity.claims.into_iter().collect();
    let user = UserIdentity {
        user_id: identity.subject,
        username: identity.username,
        email: identity.email,
        display_name: identity.display_name,
        roles: identity.roles,
        groups: identity.groups,
        attributes: HashMap::new(),
    };
    (user, claims)
}

fn pairs_json(pairs: &[(String, String)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|(name, value)| json!([name, value]))
            .collect(),
    )
}

/// MockForge's `ResponseData` for the plugin's response: header names lower-cased, one value
/// per name in `headers` (the first), every header in order under [`RESPONSE_HEADERS_KEY`]
/// in `metadata`, `content_type` and `cache_control` from their headers
/// ([`DEFAULT_CONTENT_TYPE`] when the plugin set none).
pub fn response_data(response: Response) -> ResponseData {
    let mut data = ResponseData::new(response.status, String::new(), response.body);
    data.metadata.insert(
        RESPONSE_HEADERS_KEY.to_owned(),
        pairs_json(&response.headers),
    );
    for (name, value) in response.headers {
        data.headers
            .entry(name.to_ascii_lowercase())
            .or_insert(value);
    }
    data.content_type = data
        .headers
        .get("content-type")
        .cloned()
        .unwrap_or_else(|| DEFAULT_CONTENT_TYPE.to_owned());
    data.cache_control = data.headers.get("cache-control").cloned();
    data
}

/// The host's response for MockForge's `ResponseData`, for a modifier: the headers sorted by
/// name (a map has no order), plus `content-type` and `cache-control` from their fields when
/// the map has no such header.
pub fn host_response(data: &ResponseData) -> Response {
    let mut headers: Vec<(String, String)> = data
        .headers
        .iter()
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    headers.sort();
    let has = |headers: &[(String, String)], wanted: &str| {
        headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(wanted))
    };
    if !data.content_type.is_empty() && !has(&headers, "content-type") {
        headers.push(("content-type".to_owned(), data.content_type.clone()));
    }
    if let Some(cache_control) = &data.cache_control {
        if !has(&headers, "cache-control") {
            headers.push(("cache-control".to_owned(), cache_control.clone()));
        }
    }
    Response {
        status: data.status_code,
        headers,
        body: data.body.clone(),
    }
}

/// The modifier's response as `ResponseData`, keeping what MockForge had attached to the
/// response it passed in (`metadata` and `custom`, which a plugin cannot see).
pub fn modified_response_data(modified: Response, original: ResponseData) -> ResponseData {
    let mut data = response_data(modified);
    let headers = data.metadata.remove(RESPONSE_HEADERS_KEY);
    data.metadata = original.metadata;
    if let Some(headers) = headers {
        data.metadata
            .insert(RESPONSE_HEADERS_KEY.to_owned(), headers);
    }
    data.custom = original.custom;
    data
}

#[cfg(test)]
mod tests {
    use http::{HeaderValue, Method, Uri};
    use mockforge_component_host::Denial;

    use super::*;

    fn header_map(pairs: &[(&str, &[u8])]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_bytes(value).unwrap(),
            );
        }
        map
    }

    #[test]
    fn an_auth_request_keeps_method_path_raw_query_headers_body_and_client() {
        let headers = header_map(&[
            ("authorization", b"Bearer t"),
            ("x-many", b"1"),
            ("x-many", b"2"),
            ("x-bytes", b"caf\xe9"),
        ]);
        let mut request = AuthRequest::from_axum(
            Method::PATCH,
            "/a%20b/c?x=1&x=2&y=%2F".parse::<Uri>().unwrap(),
            headers,
            Some(b"{}".to_vec()),
        );
        request.client_ip = Some("10.0.0.7".into());
        request.user_agent = Some("agent/1".into());
        let host = auth_request(&request);
        assert_eq!(host.method, "PATCH");
        assert_eq!(host.path, "/a%20b/c");
        assert_eq!(host.query, "x=1&x=2&y=%2F", "raw, both `x` kept");
        assert_eq!(
            host.headers.to_pairs(),
            vec![
                ("authorization".to_string(), "Bearer t".to_string()),
                ("x-many".to_string(), "1".to_string()),
                ("x-many".to_string(), "2".to_string()),
                ("x-bytes".to_string(), "caf\u{fffd}".to_string()),
                ("user-agent".to_string(), "agent/1".to_string()),
            ]
        );
        assert_eq!(host.body, b"{}");
        assert_eq!(host.client_addr.as_deref(), Some("10.0.0.7"));
    }

    #[test]
    fn query_parameters_given_only_as_a_map_are_encoded() {
        let mut request =
            AuthRequest::from_axum(Method::GET, Uri::from_static("/p"), HeaderMap::new(), None);
        request.query_params.insert("b".into(), "two words".into());
        request.query_params.insert("a".into(), "1&2".into());
        let host = auth_request(&request);
        assert_eq!(host.query, "a=1%262&b=two%20words");
        assert_eq!(host.query_param("a").as_deref(), Some("1&2"));
        assert_eq!(host.query_param("b").as_deref(), Some("two words"));
    }

    #[test]
    fn a_response_request_takes_its_query_from_the_uri() {
        let mut request = ResponseRequest::from_axum(
            Method::GET,
            "http://mock.local/users/7?verbose=1".parse().unwrap(),
            header_map(&[("accept", b"application/json")]),
            None,
            HashMap::from([("id".to_string(), "7".to_string())]),
        );
        request.uri.push_str("#top");
        let host = response_request(&request);
        assert_eq!(
            (host.path.as_str(), host.query.as_str()),
            ("/users/7", "verbose=1")
        );
        assert_eq!(host.header("accept"), Some("application/json"));
        assert!(host.body.is_empty());
        assert_eq!(host.path_param("id"), Some("7"));
        assert_eq!(host.identity, None, "no auth context, no identity");
        assert_eq!(host.route, None, "no template given");
        request
            .custom
            .insert(ROUTE_KEY.into(), json!("/users/{id}"));
        assert_eq!(
            response_request(&request).route.as_deref(),
            Some("/users/{id}")
        );
    }

    #[test]
    fn a_response_request_passes_its_path_parameters_and_auth_context() {
        let mut request = ResponseRequest::from_axum(
            Method::GET,
            "http://mock.local/users/7/orders/9".parse().unwrap(),
            HeaderMap::new(),
            None,
            HashMap::from([
                ("order".to_string(), "9".to_string()),
                ("id".to_string(), "7".to_string()),
            ]),
        );
        request.auth_context = Some(HashMap::from([
            ("sub".to_string(), json!("u-1")),
            ("preferred_username".to_string(), json!("ada")),
            ("roles".to_string(), json!(["admin", 7])),
            ("tenant".to_string(), json!({"id": 3})),
        ]));
        let host = response_request(&request);
        assert_eq!(
            host.path_params,
            [("id".into(), "7".into()), ("order".into(), "9".into())]
        );
        let identity = host.identity.expect("the auth context's identity");
        assert_eq!(identity.subject, "u-1");
        assert_eq!(identity.username.as_deref(), Some("ada"));
        assert_eq!(identity.roles, ["admin"], "only string roles");
        assert_eq!(identity.claim("tenant"), Some(&json!({"id": 3})));
        assert_eq!(identity.claims.len(), 4);
    }

    #[test]
    fn an_abstention_is_a_failure_marked_in_metadata() {
        let response = auth_response(AuthOutcome::Abstain);
        assert!(!response.is_authenticated());
        assert_eq!(response.error_message(), Some(ABSTAINED_MESSAGE));
        assert_eq!(response.metadata[ABSTAINED_KEY], json!(true));
    }

    #[test]
    fn an_allow_carries_the_identity_and_the_claims_as_json() {
        let outcome = AuthOutcome::Allow(Identity {
            subject: "u-1".into(),
            username: Some("ada".into()),
            email: Some("ada@example.com".into()),
            display_name: Some("Ada".into()),
            roles: vec!["admin".into()],
            groups: vec!["eng".into()],
            claims: serde_json::from_value(json!({
                "exp": 4102444800_u64,
                "scope": ["read", "write"],
                "raw": "not json",
            }))
            .unwrap(),
        });
        let response = auth_response(outcome);
        assert!(response.is_authenticated());
        let user = response.identity().unwrap();
        assert_eq!(user.user_id, "u-1");
        assert_eq!(user.username.as_deref(), Some("ada"));
        assert_eq!(user.email.as_deref(), Some("ada@example.com"));
        assert_eq!(user.display_name.as_deref(), Some("Ada"));
        assert!(user.has_role("admin") && user.in_group("eng"));
        assert_eq!(response.claims()["exp"], json!(4102444800_u64));
        assert_eq!(response.claims()["scope"], json!(["read", "write"]));
        assert_eq!(response.claims()["raw"], json!("not json"));
    }

    #[test]
    fn a_deny_puts_the_status_and_headers_in_metadata() {
        let response = auth_response(AuthOutcome::Deny(Denial {
            status: 401,
            reason: "expired".into(),
            headers: vec![
                (
                    "WWW-Authenticate".into(),
                    "Bearer error=\"invalid_token\"".into(),
                ),
                ("x-a".into(), "1".into()),
                ("x-a".into(), "2".into()),
            ],
        }));
        assert!(!response.is_authenticated());
        assert_eq!(response.error_message(), Some("expired"));
        assert_eq!(response.metadata[DENIAL_STATUS_KEY], json!(401));
        assert_eq!(
            response.metadata[DENIAL_HEADERS_KEY],
            json!([
                ["WWW-Authenticate", "Bearer error=\"invalid_token\""],
                ["x-a", "1"],
                ["x-a", "2"]
            ])
        );
    }

    #[test]
    fn response_headers_become_a_map_and_the_whole_list_stays_in_metadata() {
        let data = response_data(Response {
            status: 201,
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("Set-Cookie".into(), "a=1".into()),
                ("set-cookie".into(), "b=2".into()),
                ("Cache-Control".into(), "no-store".into()),
            ],
            body: b"{}".to_vec(),
        });
        assert_eq!(data.status_code, 201);
        assert_eq!(data.content_type, "application/json");
        assert_eq!(data.cache_control.as_deref(), Some("no-store"));
        assert_eq!(
            data.headers["set-cookie"], "a=1",
            "one value per name: the first"
        );
        assert_eq!(
            data.metadata[RESPONSE_HEADERS_KEY],
            json!([
                ["Content-Type", "application/json"],
                ["Set-Cookie", "a=1"],
                ["set-cookie", "b=2"],
                ["Cache-Control", "no-store"]
            ])
        );
        assert_eq!(
            response_data(Response {
                status: 204,
                headers: vec![],
                body: vec![]
            })
            .content_type,
            DEFAULT_CONTENT_TYPE
        );
    }

    #[test]
    fn response_data_for_a_modifier_has_sorted_headers_and_its_content_type() {
        let data = ResponseData::new(404, "text/plain".into(), b"nope".to_vec())
            .with_header("x-b", "2")
            .with_header("x-a", "1")
            .with_cache_control("max-age=5");
        let host = host_response(&data);
        assert_eq!(host.status, 404);
        assert_eq!(host.body, b"nope");
        assert_eq!(
            host.headers,
            vec![
                ("x-a".to_string(), "1".to_string()),
                ("x-b".to_string(), "2".to_string()),
                ("content-type".to_string(), "text/plain".to_string()),
                ("cache-control".to_string(), "max-age=5".to_string()),
            ]
        );
    }

    #[test]
    fn a_modified_response_keeps_mockforges_metadata_and_custom_values() {
        let original = ResponseData::text(200, "hi")
            .with_metadata("route", json!("/hi"))
            .with_custom("trace", json!(7));
        let modified = Response {
            status: 200,
            headers: vec![("x-flaky".into(), "yes".into())],
            body: b"hi".to_vec(),
        };
        let data = modified_response_data(modified, original);
        assert_eq!(data.metadata["route"], json!("/hi"));
        assert_eq!(data.custom["trace"], json!(7));
        assert_eq!(data.headers["x-flaky"], "yes");
        assert_eq!(
            data.metadata[RESPONSE_HEADERS_KEY],
            json!([["x-flaky", "yes"]])
        );
    }
}
