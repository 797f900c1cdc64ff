//! What the legacy adapters cost per call (issue #4's performance floors), in one run.
//!
//! For the trivial auth plugin as a native Rust component and as a legacy core module of each
//! family (Rust family J, Go family G, AssemblyScript family A), all with the same logic: a
//! call through the host on a warm (pooled) instance and on a fresh instance. For the legacy
//! modules also the baseline the floor is stated against, the same module driven directly
//! through wasmtime's core-module API (one instance reused; per call the legacy JSON is built,
//! written with the module's allocator, the entry point called, the answer read, parsed and
//! freed). And a warm auth-jwt call for the languages that have one.
//!
//! Groups are `legacy/<language>` (the folder under target/plugins; `go-legacy-mockforge-sdk`
//! for the Go module built with MockForge's SDK shapes and no arena) with the functions
//! `direct`, `warm`, `fresh` and `jwt-warm`. Run with
//! `cargo bench -p mockforge-component-benches --bench legacy`, then
//! `python3 benches/report.py` for the table of ratios and floors. Adapted components are
//! compiled once into target/bench-artifact-cache.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use criterion::{criterion_group, criterion_main, Criterion};
use mockforge_component_benches::{jwt_token, load_dir, sample_request, staged_plugins};
use mockforge_component_host::wasmtime::{self, Engine, Linker, Memory, Module, Store, TypedFunc};
use mockforge_component_host::{
    AuthOutcome, Denial, HostConfig, Identity, InstanceStrategy, Manifest, PluginHost, Request,
    DEFAULT_EPOCH_TICK,
};
use serde_json::{json, Map, Value};
use tokio::runtime::Runtime;

#[path = "bare_wasi.rs"]
mod bare_wasi;

/// The staged plugins measured: the group's name, the folder under target/plugins, the
/// trivial plugin measured there, whether it is a legacy core module (and so has a direct
/// baseline), and whether the folder has an auth-jwt.
const SUBJECTS: [(&str, &str, &str, bool, bool); 5] = [
    ("rust", "rust", "auth-trivial", false, false),
    ("rust-legacy", "rust-legacy", "auth-trivial", true, false),
    ("go-legacy", "go-legacy", "auth-trivial", true, true),
    // Built with MockForge's own Go SDK shapes, no arena: the adapters reserve the WASI
    // adapter's memory below Go's heap.
    (
        "go-legacy-mockforge-sdk",
        "go-legacy",
        "mockforge-sdk-auth",
        true,
        false,
    ),
    (
        "assemblyscript",
        "assemblyscript",
        "auth-trivial",
        true,
        true,
    ),
];

/// The most a family G answer may hold, as the translator's cap.
const MAX_G_ANSWER: usize = 1024 * 1024;
/// AssemblyScript's class id of `String`.
const AS_STRING: i32 = 2;
/// A direct call's deadline: like the host, an epoch deadline set before every call.
const CALL_DEADLINE: Duration = Duration::from_secs(10);

