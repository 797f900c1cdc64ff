//! The translator half of an adapted legacy plugin. It exports `mockforge:plugin/auth` and
//! `mockforge:plugin/responder` (the composition keeps those the module has entry points for),
//! and imports the legacy module's entry points as `mockforge:legacy-bridge/json`, whose strings the
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
        path: ["../../wit/0.2.0", "../../wit/legacy"],
        generate_all,
    });
}

use bindings::exports::mockforge::plugin::auth::Guest;
use bindings::exports::mockforge::plugin::responder::Guest as ResponderGuest;
use bindings::mockforge::legacy_bridge::json::{self, Family};
use bindings::mockforge::plugin::config;
use bindings::mockforge::plugin::types::{
    AuthOutcome, Denial, Identity, PluginError, Request, Response,
};

/// The status of a refusal whose answer names none (`metadata.status`).
const DEFAULT_DENIAL_STATUS: u16 = 401;
/// The reason of a refusal whose answer gives no `error_message`.
const DEFAULT_DENIAL_REASON: &str = "unauthorized";
/// How much of a family G answer is read at first; each further read doubles it.
const FIRST_READ: u32 = 1024;
/// The most a family G answer may hold before it is refused as unterminated.
const MAX_ANSWER: u32 = 1024 * 1024;

struct Translator;

impl Guest for Translator {
    fn authenticate(req: Request) -> Result<AuthOutcome, PluginError> {
        let req = &req;
        let unusable = |why: String| {
            PluginError::Internal(format!("the legacy plugin's answer is unusable: {why}"))
        };
        let answer = match convention() {
            family @ (Family::J | Family::A) => call_json_entry(req, Entry::Authenticate, family),
            Family::G => {
                let (context, credentials) = go_request(req);
                json::prepare(len(&context), len(&credentials));
                let address = json::authenticate_go(&context, &credentials);
                read_one_value(address)
            }
        };
        auth_outcome(answer.map_err(unusable)?).map_err(unusable)?
    }
}

impl ResponderGuest for Translator {
    fn respond(req: Request) -> Result<Option<Response>, PluginError> {
        let req = &req;
        let unusable = |why: String| {
            PluginError::Internal(format!("the legacy plugin's response is unusable: {why}"))
        };
        // Family G's response entry point follows the JSON host convention too.
        let answer = call_json_entry(req, Entry::GenerateResponse, convention());
        response_data(answer.map_err(unusable)?).map_err(unusable)?
    }

    /// A legacy response plugin only generates responses: the mock's own passes unchanged.
    fn modify(_req: Request, resp: Response) -> Result<Response, PluginError> {
        Ok(resp)
    }
}

bindings::export!(Translator with_types_in bindings);

/// Which legacy entry point a request is written for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Entry {
    /// `authenticate`: MockForge's `AuthRequest` keys.
    Authenticate,
    /// `generate_response`: its `ResponseRequest` keys, `path`, `path_params` and
    /// `auth_context` besides.
    GenerateResponse,
}

/// Calls the JSON-convention entry point `entry` of a module of `family` (families J and A,
/// and family G's response entry point) with the legacy JSON of `req`, and parses its answer.
fn call_json_entry(req: &Request, entry: Entry, family: Family) -> Result<Value, String> {
    let call = |input: &str| match entry {
        Entry::Authenticate => json::authenticate(input),
        Entry::GenerateResponse => json::generate_response(input),
    };
    let input = legacy_request(req, entry);
    let answer = match family {
        Family::A => {
            // As ASCII, the UTF-16 buffer is exactly twice the text's length, so the
            // canonical ABI never resizes the managed string reserved for it.
            let input = ascii_json(input);
            json::prepare(2 * len(&input), 0);
            call(&input)
        }
        Family::J | Family::G => {
            json::prepare(len(&input), 0);
            call(&input)
        }
    };
    parse_answer(answer.as_bytes())
}

/// The wrapped module's convention, asked once per instance: it does not change.
fn convention() -> Family {
    static CONVENTION: std::sync::OnceLock<Family> = std::sync::OnceLock::new();
    *CONVENTION.get_or_init(json::convention)
}

fn len(text: &str) -> u32 {
    u32::try_from(text.len()).expect("a request fits the 32-bit address space")
}

