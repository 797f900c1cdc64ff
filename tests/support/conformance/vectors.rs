//! The test vectors of `tests/conformance/vectors/<plugin>.json`: their format (described in
//! `tests/conformance/README.md`), reading and checking them, and the host values a case
//! makes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use mockforge_component_host::{Claims, ContractVersion, Identity, Request, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Changes to a staged manifest's `[config]`: a string sets a key, `None` removes it.
pub type ConfigChanges = BTreeMap<String, Option<String>>;

/// One vector file: the plugin it is about (the file's name), the contract version its
/// plugins implement (its folder) and its cases.
#[derive(Debug)]
pub struct VectorFile {
    /// The plugin under test, as the folder its builds are staged in is named.
    pub plugin: String,
    /// The contract version of the plugins these cases are for.
    pub contract: ContractVersion,
    /// The cases, in the file's order.
    pub cases: Vec<Case>,
}

/// One test vector.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Unique in its file; reports name it.
    pub name: String,
    /// For readers of the vector file only (what a token holds, say).
    #[serde(default, rename = "comment")]
    _comment: Option<String>,
    /// Changes to the staged manifest's `[config]`.
    #[serde(default)]
    pub config: ConfigChanges,
    request: RequestSpec,
    /// The mock's response, for a `modify` case.
    #[serde(default)]
    response: Option<ResponseSpec>,
    /// Kept as written so that a report shows it as the vector file does.
    pub expect: Value,
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
    /// The request id the embedder gives (contract 0.2).
    #[serde(default)]
    id: Option<String>,
    /// The matched route's template (contract 0.2).
    #[serde(default)]
    route: Option<String>,
    /// The matched route's path parameters (contract 0.2).
    #[serde(default)]
    path_params: Vec<(String, String)>,
    /// The identity the auth chain established, for response plugins (contract 0.2).
    #[serde(default)]
    identity: Option<Identity>,
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
pub enum Expect {
    /// `authenticate` allows with this identity.
    Allow(ExpectedIdentity),
    /// `authenticate` denies with this denial.
    Deny(ExpectedDenial),
    /// `authenticate` abstains (`{"abstain": {}}`).
    Abstain(Nothing),
    /// `respond` answers this response, or declines (`null`).
    Respond(Option<ExpectedResponse>),
    /// `modify` returns this response.
    Modify(ExpectedResponse),
    /// The call fails with the plugin's own error of this kind.
    Error(ErrorKind),
}

/// An empty object: what `abstain` holds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nothing {}

/// Expected claims: one JSON object, or (as the 0.1 vectors write them) `[name, JSON text]`
/// pairs; either way compared as a parsed JSON object, key order ignored.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ExpectedClaims {
    /// `{"name": value, ...}`.
    Object(Claims),
    /// `[["name", "JSON text"], ...]`.
    Pairs(Vec<(String, String)>),
}

impl Default for ExpectedClaims {
    fn default() -> Self {
        Self::Object(Claims::new())
    }
}

impl ExpectedClaims {
    /// The claims as one object; an error for a pair whose text is not JSON or a name given
    /// twice.
    pub fn to_object(&self) -> Result<Claims, String> {
        match self {
            Self::Object(claims) => Ok(claims.clone()),
            Self::Pairs(pairs) => {
                let mut claims = Claims::new();
                for (name, text) in pairs {
                    let value: Value = serde_json::from_str(text)
                        .map_err(|e| format!("claim `{name}`: not JSON text: {e}"))?;
                    if claims.insert(name.clone(), value).is_some() {
                        return Err(format!("claim `{name}` is given twice"));
                    }
                }
                Ok(claims)
            }
        }
    }
}

/// An identity; fields left out must be absent or empty.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedIdentity {
    pub(crate) subject: String,
    #[serde(default)]
    pub(crate) username: Option<String>,
    #[serde(default)]
    pub(crate) email: Option<String>,
    #[serde(default)]
    pub(crate) display_name: Option<String>,
    #[serde(default)]
    pub(crate) roles: Vec<String>,
    #[serde(default)]
    pub(crate) groups: Vec<String>,
    #[serde(default)]
    pub(crate) claims: ExpectedClaims,
}

/// A denial, exactly.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedDenial {
    pub(crate) status: u16,
    pub(crate) reason: String,
    pub(crate) headers: Vec<(String, String)>,
}

/// A response whose body is given exactly (`body`, `body_base64`) or as JSON to match
/// (`body_json`, with the `<uuid>`, `<rfc3339>` and `<unix>` wildcards).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedResponse {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    #[serde(default)]
    pub(crate) body: Option<String>,
    #[serde(default)]
    pub(crate) body_base64: Option<String>,
    #[serde(default)]
    pub(crate) body_json: Option<Value>,
}

impl ExpectedResponse {
    /// The exact body, when the vector gives one (`body` or `body_base64`).
    pub fn exact_body(&self) -> Option<Vec<u8>> {
        match (&self.body, &self.body_base64) {
            (Some(text), _) => Some(text.as_bytes().to_vec()),
            (_, Some(encoded)) => Some(
                BASE64
                    .decode(encoded)
                    .expect("checked when the vectors were read"),
            ),
            _ => None,
        }
    }
}

/// The kinds of a plugin's own error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// `invalid-config`.
    InvalidConfig,
    /// `invalid-request`.
    InvalidRequest,
    /// `internal`.
    Internal,
}