/// Where the compiled components are kept between runs (shared with benches/languages.rs).
fn cache_dir() -> PathBuf {
    staged_plugins().join("../bench-artifact-cache")
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn staged(language: &str, plugin: &str) -> PathBuf {
    let dir = staged_plugins().join(language).join(plugin);
    assert!(
        dir.join("plugin.toml").is_file(),
        "{} is missing: run `bash guests/{language}/build.sh target/plugins/{language}`",
        dir.display()
    );
    dir
}

fn expect_good(outcome: &AuthOutcome, what: &str) {
    assert!(
        matches!(outcome, AuthOutcome::Allow(identity) if !identity.subject.is_empty()),
        "{what}: {outcome:?}"
    );
}

/// One legacy core module instantiated with wasmtime's core-module API on the host's engine,
/// called the way a host without the adapter would call it.
struct Direct {
    store: Store<()>,
    memory: Memory,
    entry: Entry,
    config: BTreeMap<String, String>,
    deadline_ticks: u64,
}

/// The exports each family is called through.
enum Entry {
    /// Family J with Rust's allocator: the answer comes back as `(ptr << 32) | len`.
    J {
        alloc: TypedFunc<i32, i32>,
        dealloc: TypedFunc<(i32, i32), ()>,
        authenticate: TypedFunc<(i32, i32), i64>,
    },
    /// Family G: two JSON texts in, the address of one JSON value back.
    G {
        malloc: TypedFunc<i32, i32>,
        free: TypedFunc<i32, ()>,
        authenticate: TypedFunc<(i32, i32, i32, i32), i32>,
    },
    /// Family A: a pinned managed UTF-16 string in, a managed string back.
    A {
        new: TypedFunc<(i32, i32), i32>,
        pin: TypedFunc<i32, i32>,
        unpin: TypedFunc<i32, ()>,
        authenticate: TypedFunc<i32, i32>,
    },
}

impl Direct {
    fn new(engine: &Engine, dir: &Path) -> Self {
        let manifest = Manifest::from_file(&dir.join("plugin.toml")).expect("manifest");
        let bytes =
            std::fs::read(dir.join(&manifest.component().unwrap().component)).expect("module");
        let module = Module::new(engine, bytes).expect("the legacy module compiles");
        let mut linker = Linker::<()>::new(engine);
        bare_wasi::define(&mut linker, &module).expect("WASI preview 1");
        linker
            .func_wrap(
                "env",
                "abort",
                |_: wasmtime::Caller<'_, ()>,
                 _message: i32,
                 _file: i32,
                 line: i32,
                 column: i32|
                 -> wasmtime::Result<()> {
                    wasmtime::bail!("the plugin aborted at line {line}, column {column}")
                },
            )
            .expect("env.abort");
        let mut store = Store::new(engine, ());
        let deadline_ticks = (CALL_DEADLINE.as_nanos() / DEFAULT_EPOCH_TICK.as_nanos()) as u64;
        store.set_epoch_deadline(deadline_ticks);
        let instance = linker
            .instantiate(&mut store, &module)
            .expect("the legacy module instantiates");
        if let Ok(initialize) = instance.get_typed_func::<(), ()>(&mut store, "_initialize") {
            initialize.call(&mut store, ()).expect("_initialize");
        }
        let memory = instance
            .get_memory(&mut store, "memory")
            .expect("memory export");
        let has =
            |store: &mut Store<()>, name: &str| instance.get_export(&mut *store, name).is_some();
        let entry = if has(&mut store, "plugin_auth_authenticate") {
            Entry::G {
                malloc: typed(&instance, &mut store, "malloc"),
                free: typed(&instance, &mut store, "free"),
                authenticate: typed(&instance, &mut store, "plugin_auth_authenticate"),
            }
        } else if has(&mut store, "__new") {
            Entry::A {
                new: typed(&instance, &mut store, "__new"),
                pin: typed(&instance, &mut store, "__pin"),
                unpin: typed(&instance, &mut store, "__unpin"),
                authenticate: typed(&instance, &mut store, "authenticate"),
            }
        } else {
            Entry::J {
                alloc: typed(&instance, &mut store, "alloc"),
                dealloc: typed(&instance, &mut store, "dealloc"),
                authenticate: typed(&instance, &mut store, "authenticate"),
            }
        };
        Self {
            store,
            memory,
            entry,
            config: manifest.component().unwrap().config.clone(),
            deadline_ticks,
        }
    }

    fn authenticate(&mut self, request: &Request) -> AuthOutcome {
        self.store.set_epoch_deadline(self.deadline_ticks);
        let (store, memory) = (&mut self.store, self.memory);
        let answer = match &self.entry {
            Entry::J {
                alloc,
                dealloc,
                authenticate,
            } => {
                let input = legacy_request(request, &self.config).to_string();
                let len = wasm_len(input.len());
                let ptr = alloc.call(&mut *store, len).expect("alloc");
                memory
                    .write(&mut *store, ptr as u32 as usize, input.as_bytes())
                    .expect("input within memory");
                let packed = authenticate
                    .call(&mut *store, (ptr, len))
                    .expect("authenticate") as u64;
                let (out, out_len) = ((packed >> 32) as u32, packed as u32);
                let answer = parse(&memory.data(&*store)[out as usize..][..out_len as usize]);
                dealloc.call(&mut *store, (ptr, len)).expect("dealloc");
                dealloc
                    .call(&mut *store, (out as i32, out_len as i32))
                    .expect("dealloc");
                answer
            }
            Entry::G {
                malloc,
                free,
                authenticate,
            } => {
                let (context, credentials) = go_request(request, &self.config);
                let (context, credentials) = (context.to_string(), credentials.to_string());
                let mut buffers = [(0, 0); 2];
                for (buffer, text) in buffers.iter_mut().zip([&context, &credentials]) {
                    let len = wasm_len(text.len());
                    let ptr = malloc.call(&mut *store, len).expect("malloc");
                    memory
                        .write(&mut *store, ptr as u32 as usize, text.as_bytes())
                        .expect("input within memory");
                    *buffer = (ptr, len);
                }
                let [(context, context_len), (credentials, credentials_len)] = buffers;
                let address = authenticate
                    .call(
                        &mut *store,
                        (context, context_len, credentials, credentials_len),
                    )
                    .expect("plugin_auth_authenticate") as u32
                    as usize;
                // No length and no terminator: one JSON value is scanned from the address.
                let data = memory.data(&*store);
                let end = data.len().min(address + MAX_G_ANSWER);
                let answer = serde_json::Deserializer::from_slice(&data[address..end])
                    .into_iter::<Value>()
                    .next()
                    .expect("an answer")
                    .expect("the answer is JSON");
                // The SDK keeps its answer buffer for the next call: only the inputs are freed.
                free.call(&mut *store, context).expect("free");
                free.call(&mut *store, credentials).expect("free");
                answer
            }
            Entry::A {
                new,
                pin,
                unpin,
                authenticate,
            } => {
                let input = legacy_request(request, &self.config).to_string();
                let size = 2 * input.encode_utf16().count();
                let ptr = new
                    .call(&mut *store, (wasm_len(size), AS_STRING))
                    .expect("__new");
                let ptr = pin.call(&mut *store, ptr).expect("__pin");
                let target = &mut memory.data_mut(&mut *store)[ptr as u32 as usize..][..size];
                for (unit, bytes) in input.encode_utf16().zip(target.chunks_exact_mut(2)) {
                    bytes.copy_from_slice(&unit.to_le_bytes());
                }
                let out = authenticate.call(&mut *store, ptr).expect("authenticate") as u32;
                // A managed string's byte length is the u32 just before it.
                let data = memory.data(&*store);
                let at = out as usize;
                let byte_len = u32::from_le_bytes(data[at - 4..at].try_into().unwrap()) as usize;
                let units = data[at..][..byte_len]
                    .chunks_exact(2)
                    .map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
                let text = char::decode_utf16(units)
                    .collect::<Result<String, _>>()
                    .expect("the answer is valid UTF-16");
                let answer = parse(text.as_bytes());
                unpin.call(&mut *store, ptr).expect("__unpin");
                answer
            }
        };
        outcome(&answer)
    }
}

fn typed<Params, Results>(
    instance: &wasmtime::Instance,
    store: &mut Store<()>,
    name: &str,
) -> TypedFunc<Params, Results>
where
    Params: wasmtime::WasmParams,
    Results: wasmtime::WasmResults,
{
    instance
        .get_typed_func(store, name)
        .unwrap_or_else(|e| panic!("export `{name}`: {e}"))
}

fn wasm_len(len: usize) -> i32 {
    i32::try_from(len).expect("a request fits the 32-bit address space")
}

fn parse(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("the answer is JSON")
}

/// The JSON the adapter's translator sends to families J and A: MockForge's keys plus
/// `headers`, `body`, `config` and `now_unix_ms`.
fn legacy_request(request: &Request, config: &BTreeMap<String, String>) -> Value {
    let uri = uri(request);
    let headers = headers(request);
    let body = BASE64.encode(&request.body);
    let mut query_params = Map::new();
    for pair in request.query.split('&').filter(|pair| !pair.is_empty()) {
        let name = pair.split_once('=').map_or(pair, |(name, _)| name);
        if !query_params.contains_key(name) {
            let value = request.query_param(name).unwrap_or_default();
            query_params.insert(name.to_owned(), Value::String(value));
        }
    }
    let client_ip = request
        .client_addr
        .as_deref()
        .map(|addr| match addr.rsplit_once(':') {
            Some((ip, port)) if port.bytes().all(|b| b.is_ascii_digit()) => {
                ip.trim_start_matches('[').trim_end_matches(']')
            }
            _ => addr,
        });
    let now_unix_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    json!({
        "context": {
            "method": request.method, "uri": uri, "headers": headers, "body": body,
            "config": config,
        },
        "method": request.method,
        "uri": uri,
        "query_params": query_params,
        "client_ip": client_ip,
        "user_agent": request.header("user-agent"),
        "headers": headers,
        "body": body,
        "config": config,
        "now_unix_ms": now_unix_ms,
    })
}

/// The two JSON texts the translator sends to family G: the request context, and the
/// credentials of the `Authorization` header.
fn go_request(request: &Request, config: &BTreeMap<String, String>) -> (Value, Value) {
    let context = json!({
        "method": request.method,
        "uri": uri(request),
        "headers": headers(request),
        "body": BASE64.encode(&request.body),
        "config": config,
    });
    let credentials = match request.header("authorization").map(|v| v.split_once(' ')) {
        Some(Some((scheme, rest))) if scheme.eq_ignore_ascii_case("basic") => {
            json!({"type": "basic", "data": rest.trim()})
        }
        Some(Some((scheme, rest))) => {
            json!({"type": scheme.to_ascii_lowercase(), "token": rest.trim()})
        }
        _ => json!({"type": "none"}),
    };
    (context, credentials)
}

fn uri(request: &Request) -> String {
    if request.query.is_empty() {
        request.path.clone()
    } else {
        format!("{}?{}", request.path, request.query)
    }
}

/// Header names lower-case, the first value of a repeated header.
fn headers(request: &Request) -> Map<String, Value> {
    let mut headers = Map::new();
    for (name, value) in &request.headers {
        headers
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| Value::String(value.to_owned()));
    }
    headers
}

