//! The fuzz targets on stable Rust, bounded: seeded inputs for a few seconds per target.
//!
//! Inputs are mutations of real seeds (every `plugin.toml` under `guests/`, the WAT fixtures,
//! and the built plugins under `target/plugins` when present), random bytes, wasm-smith modules
//! and wasm-smith components in the plugin worlds' shape. Each input must return within its
//! target's time limit without a panic; a failing input is written to
//! `target/fuzz-failures/<target>-<seed>-<n>.bin` and named in the failure, so that
//! `cargo fuzz run <target> <file>` (or this test) can replay it.
//!
//! `MOCKFORGE_FUZZ_SECONDS` (default 3) is the time per target; `MOCKFORGE_FUZZ_SEED` (default
//! a fixed value, so that runs are reproducible) the seed.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mockforge_component_fuzz::{run, Loader, Target};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }

    /// `min` to `min + spread - 1` random bytes.
    fn some_bytes(&mut self, min: usize, spread: usize) -> Vec<u8> {
        let len = min + self.below(spread);
        self.bytes(len)
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn plugins() -> PathBuf {
    std::env::var_os("MOCKFORGE_PLUGINS_DIR")
        .map(|dir| PathBuf::from(dir).join(".."))
        .unwrap_or_else(|| repo().join("target/plugins"))
}

/// Files under `dir` (recursively) whose name satisfies `keep`.
fn files(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if !path.ends_with("target") && !path.ends_with("node_modules") {
                files(&path, keep, out);
            }
        } else if kind.is_file() && keep(&path) {
            if let Ok(bytes) = std::fs::read(&path) {
                out.push(bytes);
            }
        }
    }
}

fn manifest_seeds() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    files(
        &repo().join("guests"),
        &|p| p.file_name().is_some_and(|n| n == "plugin.toml"),
        &mut seeds,
    );
    assert!(!seeds.is_empty(), "no plugin.toml under guests/");
    seeds
}

/// WAT fixtures and, when built, the staged plugins (components and legacy modules).
fn wasm_seeds() -> Vec<Vec<u8>> {
    let mut wat = Vec::new();
    files(
        &repo().join("tests/fixtures"),
        &|p| p.extension().is_some_and(|e| e == "wat"),
        &mut wat,
    );
    let mut seeds: Vec<Vec<u8>> = wat
        .iter()
        .filter_map(|text| wat::parse_bytes(text).ok().map(|b| b.into_owned()))
        .collect();
    assert!(!seeds.is_empty(), "no WAT fixture under tests/fixtures");
    let mut built = Vec::new();
    files(
        &plugins(),
        &|p| {
            p.extension().is_some_and(|e| e == "wasm")
                && std::fs::metadata(p).is_ok_and(|m| m.len() < 1 << 20)
        },
        &mut built,
    );
    seeds.extend(built);
    seeds
}

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = data.len();
        match rng.below(6) {
            0 if len > 0 => {
                let at = rng.below(len);
                data[at] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let at = rng.below(len);
                data[at] = rng.next() as u8;
            }
            2 => {
                let at = rng.below(len + 1);
                let extra = rng.some_bytes(1, 16);
                data.splice(at..at, extra);
            }
            3 if len > 0 => {
                let at = rng.below(len);
                let end = (at + 1 + rng.below(32)).min(len);
                data.drain(at..end);
            }
            4 if len > 0 => data.truncate(rng.below(len)),
            _ if len > 0 => {
                let at = rng.below(len);
                let end = (at + 1 + rng.below(64)).min(len);
                let copy = data[at..end].to_vec();
                let to = rng.below(len + 1);
                data.splice(to..to, copy);
            }
            _ => data.extend(rng.bytes(8)),
        }
    }
    data
}

