//! Cross-language conformance: every case in `conformance/vectors/<plugin>.json` against
//! `target/plugins/<language>/<plugin>` for every language in `MOCKFORGE_LANGUAGES` (default:
//! every `guests/<language>/` with a `build.sh`). Mismatches are collected over the whole run
//! and reported together, so that one run shows everything a guest language gets wrong.
//! The vector format is described in `conformance/README.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use mockforge_component_host::{
    AuthOutcome, Denial, Error, Identity, Manifest, Plugin, PluginError, PluginHost, Request,
    Response,
};
use mockforge_component_tests::{host, workspace_root};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The environment variable naming the languages to check, comma-separated.
const LANGUAGES_VAR: &str = "MOCKFORGE_LANGUAGES";

/// How far a `<rfc3339>` or `<unix>` value may lie from the test's clock. Generous because a
/// component may be compiled between the call and the check on a loaded machine.
const CLOCK_TOLERANCE_SECS: i64 = 600;

/// Bodies longer than this are shown by length only in a mismatch report.
const SHOWN_BODY_BYTES: usize = 512;

/// One test vector.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// For readers of the vector file only (what a token holds, say).
    #[serde(default, rename = "comment")]
    _comment: Option<String>,
    /// Changes to the staged manifest's `[config]`: a string sets a key, `null` removes it.
    #[serde(default)]
    config: BTreeMap<String, Option<String>>,
    request: RequestSpec,
    /// The mock's response, for a `modify` case.
    #[serde(default)]
    response: Option<ResponseSpec>,
    /// Kept as written so that a report shows it as the vector file does.
    expect: Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestSpec {
    method: String,
    path: String,
    #[serde(default)]
    query: String,
    #[serde(default)]
    headers: Vec<(String, String)>,
    /// The body as text, as base64, or as one byte repeated; none of them is an empty body.
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    body_base64: Option<String>,
    #[serde(default)]
    body_repeat: Option<Repeat>,
    #[serde(default)]
    client_addr: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Repeat {
    byte: u8,
    count: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResponseSpec {
    status: u16,
    #[serde(default)]
    headers: Vec<(String, String)>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    body_base64: Option<String>,
}

/// The expected outcome of a case.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
enum Expect {
    Allow(ExpectedIdentity),
    Deny(ExpectedDenial),
    /// `null` when the plugin must decline.
    Respond(Option<ExpectedResponse>),
    Modify(ExpectedResponse),
    Error(ErrorKind),
}

/// An identity; fields left out must be absent or empty.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedIdentity {
    subject: String,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    claims: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedDenial {
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
}

/// A response whose body is given exactly (`body`, `body_base64`) or as JSON to match
/// (`body_json`, with the `<uuid>`, `<rfc3339>` and `<unix>` wildcards).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedResponse {
    status: u16,
    headers: Vec<(String, String)>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    body_base64: Option<String>,
    #[serde(default)]
    body_json: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
enum ErrorKind {
    InvalidConfig,
    InvalidRequest,
    Internal,
}

/// What a plugin answered.
enum Outcome {
    Auth(AuthOutcome),
    Respond(Option<Response>),
    Modify(Response),
}

/// The vector files: (plugin name, cases), sorted by name.
fn load_vectors() -> Vec<(String, Vec<Case>)> {
    let dir = workspace_root().join("tests/conformance/vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no vector files in {}", dir.display());
    files
        .into_iter()
        .map(|path| {
            let plugin = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            let cases: Vec<Case> = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not a list of cases: {e}", path.display()));
            for (i, case) in cases.iter().enumerate() {
                if cases[..i].iter().any(|earlier| earlier.name == case.name) {
                    panic!("{}: two cases are named {:?}", path.display(), case.name);
                }
                if let Err(e) = expectation(case) {
                    panic!("{}: case {:?}: {e}", path.display(), case.name);
                }
            }
            (plugin, cases)
        })
        .collect()
}

/// The languages to check: `$MOCKFORGE_LANGUAGES`, or every guest folder with a `build.sh`.
fn languages() -> Vec<String> {
    if let Ok(list) = std::env::var(LANGUAGES_VAR) {
        let languages: Vec<String> = list
            .split(',')
            .map(str::trim)
            .filter(|language| !language.is_empty())
            .map(str::to_owned)
            .collect();
        assert!(
            !languages.is_empty(),
            "{LANGUAGES_VAR} is set but names no language"
        );
        return languages;
    }
    let guests = workspace_root().join("guests");
    let mut languages: Vec<String> = std::fs::read_dir(&guests)
        .unwrap_or_else(|e| panic!("reading {}: {e}", guests.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|dir| dir.join("build.sh").is_file())
        .map(|dir| dir.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    languages.sort();
    languages
}

/// The plugins a language serves when it cannot serve them all (a legacy convention without
/// response plugins, say): the names listed in `guests/<language>/conformance-plugins`, one a
/// line. `None`, meaning every plugin, when the file is absent.
fn served_plugins(language: &str) -> Option<Vec<String>> {
    let list = workspace_root()
        .join("guests")
        .join(language)
        .join("conformance-plugins");
    let text = std::fs::read_to_string(list).ok()?;
    Some(
        text.lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(str::to_owned)
            .collect(),
    )
}

fn expectation(case: &Case) -> Result<Expect, String> {
    let request = &case.request;
    body_bytes(&request.body, &request.body_base64, &request.body_repeat)?;
    if let Some(response) = &case.response {
        body_bytes(&response.body, &response.body_base64, &None)?;
    }
    let expect: Expect =
        serde_json::from_value(case.expect.clone()).map_err(|e| format!("bad `expect`: {e}"))?;
    let bodies = |r: &ExpectedResponse| {
        [
            r.body.is_some(),
            r.body_base64.is_some(),
            r.body_json.is_some(),
        ]
        .into_iter()
        .filter(|&given| given)
        .count()
    };
    match &expect {
        Expect::Modify(_) if case.response.is_none() => {
            return Err("a `modify` case needs a `response`".into())
        }
        Expect::Allow(_) | Expect::Deny(_) | Expect::Respond(_) if case.response.is_some() => {
            return Err("only `modify` and `error` cases take a `response`".into())
        }
        Expect::Respond(Some(r)) | Expect::Modify(r) if bodies(r) != 1 => {
            return Err("give exactly one of `body`, `body_base64`, `body_json`".into())
        }
        _ => {}
    }
    Ok(expect)
}

fn body_bytes(
    text: &Option<String>,
    base64: &Option<String>,
    repeat: &Option<Repeat>,
) -> Result<Vec<u8>, String> {
    match (text, base64, repeat) {
        (None, None, None) => Ok(Vec::new()),
        (Some(text), None, None) => Ok(text.clone().into_bytes()),
        (None, Some(encoded), None) => BASE64
            .decode(encoded)
            .map_err(|e| format!("bad `body_base64`: {e}")),
        (None, None, Some(repeat)) => Ok(vec![repeat.byte; repeat.count]),
        _ => Err("give at most one of `body`, `body_base64`, `body_repeat`".into()),
    }
}

fn request(spec: &RequestSpec) -> Request {
    Request {
        method: spec.method.clone(),
        path: spec.path.clone(),
        query: spec.query.clone(),
        headers: spec.headers.clone(),
        body: body_bytes(&spec.body, &spec.body_base64, &spec.body_repeat)
            .expect("checked when the vectors were read"),
        client_addr: spec.client_addr.clone(),
    }
}

/// Loads the staged plugin, or a copy of it with the case's config changes.
async fn load(
    host: &PluginHost,
    dir: &Path,
    config: &BTreeMap<String, Option<String>>,
) -> Result<Plugin, String> {
    if config.is_empty() {
        return host.load(dir).await.map_err(|e| e.to_string());
    }
    let mut manifest = Manifest::from_file(&dir.join("plugin.toml")).map_err(|e| e.to_string())?;
    for (key, value) in config {
        match value {
            Some(value) => manifest
                .component_mut()
                .unwrap()
                .config
                .insert(key.clone(), value.clone()),
            None => manifest.component_mut().unwrap().config.remove(key),
        };
    }
    let component = dir.join(&manifest.component().unwrap().component);
    let bytes = std::fs::read(&component).map_err(|e| format!("{}: {e}", component.display()))?;
    host.load_bytes(bytes, manifest, dir)
        .await
        .map_err(|e| e.to_string())
}

async fn run(plugin: &Plugin, case: &Case, expect: &Expect) -> Result<Outcome, Error> {
    let req = request(&case.request);
    let authenticates = plugin.info().kind.authenticates();
    match (expect, &case.response) {
        (_, Some(response)) => {
            let response = Response {
                status: response.status,
                headers: response.headers.clone(),
                body: body_bytes(&response.body, &response.body_base64, &None)
                    .expect("checked when the vectors were read"),
            };
            plugin.modify(req, response).await.map(Outcome::Modify)
        }
        (Expect::Allow(_) | Expect::Deny(_), None) => {
            plugin.authenticate(req).await.map(Outcome::Auth)
        }
        (Expect::Error(_), None) if authenticates => {
            plugin.authenticate(req).await.map(Outcome::Auth)
        }
        _ => plugin.respond(req).await.map(Outcome::Respond),
    }
}

/// Why `got` is not what `expect` says, or `None` when it is.
fn mismatch(expect: &Expect, got: &Result<Outcome, Error>, now: i64) -> Option<String> {
    let ok = match (expect, got) {
        (Expect::Allow(want), Ok(Outcome::Auth(AuthOutcome::Allow(identity)))) => {
            let want = Identity {
                subject: want.subject.clone(),
                username: want.username.clone(),
                email: want.email.clone(),
                display_name: want.display_name.clone(),
                roles: want.roles.clone(),
                groups: want.groups.clone(),
                claims: want.claims.clone(),
            };
            return (&want != identity).then(|| "a different identity".into());
        }
        (Expect::Deny(want), Ok(Outcome::Auth(AuthOutcome::Deny(denial)))) => {
            let want = Denial {
                status: want.status,
                reason: want.reason.clone(),
                headers: want.headers.clone(),
            };
            return (&want != denial).then(|| "a different denial".into());
        }
        (Expect::Respond(None), Ok(Outcome::Respond(None))) => true,
        (Expect::Respond(Some(want)), Ok(Outcome::Respond(Some(response))))
        | (Expect::Modify(want), Ok(Outcome::Modify(response))) => {
            return response_mismatch(want, response, now).err();
        }
        (Expect::Error(kind), Err(Error::Plugin { error, .. })) => *kind == error_kind(error),
        _ => false,
    };
    (!ok).then(|| "a different outcome".into())
}

fn error_kind(error: &PluginError) -> ErrorKind {
    match error {
        PluginError::InvalidConfig(_) => ErrorKind::InvalidConfig,
        PluginError::InvalidRequest(_) => ErrorKind::InvalidRequest,
        PluginError::Internal(_) => ErrorKind::Internal,
    }
}

fn response_mismatch(want: &ExpectedResponse, got: &Response, now: i64) -> Result<(), String> {
    if want.status != got.status {
        return Err("a different status".into());
    }
    if want.headers != got.headers {
        return Err("different headers".into());
    }
    if let Some(pattern) = &want.body_json {
        let body: Value =
            serde_json::from_slice(&got.body).map_err(|e| format!("the body is not JSON: {e}"))?;
        return match_json(pattern, &body, now, &mut None, "body");
    }
    let body = match (&want.body, &want.body_base64) {
        (Some(text), _) => text.as_bytes().to_vec(),
        (_, Some(encoded)) => BASE64
            .decode(encoded)
            .expect("checked when the vectors were read"),
        _ => unreachable!("checked when the vectors were read"),
    };
    if body != got.body {
        return Err("a different body".into());
    }
    Ok(())
}

/// Matches `got` against `pattern`, where the strings `<uuid>` (a v4 UUID, the same one
/// throughout a body), `<rfc3339>` (a UTC timestamp near `now`) and `<unix>` (seconds near
/// `now`, as a number or a string) stand for any such value.
fn match_json(
    pattern: &Value,
    got: &Value,
    now: i64,
    uuid: &mut Option<String>,
    at: &str,
) -> Result<(), String> {
    let fail = |why: &str| Err(format!("{at}: {why}"));
    match (pattern, got) {
        (Value::String(p), _) if p == "<uuid>" => {
            let Some(text) = got.as_str().filter(|text| is_uuid_v4(text)) else {
                return fail("not a v4 UUID");
            };
            match uuid {
                Some(first) if first != text => fail("not the same UUID as before in this body"),
                _ => {
                    *uuid = Some(text.to_owned());
                    Ok(())
                }
            }
        }
        (Value::String(p), _) if p == "<rfc3339>" => match got.as_str().and_then(rfc3339_seconds) {
            Some(secs) if (secs - now).abs() <= CLOCK_TOLERANCE_SECS => Ok(()),
            Some(_) => fail("a timestamp far from now"),
            None => fail("not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)"),
        },
        (Value::String(p), _) if p == "<unix>" => {
            let secs = match got {
                Value::Number(n) => n.as_i64(),
                Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                    s.parse().ok()
                }
                _ => None,
            };
            match secs {
                Some(secs) if (secs - now).abs() <= CLOCK_TOLERANCE_SECS => Ok(()),
                Some(_) => fail("a Unix time far from now"),
                None => fail("not a Unix time"),
            }
        }
        (Value::Object(p), Value::Object(g)) => {
            if p.len() != g.len() || p.keys().any(|k| !g.contains_key(k)) {
                return fail("different keys");
            }
            p.iter()
                .try_for_each(|(k, v)| match_json(v, &g[k], now, uuid, &format!("{at}.{k}")))
        }
        (Value::Array(p), Value::Array(g)) => {
            if p.len() != g.len() {
                return fail("a different length");
            }
            p.iter()
                .zip(g)
                .enumerate()
                .try_for_each(|(i, (p, g))| match_json(p, g, now, uuid, &format!("{at}[{i}]")))
        }
        _ if pattern == got => Ok(()),
        _ => fail("a different value"),
    }
}

/// Lower-case hyphenated with the version 4 and RFC 9562 variant bits.
fn is_uuid_v4(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
        && bytes[14] == b'4'
        && matches!(bytes[19], b'8' | b'9' | b'a' | b'b')
}

/// The seconds since the Unix epoch of `YYYY-MM-DDTHH:MM:SSZ`.
fn rfc3339_seconds(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let shape = b.len() == 20
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    let num = |range: std::ops::Range<usize>| text[range].parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&month)
        || !(1..=month_days[month as usize - 1]).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `got` as a vector's `expect` would write it.
fn describe(got: &Result<Outcome, Error>) -> Value {
    match got {
        Ok(Outcome::Auth(AuthOutcome::Allow(identity))) => json!({ "allow": identity }),
        Ok(Outcome::Auth(AuthOutcome::Deny(denial))) => json!({ "deny": denial }),
        Ok(Outcome::Respond(response)) => {
            json!({ "respond": response.as_ref().map(describe_response) })
        }
        Ok(Outcome::Modify(response)) => json!({ "modify": describe_response(response) }),
        Err(Error::Plugin { error, .. }) => {
            let message = match error {
                PluginError::InvalidConfig(m)
                | PluginError::InvalidRequest(m)
                | PluginError::Internal(m) => m,
            };
            json!({ "error": error_kind(error), "message": message })
        }
        Err(other) => json!({ "host error": other.to_string() }),
    }
}

fn describe_response(response: &Response) -> Value {
    let body = if response.body.len() > SHOWN_BODY_BYTES {
        json!(format!("<{} bytes>", response.body.len()))
    } else {
        match std::str::from_utf8(&response.body) {
            Ok(text) => json!(text),
            Err(_) => json!(format!("base64:{}", BASE64.encode(&response.body))),
        }
    };
    json!({ "status": response.status, "headers": response.headers, "body": body })
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs() as i64
}

#[tokio::test]
async fn every_language_gives_every_vector_its_expected_outcome() {
    let vectors = load_vectors();
    let languages = languages();
    assert!(
        !languages.is_empty(),
        "no guest language found under guests/"
    );
    let host = host();
    let mut failures: Vec<String> = Vec::new();
    let mut checked = 0;

    for language in &languages {
        let staged = workspace_root().join("target/plugins").join(language);
        let serves = served_plugins(language);
        for (plugin_name, cases) in &vectors {
            if serves
                .as_ref()
                .is_some_and(|serves| !serves.contains(plugin_name))
            {
                continue;
            }
            let dir = staged.join(plugin_name);
            if !dir.join("plugin.toml").is_file() {
                failures.push(format!(
                    "[{language}] {plugin_name}: not built at {}; run `just build-guests` (install the \
                     toolchain first with `bash guests/{language}/setup.sh`)",
                    dir.display()
                ));
                continue;
            }
            for case in cases {
                let label = format!("[{language}] {plugin_name} / {}", case.name);
                let expect = expectation(case).expect("checked when the vectors were read");
                let plugin = match load(&host, &dir, &case.config).await {
                    Ok(plugin) => plugin,
                    Err(e) => {
                        failures.push(format!("{label}: cannot load the plugin: {e}"));
                        continue;
                    }
                };
                let got = run(&plugin, case, &expect).await;
                checked += 1;
                if let Some(why) = mismatch(&expect, &got, unix_now()) {
                    failures.push(format!(
                        "{label}: {why}\n    expected: {}\n    got:      {}",
                        case.expect,
                        describe(&got)
                    ));
                }
            }
        }
    }

    let total: usize =
        vectors.iter().map(|(_, cases)| cases.len()).sum::<usize>() * languages.len();
    assert!(
        failures.is_empty(),
        "{} conformance failures ({checked} of {total} checks ran; languages: {}):\n\n{}\n",
        failures.len(),
        languages.join(", "),
        failures.join("\n\n")
    );
    eprintln!(
        "{checked} conformance checks passed for {}",
        languages.join(", ")
    );
}

#[test]
fn wildcards_match_only_what_they_stand_for() {
    let now = 4_102_444_800; // 2100-01-01T00:00:00Z
    let uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
    let check = |pattern: Value, got: Value| match_json(&pattern, &got, now, &mut None, "body");
    assert!(check(
        json!({"a": "<uuid>", "b": "<uuid>"}),
        json!({"a": uuid, "b": uuid})
    )
    .is_ok());
    assert!(check(
        json!(["<uuid>", "<uuid>"]),
        json!([uuid, "1b4e28ba-2fa1-41d2-883f-0016d3cca427"])
    )
    .is_err());
    assert!(check(
        json!("<uuid>"),
        json!("0F8FAD5B-D9CB-469F-A165-70867728950E")
    )
    .is_err());
    assert!(
        check(
            json!("<uuid>"),
            json!("0f8fad5b-d9cb-169f-a165-70867728950e")
        )
        .is_err(),
        "version 1"
    );
    assert!(
        check(
            json!("<uuid>"),
            json!("0f8fad5b-d9cb-469f-c165-70867728950e")
        )
        .is_err(),
        "variant"
    );
    assert!(check(json!("<rfc3339>"), json!("2100-01-01T00:00:00Z")).is_ok());
    assert!(check(json!("<rfc3339>"), json!("2099-12-31T23:59:00Z")).is_ok());
    assert!(
        check(json!("<rfc3339>"), json!("2100-01-02T00:00:00Z")).is_err(),
        "a day off"
    );
    assert!(check(json!("<rfc3339>"), json!("2100-01-01T00:00:00+00:00")).is_err());
    assert!(check(json!("<rfc3339>"), json!("2100-02-30T00:00:00Z")).is_err());
    assert!(check(
        json!({"t": "<unix>", "s": "<unix>"}),
        json!({"t": now, "s": now.to_string()})
    )
    .is_ok());
    assert!(check(json!("<unix>"), json!(now + 3600)).is_err());
    assert!(check(json!({"a": 1}), json!({"a": 1, "b": 2})).is_err());
    assert!(check(json!({"a": "<uuid>"}), json!({"a": "x"})).is_err());
    assert!(check(json!("x"), json!("y")).is_err());
}

#[test]
fn a_date_counts_days_from_the_epoch() {
    assert_eq!(rfc3339_seconds("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(rfc3339_seconds("2000-02-29T00:00:00Z"), Some(951_782_400));
    assert_eq!(rfc3339_seconds("2024-02-29T23:59:59Z"), Some(1_709_251_199));
    assert_eq!(rfc3339_seconds("2100-01-01T00:00:00Z"), Some(4_102_444_800));
    assert_eq!(rfc3339_seconds("2023-02-29T00:00:00Z"), None);
}

#[test]
fn every_expectation_checks_its_outcome() {
    let identity = Identity {
        subject: "u".into(),
        ..Identity::default()
    };
    let allow: Result<Outcome, Error> = Ok(Outcome::Auth(AuthOutcome::Allow(identity)));
    let expect = |value: Value| serde_json::from_value::<Expect>(value).unwrap();
    assert!(mismatch(&expect(json!({"allow": {"subject": "u"}})), &allow, 0).is_none());
    assert!(mismatch(
        &expect(json!({"allow": {"subject": "u", "roles": ["r"]}})),
        &allow,
        0
    )
    .is_some());
    assert!(mismatch(
        &expect(json!({"deny": {"status": 401, "reason": "", "headers": []}})),
        &allow,
        0
    )
    .is_some());
    assert!(mismatch(&expect(json!({"respond": null})), &allow, 0).is_some());
    assert!(mismatch(&expect(json!({"error": "internal"})), &allow, 0).is_some());
    let declined: Result<Outcome, Error> = Ok(Outcome::Respond(None));
    assert!(mismatch(&expect(json!({"respond": null})), &declined, 0).is_none());
    let response = Response {
        status: 200,
        headers: vec![],
        body: b"{\"a\": 1}".to_vec(),
    };
    let responded: Result<Outcome, Error> = Ok(Outcome::Respond(Some(response)));
    assert!(mismatch(&expect(json!({"respond": null})), &responded, 0).is_some());
    let want =
        |body: Value| expect(json!({"respond": {"status": 200, "headers": [], "body_json": body}}));
    assert!(mismatch(&want(json!({"a": 1})), &responded, 0).is_none());
    assert!(mismatch(&want(json!({"a": 2})), &responded, 0).is_some());
    let exact = expect(json!({"respond": {"status": 200, "headers": [], "body": "{\"a\":1}"}}));
    assert!(
        mismatch(&exact, &responded, 0).is_some(),
        "an exact body compares the text"
    );
}