/// `json` with every non-ASCII character written as a `\u` escape (surrogate pairs beyond
/// the BMP): the same JSON value, in ASCII. Outside strings JSON text is ASCII already.
fn ascii_json(json: String) -> String {
    if json.is_ascii() {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// The one JSON value a family G answer holds from `address` on: it has no length and no
/// terminator, so it is read in growing chunks until one complete value has been parsed.
fn read_one_value(address: u32) -> Result<Value, String> {
    let mut want = FIRST_READ;
    loop {
        let bytes = json::read(address, want);
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        // Claims may nest as deep as the plugin allows; the answer wraps them in two more.
        deserializer.disable_recursion_limit();
        match deserializer.into_iter::<Value>().next() {
            Some(Ok(value)) => return Ok(value),
            Some(Err(e)) if e.is_eof() => {
                if (bytes.len() as u32) < want {
                    return Err(format!(
                        "the JSON at {address:#x} is cut off by the end of memory ({} bytes)",
                        bytes.len()
                    ));
                }
                if want >= MAX_ANSWER {
                    return Err(format!(
                        "the JSON at {address:#x} does not end within {MAX_ANSWER} bytes"
                    ));
                }
                want = (want * 2).min(MAX_ANSWER);
            }
            Some(Err(e)) => return Err(format!("invalid JSON ({e})")),
            None => return Err(format!("no JSON at {address:#x}, only whitespace")),
        }
    }
}

/// The one JSON value of a whole answer.
fn parse_answer(answer: &[u8]) -> Result<Value, String> {
    let mut deserializer = serde_json::Deserializer::from_slice(answer);
    // Claims may nest as deep as the plugin allows; the answer wraps them in two more levels.
    deserializer.disable_recursion_limit();
    let mut values = deserializer.into_iter::<Value>();
    match (values.next(), values.next()) {
        (Some(Ok(value)), None) => Ok(value),
        (None, _) => Err("invalid JSON (empty)".into()),
        (Some(Err(e)), _) | (_, Some(Err(e))) => Err(format!("invalid JSON ({e})")),
        (Some(Ok(_)), Some(Ok(_))) => Err("invalid JSON (more than one value)".into()),
    }
}

/// The JSON a legacy entry point receives: the old host's keys (`generate_response` also
/// gets MockForge's `path`, `path_params` of the matched route and `auth_context`: the
/// identity the auth chain established, `null` when there is none), plus what it never sent:
/// `headers`, `body` (base64), `config` and `now_unix_ms` (for modules without a clock).
fn legacy_request(req: &Request, entry: Entry) -> String {
    let query = req.query();
    let mut query_params = Vec::<(&str, String)>::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let name = pair.split_once('=').map_or(pair, |(name, _)| name);
        if !query_params.iter().any(|(seen, _)| *seen == name) {
            query_params.push((name, req.query_param(name).unwrap_or_default()));
        }
    }
    let client_ip = req.client_addr().map(|addr| match addr.rsplit_once(':') {
        Some((ip, port)) if port.bytes().all(|b| b.is_ascii_digit()) => {
            ip.trim_start_matches('[').trim_end_matches(']').to_owned()
        }
        _ => addr,
    });
    let context = Context::of(req);
    let responding = entry == Entry::GenerateResponse;
    let request = LegacyRequest {
        method: &context.method,
        uri: &context.uri,
        path: responding.then(|| req.path()),
        path_params: responding.then(|| Pairs::Owned(req.path_params())),
        auth_context: responding.then(|| req.identity().map(auth_context)),
        query_params: Pairs::Borrowed(&query_params),
        client_ip,
        user_agent: context.header("user-agent"),
        headers: &context.headers,
        body: &context.body,
        config: context.config,
        now_unix_ms: now_unix_ms(),
        context: &context,
    };
    serde_json::to_string(&request).expect("a request serializes")
}

/// The keys of [`legacy_request`], in the order they are written.
#[derive(serde::Serialize)]
struct LegacyRequest<'a> {
    method: &'a str,
    uri: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path_params: Option<Pairs<'a, String>>,
    /// Only for `generate_response`; inside, `None` is written as `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_context: Option<Option<Map<String, Value>>>,
    query_params: Pairs<'a, &'a str>,
    client_ip: Option<String>,
    user_agent: Option<&'a str>,
    headers: &'a Pairs<'a, String>,
    body: &'a str,
    config: &'a Value,
    now_unix_ms: u64,
    context: &'a Context<'a>,
}

/// MockForge's `auth_context` for `identity`: its claims, then under MockForge's names what
/// the claims do not already say: `sub` (the subject), `preferred_username`, `email`, `name`
/// (the display name), `roles` and `groups` (when not empty). The bridge to MockForge's traits
/// reads an auth context back into an identity by the same names.
fn auth_context(identity: Identity) -> Map<String, Value> {
    let mut context = match serde_json::from_str(&identity.claims) {
        Ok(Value::Object(claims)) => claims,
        // The host checks that claims are one JSON object; nothing else arrives.
        _ => Map::new(),
    };
    let mut add = |name: &str, value: Value| {
        context.entry(name).or_insert(value);
    };
    add("sub", Value::String(identity.subject));
    let texts = [
        ("preferred_username", identity.username),
        ("email", identity.email),
        ("name", identity.display_name),
    ];
    for (name, value) in texts {
        if let Some(value) = value {
            add(name, Value::String(value));
        }
    }
    for (name, values) in [("roles", identity.roles), ("groups", identity.groups)] {
        if !values.is_empty() {
            add(name, Value::from(values));
        }
    }
    context
}