impl Case {
    /// The expected outcome, checked against the rest of the case.
    pub fn expectation(&self) -> Result<Expect, String> {
        let request = &self.request;
        body_bytes(&request.body, &request.body_base64, &request.body_repeat)?;
        if let Some(response) = &self.response {
            body_bytes(&response.body, &response.body_base64, &None)?;
        }
        let expect: Expect = serde_json::from_value(self.expect.clone())
            .map_err(|e| format!("bad `expect`: {e}"))?;
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
        if let Some(encoded) = match &expect {
            Expect::Respond(Some(r)) | Expect::Modify(r) => r.body_base64.as_ref(),
            _ => None,
        } {
            BASE64
                .decode(encoded)
                .map_err(|e| format!("bad expected `body_base64`: {e}"))?;
        }
        if let Expect::Allow(identity) = &expect {
            identity.claims.to_object()?;
        }
        match &expect {
            Expect::Modify(_) if self.response.is_none() => {
                return Err("a `modify` case needs a `response`".into())
            }
            Expect::Allow(_) | Expect::Deny(_) | Expect::Abstain(_) | Expect::Respond(_)
                if self.response.is_some() =>
            {
                return Err("only `modify` and `error` cases take a `response`".into())
            }
            Expect::Respond(Some(r)) | Expect::Modify(r) if bodies(r) != 1 => {
                return Err("give exactly one of `body`, `body_base64`, `body_json`".into())
            }
            _ => {}
        }
        Ok(expect)
    }

    /// The request the case sends.
    pub fn request(&self) -> Request {
        let spec = &self.request;
        Request {
            method: spec.method.clone(),
            path: spec.path.clone(),
            query: spec.query.clone(),
            headers: spec.headers.clone().into(),
            body: body_bytes(&spec.body, &spec.body_base64, &spec.body_repeat)
                .expect("checked when the vectors were read"),
            client_addr: spec.client_addr.clone(),
            id: spec.id.clone().unwrap_or_default(),
            route: spec.route.clone(),
            path_params: spec.path_params.clone(),
            identity: spec.identity.clone(),
        }
    }

    /// The mock's response a `modify` case hands the plugin.
    pub fn mock_response(&self) -> Option<Response> {
        self.response.as_ref().map(|response| Response {
            status: response.status,
            headers: response.headers.clone(),
            body: body_bytes(&response.body, &response.body_base64, &None)
                .expect("checked when the vectors were read"),
        })
    }
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

/// The folder of `root` (`tests/conformance/vectors`) holding the vectors of `version`:
/// `0.1/`, `0.2/`.
pub fn vectors_dir(root: &Path, version: ContractVersion) -> PathBuf {
    let number = version.as_str();
    root.join(number.strip_suffix(".0").unwrap_or(number))
}

/// The vector files of every contract version under `root`, each version's sorted by plugin
/// name.
pub fn load_all_vectors(root: &Path) -> Vec<VectorFile> {
    ContractVersion::ALL
        .into_iter()
        .flat_map(|version| load_vectors(&vectors_dir(root, version), version))
        .collect()
}

/// The vector files in `dir`, for plugins of contract `contract`, sorted by plugin name;
/// panics naming the file and case of anything malformed (two cases of one name, an
/// expectation that does not fit its case).
pub fn load_vectors(dir: &Path, contract: ContractVersion) -> Vec<VectorFile> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no vector files in {}", dir.display());
    files
        .into_iter()
        .map(|path| {
            let plugin = path
                .file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            // Vector files are the project's own and may nest a claim as deep as the host
            // accepts (128 levels), inside the file's own structure: no depth limit here.
            let mut reader = serde_json::Deserializer::from_str(&text);
            reader.disable_recursion_limit();
            let cases: Vec<Case> = serde::Deserialize::deserialize(&mut reader)
                .unwrap_or_else(|e| panic!("{}: not a list of cases: {e}", path.display()));
            for (i, case) in cases.iter().enumerate() {
                if cases[..i].iter().any(|earlier| earlier.name == case.name) {
                    panic!("{}: two cases are named {:?}", path.display(), case.name);
                }
                if let Err(e) = case.expectation() {
                    panic!("{}: case {:?}: {e}", path.display(), case.name);
                }
            }
            VectorFile {
                plugin,
                contract,
                cases,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn case(expect: Value) -> Case {
        serde_json::from_value(json!({
            "name": "a case", "request": { "method": "GET", "path": "/" }, "expect": expect
        }))
        .unwrap()
    }

    #[test]
    fn an_expected_body_that_is_not_base64_is_refused_when_read() {
        let bad = case(json!({"respond": {"status": 200, "headers": [], "body_base64": "*"}}));
        let err = bad.expectation().unwrap_err();
        assert!(err.contains("body_base64"), "{err}");
        let good = case(json!({"respond": {"status": 200, "headers": [], "body_base64": "AP8="}}));
        let Ok(Expect::Respond(Some(response))) = good.expectation() else {
            panic!("a respond expectation");
        };
        assert_eq!(response.exact_body(), Some(vec![0, 255]));
    }

    #[test]
    fn an_expectation_must_fit_its_case() {
        let modify = case(json!({"modify": {"status": 200, "headers": [], "body": ""}}));
        assert_eq!(
            modify.expectation().unwrap_err(),
            "a `modify` case needs a `response`"
        );
        let two_bodies =
            case(json!({"respond": {"status": 200, "headers": [], "body": "", "body_json": {}}}));
        assert!(two_bodies.expectation().is_err());
    }
}
