//! Shared pieces of the benchmarks: the request shape, the native Rust baselines (the same
//! logic as the plugins, without WebAssembly), and plugin loading.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use mockforge_component_host::{
    AuthOutcome, Denial, HostConfig, Identity, InstanceStrategy, Manifest, Plugin, PluginHost,
    Profiler, Request,
};
use mockforge_component_testkit::signed_jwt;
use sha2::Sha256;

/// The secret of the example auth-jwt plugin's manifest.
pub const JWT_SECRET: &[u8] = b"mockforge-demo-secret";

/// The benchmark request: a GET with eight headers of typical size and an empty body, the
/// shape used in ../shared/PERFORMANCE_NOTES.md ([`Request::typical`]).
pub fn sample_request(authorization: &str) -> Request {
    Request::typical(authorization)
}

/// A valid HS256 token for the auth-jwt plugin, with a handful of claims.
pub fn jwt_token() -> String {
    signed_jwt(
        JWT_SECRET,
        "HS256",
        r#"{"sub":"user-42","preferred_username":"ada","email":"ada@example.com","roles":["admin","dev"],"groups":["eng"],"exp":4102444800}"#,
    )
}

/// The trivial plugin's logic as a native function.
pub fn native_trivial(request: &Request) -> AuthOutcome {
    if request.header("authorization") == Some("Bearer good") {
        AuthOutcome::Allow(Identity {
            subject: "good".into(),
            ..Identity::default()
        })
    } else {
        AuthOutcome::Deny(Denial {
            status: 401,
            reason: "denied".into(),
            headers: Vec::new(),
        })
    }
}

/// The auth-jwt plugin's logic as a native function: the same steps (split, decode, check the
/// header, verify the HMAC, parse the claims, check `exp`, map the identity).
pub fn native_jwt(request: &Request, now: u64) -> AuthOutcome {
    let deny = |reason: &str| {
        AuthOutcome::Deny(Denial {
            status: 401,
            reason: reason.into(),
            headers: vec![(
                "WWW-Authenticate".into(),
                "Bearer realm=\"mockforge\", error=\"invalid_token\"".into(),
            )],
        })
    };
    let Some(token) = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return deny("missing bearer token");
    };
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return deny("malformed token");
    };
    let Ok(header_json) = URL_SAFE_NO_PAD.decode(header) else {
        return deny("malformed token");
    };
    let Ok(header_value) = serde_json::from_slice::<serde_json::Value>(&header_json) else {
        return deny("malformed token");
    };
    if header_value["alg"] != "HS256" {
        return deny("unsupported algorithm");
    }
    let Ok(signature) = URL_SAFE_NO_PAD.decode(signature) else {
        return deny("malformed token");
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(JWT_SECRET).expect("any key length");
    mac.update(&token.as_bytes()[..header.len() + 1 + payload.len()]);
    if mac.verify_slice(&signature).is_err() {
        return deny("invalid signature");
    }
    let Ok(claims_json) = URL_SAFE_NO_PAD.decode(payload) else {
        return deny("malformed token");
    };
    let Ok(serde_json::Value::Object(claims)) = serde_json::from_slice(&claims_json) else {
        return deny("malformed token");
    };
    if claims
        .get("exp")
        .and_then(|v| v.as_u64())
        .is_some_and(|exp| exp <= now)
    {
        return deny("token expired");
    }
    let Some(subject) = claims.get("sub").and_then(|v| v.as_str()) else {
        return deny("missing subject");
    };
    let strings = |key: &str| -> Vec<String> {
        claims
            .get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    AuthOutcome::Allow(Identity {
        subject: subject.to_owned(),
        username: claims
            .get("preferred_username")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
        email: claims
            .get("email")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
        display_name: claims
            .get("name")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
        roles: strings("roles"),
        groups: strings("groups"),
        claims: claims.clone().into(),
    })
}

/// Where `just build-guests` stages plugins: `<this>/<language>/<plugin>/plugin.toml`.
pub fn staged_plugins() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/plugins")
}

/// The staged Rust plugin `name` (`just build-guests` fills target/plugins/rust).
pub fn plugin_dir(name: &str) -> PathBuf {
    let dir = staged_plugins().join("rust").join(name);
    assert!(
        dir.join("plugin.toml").is_file(),
        "{} is missing: run `just build-guests`",
        dir.display()
    );
    dir
}

/// Loads plugin `name` with `strategy` (pooled with one warm instance for reuse).
pub async fn load(host: &PluginHost, name: &str, strategy: InstanceStrategy) -> Plugin {
    load_dir(host, &plugin_dir(name), strategy).await
}

/// Loads the plugin staged in `dir` with `strategy` (pooled with one warm instance for reuse).
pub async fn load_dir(host: &PluginHost, dir: &Path, strategy: InstanceStrategy) -> Plugin {
    let mut manifest = Manifest::from_file(&dir.join("plugin.toml")).expect("manifest");
    manifest.component_mut().unwrap().instances.strategy = Some(strategy);
    manifest.component_mut().unwrap().instances.pool_size = Some(1);
    let bytes =
        std::fs::read(dir.join(&manifest.component().unwrap().component)).expect("component");
    host.load_bytes(bytes, manifest, dir)
        .await
        .expect("plugin loads")
}