/// The request as the Go SDK's context (and the other conventions' `context` key): `method`,
/// `uri` (path and query), `headers` (names lower-case, the first value of a repeated header,
/// as `request.header` gives it to native plugins), `body` (base64) and `config`.
#[derive(serde::Serialize)]
struct Context<'a> {
    method: String,
    uri: String,
    headers: Pairs<'a, String>,
    body: String,
    config: &'a Value,
}

impl Context<'_> {
    fn of(req: &Request) -> Context<'static> {
        let path = req.path();
        let query = req.query();
        let uri = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        let mut headers = Vec::<(String, String)>::new();
        for (name, value) in req.headers() {
            let name = name.to_ascii_lowercase();
            if !headers.iter().any(|(seen, _)| *seen == name) {
                headers.push((name, value));
            }
        }
        Context {
            method: req.method(),
            uri,
            headers: Pairs::Owned(headers),
            body: BASE64.encode(req.body()),
            config: plugin_config(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(seen, _)| seen == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Name/value pairs written as a JSON object, in order.
enum Pairs<'a, K> {
    Owned(Vec<(K, String)>),
    Borrowed(&'a [(K, String)]),
}

impl<K: AsRef<str>> Pairs<'_, K> {
    fn iter(&self) -> impl Iterator<Item = &(K, String)> {
        match self {
            Self::Owned(pairs) => pairs.iter(),
            Self::Borrowed(pairs) => pairs.iter(),
        }
    }
}

impl<K: AsRef<str>> serde::Serialize for Pairs<'_, K> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(name, value)| (name.as_ref(), value)))
    }
}

/// The plugin's `[config]`, read from the host once per instance: it does not change.
fn plugin_config() -> &'static Value {
    static CONFIG: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    CONFIG.get_or_init(|| {
        Value::Object(
            config::keys()
                .into_iter()
                .filter_map(|key| config::get(&key).map(|value| (key, Value::String(value))))
                .collect(),
        )
    })
}

/// Milliseconds since the Unix epoch, for plugins that cannot read a clock themselves.
fn now_unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The two JSON texts of the Go SDK's `plugin_auth_authenticate`: the context
/// (`method`, `uri`, `headers`, `body`, and the plugin's `config`) and the credentials.
fn go_request(req: &Request) -> (String, String) {
    let context = Context::of(req);
    let credentials = credentials(&context);
    let context = serde_json::to_string(&context).expect("a context serializes");
    (context, credentials.to_string())
}

/// The Go SDK's `AuthCredentials` (`type`, `token`, `data`: a map of strings) for what the
/// request carries: `Authorization: Bearer <token>` is `bearer` with the token; `Basic
/// <base64>` is `basic` with the encoded value as `token` and `data` `{username, password}`
/// (no `data` when it does not decode to `user:password` in UTF-8); any other scheme is that
/// scheme, lower-case, with the rest as `token`; a value without a scheme is `custom` with the
/// whole value as `token`. Without `Authorization`, `X-Api-Key` is `api_key` with the key as
/// `token`; with neither, the type is `none`.
fn credentials(context: &Context<'_>) -> Value {
    let Some(value) = context.header("authorization") else {
        return match context.header("x-api-key") {
            Some(key) => serde_json::json!({"type": "api_key", "token": key}),
            None => serde_json::json!({"type": "none"}),
        };
    };
    let value = value.trim();
    let Some((scheme, rest)) = value.split_once(' ') else {
        return serde_json::json!({"type": "custom", "token": value});
    };
    let rest = rest.trim_start();
    if !scheme.eq_ignore_ascii_case("basic") {
        return serde_json::json!({"type": scheme.to_ascii_lowercase(), "token": rest});
    }
    let pair = BASE64
        .decode(rest)
        .ok()
        .and_then(|decoded| String::from_utf8(decoded).ok())
        .and_then(|text| {
            text.split_once(':')
                .map(|(user, password)| (user.to_owned(), password.to_owned()))
        });
    match pair {
        Some((username, password)) => serde_json::json!({
            "type": "basic",
            "token": rest,
            "data": {"username": username, "password": password},
        }),
        None => serde_json::json!({"type": "basic", "token": rest}),
    }
}

