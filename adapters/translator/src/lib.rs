//! The translator half of an adapted legacy plugin. It exports `mockforge:plugin/auth` and
//! imports the legacy module's entry point as `mockforge:legacy-bridge/json`, whose strings the
//! canonical ABI copies in and out of the legacy module's memory. Here the request becomes the
//! legacy JSON (`../../README.md` lists the keys) and the legacy answer becomes our typed
//! outcome; an answer that is not the JSON the convention describes is the plugin's
//! `internal` error, with the reason.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde_json::{Map, Value};

#[allow(
    missing_docs,
    reason = "generated glue such as `Guest` traits carries no docs"
)]
mod bindings {
    wit_bindgen::generate!({
        world: "mockforge:legacy-bridge/translator",
        path: ["../../wit", "../../wit/legacy"],
        generate_all,
    });
}

use bindings::exports::mockforge::plugin::auth::Guest;
use bindings::mockforge::legacy_bridge::json;
use bindings::mockforge::plugin::config;
use bindings::mockforge::plugin::types::{AuthOutcome, Denial, Identity, PluginError, Request};

/// The status of a refusal whose answer names none (`metadata.status`).
const DEFAULT_DENIAL_STATUS: u16 = 401;
/// The reason of a refusal whose answer gives no `error_message`.
const DEFAULT_DENIAL_REASON: &str = "unauthorized";

struct Translator;

impl Guest for Translator {
    fn authenticate(req: &Request) -> Result<AuthOutcome, PluginError> {
        let answer = json::authenticate(&legacy_request(req).to_string());
        auth_outcome(&answer).map_err(|why| {
            PluginError::Internal(format!("the legacy plugin's answer is unusable: {why}"))
        })
    }
}

bindings::export!(Translator with_types_in bindings);

/// The JSON the legacy `authenticate` receives: the old host's keys, plus `headers`, `body`
/// (base64) and `config`, which the old host never sent.
fn legacy_request(req: &Request) -> Value {
    let method = req.method();
    let path = req.path();
    let query = req.query();
    let uri = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    let mut headers = Map::new();
    for (name, value) in req.headers() {
        // The first value of a repeated header, as `request.header` gives it to native plugins.
        headers
            .entry(name.to_ascii_lowercase())
            .or_insert(Value::String(value));
    }
    let mut query_params = Map::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let name = pair.split_once('=').map_or(pair, |(name, _)| name);
        if !query_params.contains_key(name) {
            let value = req.query_param(name).unwrap_or_default();
            query_params.insert(name.to_owned(), Value::String(value));
        }
    }
    let config: Map<String, Value> = config::keys()
        .into_iter()
        .filter_map(|key| config::get(&key).map(|value| (key, Value::String(value))))
        .collect();
    let client_ip = req.client_addr().map(|addr| match addr.rsplit_once(':') {
        Some((ip, port)) if port.bytes().all(|b| b.is_ascii_digit()) => {
            ip.trim_start_matches('[').trim_end_matches(']').to_owned()
        }
        _ => addr,
    });
    let headers = Value::Object(headers);
    let body = Value::String(BASE64.encode(req.body()));
    let user_agent = req.header("user-agent");
    serde_json::json!({
        "context": {"method": method, "uri": uri, "headers": headers, "body": body},
        "method": method,
        "uri": uri,
        "query_params": query_params,
        "client_ip": client_ip,
        "user_agent": user_agent,
        "headers": headers,
        "body": body,
        "config": config,
    })
}

/// MockForge's `AuthResponse`: `authenticated`, `identity`, `claims`, `metadata`,
/// `error_message`. A refusal's status and headers come from `metadata.status` and
/// `metadata.headers` when the plugin sets them.
fn auth_outcome(answer: &str) -> Result<AuthOutcome, String> {
    let value: Value = serde_json::from_str(answer).map_err(|e| format!("invalid JSON ({e})"))?;
    let answer = value.as_object().ok_or("the JSON is not an object")?;
    let authenticated = answer
        .get("authenticated")
        .and_then(Value::as_bool)
        .ok_or("`authenticated` is missing or not a boolean")?;
    if !authenticated {
        let metadata = answer.get("metadata").and_then(Value::as_object);
        let status = match metadata.and_then(|m| m.get("status")) {
            None | Some(Value::Null) => DEFAULT_DENIAL_STATUS,
            Some(status) => status
                .as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .filter(|s| (100..=599).contains(s))
                .ok_or("`metadata.status` is not an HTTP status")?,
        };
        let headers = match metadata.and_then(|m| m.get("headers")) {
            None | Some(Value::Null) => Vec::new(),
            Some(headers) => string_map(headers, "metadata.headers")?,
        };
        let reason = optional_string(answer, "error_message")?
            .unwrap_or_else(|| DEFAULT_DENIAL_REASON.to_owned());
        return Ok(AuthOutcome::Deny(Denial {
            status,
            reason,
            headers,
        }));
    }
    let identity = answer
        .get("identity")
        .and_then(Value::as_object)
        .ok_or("`identity` is missing or not an object although `authenticated` is true")?;
    let subject = optional_string(identity, "user_id")?.ok_or("`identity.user_id` is missing")?;
    let claims = match answer.get("claims") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(claims)) => claims
            .iter()
            .map(|(name, value)| (name.clone(), value.to_string()))
            .collect(),
        Some(_) => return Err("`claims` is not an object".into()),
    };
    Ok(AuthOutcome::Allow(Identity {
        subject,
        username: optional_string(identity, "username")?,
        email: optional_string(identity, "email")?,
        display_name: optional_string(identity, "display_name")?,
        roles: string_list(identity, "roles")?,
        groups: string_list(identity, "groups")?,
        claims,
    }))
}

fn optional_string(object: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(format!("`{key}` is not a string")),
    }
}

fn string_list(object: &Map<String, Value>, key: &str) -> Result<Vec<String>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("`{key}` holds a value that is not a string"))
            })
            .collect(),
        Some(_) => Err(format!("`{key}` is not a list")),
    }
}

fn string_map(value: &Value, key: &str) -> Result<Vec<(String, String)>, String> {
    let object = value
        .as_object()
        .ok_or_else(|| format!("`{key}` is not an object"))?;
    object
        .iter()
        .map(|(name, value)| match value {
            Value::String(text) => Ok((name.clone(), text.clone())),
            _ => Err(format!("`{key}.{name}` is not a string")),
        })
        .collect()
}