/// A host whose artifact cache is `cache` (or none). With `MOCKFORGE_BENCH_PERF_MAP=1` in the
/// environment, plugin code is announced to `perf` (`/tmp/perf-<pid>.map`), so that a profile
/// of a bench (`perf record -g <bench binary> --bench <filter> --profile-time 10`) names the
/// guest's functions.
pub fn host(cache: Option<PathBuf>) -> PluginHost {
    let mut config = HostConfig::default().cache_dir(cache);
    if std::env::var_os("MOCKFORGE_BENCH_PERF_MAP").is_some_and(|v| v == "1") {
        config = config.profiler(Profiler::PerfMap);
    }
    PluginHost::new(config).expect("host starts")
}

/// A copy of the staged plugin `name` in `scratch`, with `[instances] strategy = "pooled"`
/// (and a pool of 8) added to its manifest.
pub fn pooled_copy(name: &str, scratch: &Path) -> PathBuf {
    let from = plugin_dir(name);
    let to = scratch.join(format!("{name}-pooled"));
    std::fs::create_dir_all(&to).expect("a scratch folder");
    std::fs::copy(from.join("plugin.wasm"), to.join("plugin.wasm")).expect("the component");
    let manifest = std::fs::read_to_string(from.join("plugin.toml")).expect("the manifest");
    std::fs::write(
        to.join("plugin.toml"),
        format!("{manifest}\n[instances]\nstrategy = \"pooled\"\npool-size = 8\n"),
    )
    .expect("the manifest copy");
    to
}

/// The headers a client of the server benches sends besides `authorization` (and `host`).
pub const SERVER_BENCH_HEADERS: [(&str, &str); 5] = [
    ("user-agent", "mockforge-bench/1.0 (x86_64-linux)"),
    ("accept", "application/json, text/plain, */*"),
    ("accept-encoding", "gzip, deflate, br"),
    ("accept-language", "en-GB,en;q=0.9"),
    ("cache-control", "no-cache"),
];

/// The server benches' configuration: one route, `GET /api/orders/{id}` answering a templated
/// JSON body, behind the plugin in `plugin` (none: the floor).
pub fn server_bench_config(plugin: Option<&Path>) -> String {
    let mut text = String::from(
        "watch = false\n[[route]]\npath = \"/api/orders/{id}\"\nheaders = { content-type = \"application/json\" }\nbody = '{\"order\": \"{id}\"}'\n",
    );
    if let Some(dir) = plugin {
        text.push_str(&format!("[[plugin]]\npath = \"{}\"\n", dir.display()));
    }
    text
}

/// One server of the server benches: its name, its plugin folder (none: the floor), and the
/// `authorization` value its requests carry.
pub struct ServerScenario {
    /// The row's name.
    pub name: &'static str,
    /// The plugin in front of the route.
    pub plugin: Option<PathBuf>,
    /// The `authorization` header, when the plugin needs one.
    pub authorization: Option<String>,
}

/// The servers both server benches compare: no plugin, auth-trivial and auth-jwt (fresh and
/// pooled, the pooled copies made in `scratch`), response-template.
pub fn server_scenarios(scratch: &Path) -> Vec<ServerScenario> {
    let token = format!("Bearer {}", jwt_token());
    let scenario = |name, plugin, authorization: Option<&str>| ServerScenario {
        name,
        plugin,
        authorization: authorization.map(str::to_owned),
    };
    vec![
        scenario("no plugin", None, None),
        scenario(
            "auth-trivial fresh",
            Some(plugin_dir("auth-trivial")),
            Some("Bearer good"),
        ),
        scenario(
            "auth-trivial pooled",
            Some(pooled_copy("auth-trivial", scratch)),
            Some("Bearer good"),
        ),
        scenario("auth-jwt fresh", Some(plugin_dir("auth-jwt")), Some(&token)),
        scenario(
            "auth-jwt pooled",
            Some(pooled_copy("auth-jwt", scratch)),
            Some(&token),
        ),
        scenario(
            "response-template",
            Some(plugin_dir("response-template")),
            None,
        ),
    ]
}

/// `calls` calls made by `call`, each timed on its own after `warm_up` untimed ones, sorted
/// fastest first: for percentiles, which criterion's estimate (the mean of batches) does not
/// give.
pub fn timed_calls<F, Fut>(
    rt: &tokio::runtime::Runtime,
    warm_up: usize,
    calls: usize,
    mut call: F,
) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let mut samples = rt.block_on(async {
        for _ in 0..warm_up {
            call().await;
        }
        let mut samples = Vec::with_capacity(calls);
        for _ in 0..calls {
            let started = Instant::now();
            call().await;
            samples.push(started.elapsed());
        }
        samples
    });
    samples.sort_unstable();
    samples
}

/// The `q` quantile (0 to 1) of samples sorted fastest first, by the nearest rank.
pub fn quantile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}