/// The typed outcome of a legacy `AuthResponse`, as the translator maps it.
fn outcome(answer: &Value) -> AuthOutcome {
    let text = |value: &Value| value.as_str().map(str::to_owned);
    let strings = |value: &Value| -> Vec<String> {
        value
            .as_array()
            .map(|items| items.iter().filter_map(text).collect())
            .unwrap_or_default()
    };
    if answer["authenticated"] != Value::Bool(true) {
        return AuthOutcome::Deny(Denial {
            status: answer["metadata"]["status"]
                .as_u64()
                .map_or(401, |status| status as u16),
            reason: text(&answer["error_message"]).unwrap_or_else(|| "unauthorized".into()),
            headers: Vec::new(),
        });
    }
    let identity = answer.get("identity").unwrap_or(answer);
    AuthOutcome::Allow(Identity {
        subject: text(&identity["user_id"]).unwrap_or_default(),
        username: text(&identity["username"]),
        email: text(&identity["email"]),
        display_name: text(&identity["display_name"]),
        roles: strings(&identity["roles"]),
        groups: strings(&identity["groups"]),
        claims: answer["claims"]
            .as_object()
            .cloned()
            .unwrap_or_default()
            .into(),
    })
}

fn legacy(c: &mut Criterion) {
    let rt = runtime();
    let host =
        PluginHost::new(HostConfig::default().cache_dir(Some(cache_dir()))).expect("host starts");
    let trivial = Arc::new(sample_request("Bearer good"));
    let jwt = Arc::new(sample_request(&format!("Bearer {}", jwt_token())));
    for (group_name, language, trivial_plugin, is_legacy, has_jwt) in SUBJECTS {
        let dir = staged(language, trivial_plugin);
        let pooled = rt.block_on(load_dir(&host, &dir, InstanceStrategy::Pooled));
        let fresh = rt.block_on(load_dir(&host, &dir, InstanceStrategy::Fresh));
        let mut direct = is_legacy.then(|| Direct::new(host.engine(), &dir));
        let mut calls = vec![("warm", pooled, &trivial), ("fresh", fresh, &trivial)];
        if has_jwt {
            let dir = staged(language, "auth-jwt");
            let plugin = rt.block_on(load_dir(&host, &dir, InstanceStrategy::Pooled));
            calls.push(("jwt-warm", plugin, &jwt));
        }
        for (what, plugin, request) in &calls {
            let outcome = rt.block_on(plugin.authenticate(Arc::clone(request)));
            expect_good(&outcome.expect("call"), &format!("{language} {what}"));
        }
        if let Some(direct) = &mut direct {
            expect_good(
                &direct.authenticate(&trivial),
                &format!("{language} direct"),
            );
        }

        let mut group = c.benchmark_group(format!("legacy/{group_name}"));
        if let Some(direct) = &mut direct {
            group.bench_function("direct", |b| b.iter(|| direct.authenticate(&trivial)));
        }
        for (what, plugin, request) in &calls {
            group.bench_function(*what, |b| {
                b.to_async(&rt)
                    .iter(|| async { plugin.authenticate(Arc::clone(request)).await.unwrap() })
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    // Thirteen measurements in about two minutes; a fresh Go instance takes ~0.4 ms, and 50
    // samples (1275 iterations at least) keep it within the measurement time.
    config = Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = legacy
}
criterion_main!(benches);