/// MockForge's `AuthResponse`: `authenticated`, `identity`, `claims`, `metadata`,
/// `error_message`. A refusal's status and headers come from `metadata.status` and
/// `metadata.headers` when the plugin sets them.
fn auth_outcome(value: Value) -> Result<Result<AuthOutcome, PluginError>, String> {
    let answer = value.as_object().ok_or("the JSON is not an object")?;
    if let Some(error) = plugin_error(answer, "authenticated")? {
        return Ok(Err(error));
    }
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
        return Ok(Ok(AuthOutcome::Deny(Denial {
            status,
            reason,
            headers,
        })));
    }
    // The Go SDK's classic answer names the user at the top level.
    let identity = match answer.get("identity") {
        None if answer.contains_key("user_id") => answer,
        identity => identity
            .and_then(Value::as_object)
            .ok_or("`identity` is missing or not an object although `authenticated` is true")?,
    };
    let subject = optional_string(identity, "user_id")?.ok_or("`identity.user_id` is missing")?;
    let claims = match answer.get("claims") {
        None | Some(Value::Null) => "{}".to_owned(),
        Some(claims @ Value::Object(_)) => claims.to_string(),
        Some(_) => return Err("`claims` is not an object".into()),
    };
    Ok(Ok(AuthOutcome::Allow(Identity {
        subject,
        username: optional_string(identity, "username")?,
        email: optional_string(identity, "email")?,
        display_name: optional_string(identity, "display_name")?,
        roles: string_list(identity, "roles")?,
        groups: string_list(identity, "groups")?,
        claims,
    })))
}

/// MockForge's `ResponseData`: `status_code`, `headers` (an object), `body` (bytes: an array
/// of numbers as serde writes a `Vec<u8>`, or base64 text as Go writes a `[]byte`),
/// `content_type` and `cache_control` (added as headers unless `headers` has them);
/// `metadata` and `custom` are not part of an HTTP response. Headers come sorted by name
/// (`headers` is an object, which has no order). `null` declines, so that the next plugin or the mock answers.
fn response_data(value: Value) -> Result<Result<Option<Response>, PluginError>, String> {
    let answer = match value {
        Value::Null => return Ok(Ok(None)),
        Value::Object(answer) => answer,
        _ => return Err("the JSON is neither an object nor null".into()),
    };
    if let Some(error) = plugin_error(&answer, "status_code")? {
        return Ok(Err(error));
    }
    let status = answer
        .get("status_code")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..=599).contains(s))
        .ok_or("`status_code` is missing or not an HTTP status")?;
    let mut headers = match answer.get("headers") {
        None | Some(Value::Null) => Vec::new(),
        Some(headers) => string_map(headers, "headers")?,
    };
    for (name, key) in [
        ("content-type", "content_type"),
        ("cache-control", "cache_control"),
    ] {
        let value = optional_string(&answer, key)?.filter(|value| !value.is_empty());
        if let Some(value) = value {
            if !headers
                .iter()
                .any(|(seen, _)| seen.eq_ignore_ascii_case(name))
            {
                headers.push((name.to_owned(), value));
            }
        }
    }
    headers.sort_by(|(a, _), (b, _)| a.cmp(b));
    let body = match answer.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(text)) => BASE64
            .decode(text)
            .map_err(|e| format!("`body` is text but not base64 (a Go `[]byte`): {e}"))?,
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_u64().and_then(|byte| u8::try_from(byte).ok()))
            .collect::<Option<Vec<u8>>>()
            .ok_or("`body` holds an item that is not a byte (0 to 255)")?,
        Some(_) => return Err("`body` is neither a list of bytes nor base64 text".into()),
    };
    Ok(Ok(Some(Response {
        status,
        headers,
        body,
    })))
}

/// The plugin's own error, when the answer is one: our SDKs' `plugin_error` object
/// (`kind`, `message`), or the Go SDK's classic failure `{message, code}` (400: the request
/// was bad; otherwise internal) when the answer lacks `ordinary_key`, which every ordinary
/// answer has.
fn plugin_error(
    answer: &Map<String, Value>,
    ordinary_key: &str,
) -> Result<Option<PluginError>, String> {
    if let Some(error) = answer.get("plugin_error") {
        let error = error.as_object().ok_or("`plugin_error` is not an object")?;
        let message = optional_string(error, "message")?.unwrap_or_default();
        let kind = optional_string(error, "kind")?.ok_or("`plugin_error.kind` is missing")?;
        return match kind.as_str() {
            "invalid-config" => Ok(Some(PluginError::InvalidConfig(message))),
            "invalid-request" => Ok(Some(PluginError::InvalidRequest(message))),
            "internal" => Ok(Some(PluginError::Internal(message))),
            other => Err(format!("`plugin_error.kind` is `{other}`")),
        };
    }
    if answer.contains_key(ordinary_key) {
        return Ok(None);
    }
    match (answer.get("message"), answer.get("code")) {
        (Some(Value::String(message)), Some(code)) => Ok(Some(match code.as_u64() {
            Some(400) => PluginError::InvalidRequest(message.clone()),
            _ => PluginError::Internal(message.clone()),
        })),
        _ => Ok(None),
    }
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
