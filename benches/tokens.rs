//! Asymmetric token verification, in one run: a warm auth-jwt call on an RS256 token (keys
//! from its `public-key` config) in every guest language whose auth-jwt targets contract 0.2,
//! against the native baseline of the same verification in Rust (ring, the library the host's
//! `crypto` import uses, on the token's signing input). The floor: a plugin's call within
//! twice the native verification plus 10 µs. Also the native RS256 verification alone, so
//! that the ratio can be read.
//!
//! The token and key are the conformance vectors' (`tests/conformance/vectors/0.2/auth-jwt.json`,
//! case "RS256 with a PEM key"). Run with `cargo bench -p mockforge-component-benches --bench
//! tokens`.

use std::path::Path;
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use criterion::{criterion_group, criterion_main, Criterion};
use mockforge_component_benches::{host, sample_request, staged_plugins};
use mockforge_component_host::{AuthOutcome, InstanceStrategy, Manifest, Plugin, PluginHost};
use ring::signature::{UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use serde_json::Value;
use spki::der::Decode;
use spki::SubjectPublicKeyInfoRef;

/// The case of the 0.2 auth-jwt vectors the bench runs.
const CASE: &str = "RS256 with a PEM key";

/// The case's token and the configuration changes it makes.
fn vector() -> (String, serde_json::Map<String, Value>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/conformance/vectors/0.2/auth-jwt.json");
    let text = std::fs::read_to_string(&path).expect("the vectors");
    // The vectors nest a claim as deep as the host accepts: no depth limit for this file.
    let mut reader = serde_json::Deserializer::from_str(&text);
    reader.disable_recursion_limit();
    let cases: Vec<Value> = serde::Deserialize::deserialize(&mut reader).expect("a list of cases");
    let case = cases
        .iter()
        .find(|case| case["name"] == CASE)
        .unwrap_or_else(|| panic!("no case {CASE:?} in {}", path.display()));
    let authorization = case["request"]["headers"]
        .as_array()
        .and_then(|headers| {
            headers.iter().find(|h| {
                h[0].as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case("authorization"))
            })
        })
        .and_then(|h| h[1].as_str())
        .expect("the case sends a token");
    let config = case["config"].as_object().cloned().unwrap_or_default();
    (authorization.to_owned(), config)
}

/// The RSA key of the PEM text, as ring takes it (PKCS#1 `RSAPublicKey`).
fn rsa_key(pem: &str) -> Vec<u8> {
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("PEM base64");
    let info = SubjectPublicKeyInfoRef::from_der(&der).expect("a SubjectPublicKeyInfo");
    info.subject_public_key
        .as_bytes()
        .expect("whole bytes")
        .to_vec()
}

/// Native verification of `token`: split, decode the signature, verify the signing input.
fn native_verify(key: &UnparsedPublicKey<Vec<u8>>, token: &str) -> bool {
    let Some((input, signature)) = token.rsplit_once('.') else {
        return false;
    };
    let Ok(signature) = URL_SAFE_NO_PAD.decode(signature) else {
        return false;
    };
    key.verify(input.as_bytes(), &signature).is_ok()
}

/// auth-jwt of `language` with the case's configuration, pooled (one warm instance).
async fn load(
    host: &PluginHost,
    dir: &Path,
    config: &serde_json::Map<String, Value>,
) -> Option<Plugin> {
    let mut manifest = Manifest::from_file(&dir.join("plugin.toml")).ok()?;
    let component = manifest.component_mut()?;
    for (key, value) in config {
        match value.as_str() {
            Some(text) => component.config.insert(key.clone(), text.to_owned()),
            None => component.config.remove(key),
        };
    }
    component.instances.strategy = Some(InstanceStrategy::Pooled);
    component.instances.pool_size = Some(1);
    let bytes = std::fs::read(dir.join(&component.component)).ok()?;
    let plugin = host.load_bytes(bytes, manifest, dir).await.ok()?;
    (plugin.info().contract == Some(mockforge_component_host::ContractVersion::V0_2))
        .then_some(plugin)
}

fn tokens(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let (authorization, config) = vector();
    let token = authorization
        .strip_prefix("Bearer ")
        .expect("a bearer token")
        .to_owned();
    let pem = config["public-key"].as_str().expect("a PEM key");
    let key = UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, rsa_key(pem));
    assert!(native_verify(&key, &token), "the native baseline verifies");

    let mut group = c.benchmark_group("rs256");
    group.bench_function("native_ring_verify", |b| {
        b.iter(|| assert!(native_verify(&key, std::hint::black_box(&token))))
    });

    let host = host(Some(staged_plugins().join("../bench-artifact-cache")));
    let request = Arc::new(sample_request(&authorization));
    for language in ["rust", "c", "python", "javascript"] {
        let dir = staged_plugins().join(language).join("auth-jwt");
        let Some(plugin) = rt.block_on(load(&host, &dir, &config)) else {
            eprintln!(
                "note: {language}: no contract-0.2 auth-jwt staged at {}",
                dir.display()
            );
            continue;
        };
        let outcome = rt
            .block_on(plugin.authenticate(request.clone()))
            .expect("call");
        assert!(
            matches!(outcome, AuthOutcome::Allow(_)),
            "{language}: {outcome:?}"
        );
        group.bench_function(format!("{language}_auth_jwt_warm_call"), |b| {
            b.to_async(&rt)
                .iter(|| async { plugin.authenticate(request.clone()).await.expect("call") })
        });
    }
    group.finish();
}

criterion_group!(benches, tokens);
criterion_main!(benches);