/// One input for `target`.
fn input(target: Target, rng: &mut Rng, manifests: &[Vec<u8>], wasm: &[Vec<u8>]) -> Vec<u8> {
    let pick = |rng: &mut Rng, from: &[Vec<u8>]| from[rng.below(from.len())].clone();
    let mutated = |rng: &mut Rng, from: &[Vec<u8>]| {
        let seed = pick(rng, from);
        mutate(rng, &seed)
    };
    match target {
        Target::Manifest => match rng.below(4) {
            0 | 1 => mutated(rng, manifests),
            2 => {
                const CHARS: &[u8] = b" \n=[]\"'.#abcz019-_{},";
                let len = rng.below(512);
                (0..len).map(|_| CHARS[rng.below(CHARS.len())]).collect()
            }
            // A long line: errors must not quote it whole.
            _ => {
                let mut text = pick(rng, manifests);
                text.extend_from_slice(b"\ndescription = \"");
                text.extend(std::iter::repeat_n(b'x', 100_000 + rng.below(100_000)));
                text
            }
        },
        Target::Load => {
            let selector = rng.below(4) as u8;
            let mut data = vec![selector];
            match selector {
                0 => data.extend(mutated(rng, wasm)),
                _ => {
                    data.extend(rng.some_bytes(64, 4096));
                }
            }
            data
        }
        _ => match rng.below(5) {
            0..=2 => mutated(rng, wasm),
            3 => rng.some_bytes(0, 256),
            _ => {
                let mut data = b"\0asm\x01\0\0\0".to_vec();
                data.extend(rng.some_bytes(0, 512));
                data
            }
        },
    }
}

/// How long one input of `target` may take.
fn input_limit(target: Target) -> Duration {
    match target {
        Target::Manifest | Target::Inspect | Target::Classify => Duration::from_secs(2),
        Target::Adapt => Duration::from_secs(10),
        Target::Load => Duration::from_secs(30),
    }
}

fn seconds_per_target() -> Duration {
    let seconds = std::env::var("MOCKFORGE_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(3.0);
    Duration::from_secs_f64(seconds)
}

fn seed() -> u64 {
    std::env::var("MOCKFORGE_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6d6f_636b_666f_7267)
}

fn save(target: Target, seed: u64, n: u64, data: &[u8]) -> PathBuf {
    let dir = repo().join("target/fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{}-{seed}-{n}.bin", target.name()));
    let _ = std::fs::write(&path, data);
    path
}

fn fuzz(target: Target) {
    let scratch = std::env::temp_dir().join(format!(
        "mockforge-fuzz-{}-{}",
        target.name(),
        std::process::id()
    ));
    std::fs::create_dir_all(&scratch).expect("a scratch folder");
    let loader = Loader::new(scratch.clone());
    let (manifests, wasm) = (manifest_seeds(), wasm_seeds());
    let seed = seed() ^ target.name().len() as u64;
    let mut rng = Rng(seed | 1);
    let budget = seconds_per_target();
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < budget {
        let data = input(target, &mut rng, &manifests, &wasm);
        let began = Instant::now();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| run(target, &loader, &data)));
        let took = began.elapsed();
        if let Err(panic) = outcome {
            let path = save(target, seed, n, &data);
            eprintln!(
                "{}: input {n} panicked; saved to {}",
                target.name(),
                path.display()
            );
            std::panic::resume_unwind(panic);
        }
        if took > input_limit(target) {
            let path = save(target, seed, n, &data);
            panic!(
                "{}: input {n} took {took:?} (limit {:?}); saved to {}",
                target.name(),
                input_limit(target),
                path.display()
            );
        }
        n += 1;
    }
    eprintln!("{}: {n} inputs in {:?}", target.name(), started.elapsed());
    assert!(n > 0, "{}: no input ran", target.name());
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn manifest_parser() {
    fuzz(Target::Manifest);
}

#[test]
fn inspect() {
    fuzz(Target::Inspect);
}

#[test]
fn legacy_classifier() {
    fuzz(Target::Classify);
}

#[test]
fn legacy_adapter() {
    fuzz(Target::Adapt);
}

#[test]
fn loading_components() {
    fuzz(Target::Load);
}

/// The shaped generator reaches the plugin worlds: from random bytes it makes components that
/// the host loads as plugins of the right kind (else the load target would only ever exercise
/// the refusal paths).
#[test]
fn shaped_components_load() {
    use mockforge_component_host::{HostConfig, Manifest, PluginHost, PluginKind};
    let shapes = mockforge_component_fuzz::Shapes::new();
    let host = PluginHost::new(HostConfig::default().cache_dir(None)).expect("a host");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut rng = Rng(seed() | 1);
    let mut loaded = 0;
    for kind in [PluginKind::Auth, PluginKind::Response] {
        for _ in 0..10 {
            let len = 256 + rng.below(4096);
            let Some(component) = shapes.component(kind, &rng.bytes(len)) else {
                continue;
            };
            let manifest = Manifest::new("shaped", kind);
            let result =
                runtime.block_on(host.load_bytes(component, manifest, std::env::temp_dir()));
            loaded += usize::from(result.is_ok());
        }
    }
    assert!(loaded >= 10, "only {loaded} of 20 shaped components loaded");
}
