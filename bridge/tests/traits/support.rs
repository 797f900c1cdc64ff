//! Where the built plugins are, a host for tests, MockForge's contexts and requests. Tokens,
//! processes and temporary folders come from `mockforge-component-testkit`.

use std::collections::HashMap;
use std::path::PathBuf;

use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};
use mockforge_component_bridge::core::{
    AuthRequest, PluginContext, PluginId, PluginVersion, ResponseRequest,
};
use mockforge_component_bridge::host::{HostConfig, PluginHost};
use mockforge_component_bridge::ComponentPlugin;
use mockforge_component_testkit::TempDir;

/// The demo secret in the JWT plugins' manifests.
pub const DEMO_SECRET: &[u8] = b"mockforge-demo-secret";

/// The repository root (the bridge is `bridge/` in it).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("bridge/ has a parent")
        .to_owned()
}

/// `target/plugins/<language>` as `just build-guests` stages it; the Rust plugins'
/// folder may be given as `$MOCKFORGE_PLUGINS_DIR`.
fn language_dir(language: &str) -> PathBuf {
    if language == "rust" {
        if let Some(dir) = std::env::var_os("MOCKFORGE_PLUGINS_DIR") {
            return PathBuf::from(dir);
        }
    }
    repo_root().join("target/plugins").join(language)
}

/// The built plugin `name` of `language`; fails naming the recipe that builds it.
pub fn plugin_dir(language: &str, name: &str) -> PathBuf {
    let dir = language_dir(language).join(name);
    assert!(
        dir.join("plugin.toml").is_file(),
        "the {language} plugin `{name}` is not built at {}: run `just build-guests --languages {language}` (or `just test`)",
        dir.display()
    );
    dir
}

/// A host with default settings and the test binaries' shared artifact cache.
pub fn host() -> PluginHost {
    host_with(HostConfig::default())
}

/// A host with `config` and the shared artifact cache.
pub fn host_with(config: HostConfig) -> PluginHost {
    let cache = repo_root().join("target/test-artifact-cache");
    PluginHost::new(config.cache_dir(Some(cache))).expect("the host starts")
}

/// Plugin `name` of `language`, loaded by the bridge.
pub async fn load(language: &str, name: &str) -> ComponentPlugin {
    ComponentPlugin::load(&host(), plugin_dir(language, name))
        .await
        .unwrap_or_else(|e| panic!("loading the {language} plugin {name}: {e}"))
}

/// MockForge's context for one request, with a request id of its own.
pub fn context() -> PluginContext {
    PluginContext::new(PluginId::new("component"), PluginVersion::new(0, 1, 0))
}

fn header_map(headers: &[(&str, &str)]) -> HeaderMap {
    headers
        .iter()
        .map(|(name, value)| {
            (
                HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
                HeaderValue::from_str(value).expect("a header value"),
            )
        })
        .collect()
}

/// MockForge's auth request for `GET uri` with `headers`.
pub fn auth_request(uri: &str, headers: &[(&str, &str)]) -> AuthRequest {
    AuthRequest::from_axum(
        Method::GET,
        uri.parse::<Uri>().expect("a URI"),
        header_map(headers),
        None,
    )
}

/// MockForge's auth request bearing `token`.
pub fn bearer(token: &str) -> AuthRequest {
    auth_request(
        "/orders?page=2",
        &[("authorization", &format!("Bearer {token}"))],
    )
}

/// The routes the tests' MockForge matches: a path of one of these shapes gets the template
/// (in `custom["route"]`, the bridge's `ROUTE_KEY`) and its `id` parameter, as MockForge's
/// router would hand them over.
const ROUTES: [&str; 3] = ["/users/{id}", "/teams/{id}", "/orders/{id}"];

/// MockForge's request for the response phase: `method uri` with `headers`, routed by
/// [`ROUTES`].
pub fn response_request(method: Method, uri: &str, headers: &[(&str, &str)]) -> ResponseRequest {
    let uri = uri.parse::<Uri>().expect("a URI");
    let path = uri.path().to_owned();
    let routed = ROUTES.iter().find_map(|template| {
        let prefix = template.strip_suffix("{id}")?;
        let id = path.strip_prefix(prefix)?;
        (!id.is_empty() && !id.contains('/')).then(|| (*template, id.to_owned()))
    });
    let params = match &routed {
        Some((_, id)) => HashMap::from([("id".to_owned(), id.clone())]),
        None => HashMap::new(),
    };
    let mut request = ResponseRequest::from_axum(method, uri, header_map(headers), None, params);
    if let Some((template, _)) = routed {
        request.custom.insert(
            mockforge_component_bridge::ROUTE_KEY.into(),
            template.into(),
        );
    }
    request
}

/// A new empty folder under the target directory whose name starts with `bridge-<what>`,
/// removed when dropped.
pub fn temp_dir(what: &str) -> TempDir {
    TempDir::new_in(&repo_root().join("target/tmp"), &format!("bridge-{what}"))
        .expect("a temporary folder")
}
