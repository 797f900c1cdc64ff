//! Fuzz targets of the plugin host: the manifest parser, [`inspect`](mockforge_component_host::inspect),
//! the legacy classifier and adapter, and loading (then calling) arbitrary components.
//!
//! Each target takes arbitrary bytes and checks what must hold for every input: no panic, and
//! every error's text within [`MAX_ERROR_TEXT`]. A target returns normally when the input was
//! handled; a broken invariant panics, which is what both drivers report:
//! - `fuzz/cargo-fuzz` runs them under libFuzzer (`just fuzz`, nightly Rust and cargo-fuzz);
//! - `tests/bounded.rs` runs them on stable inside `just test`: seeded inputs (mutations of real
//!   manifests, modules and components, random bytes, and wasm-smith modules and components) for
//!   a few seconds each, with a time limit per input.
//!
//! Components for [`Target::Load`] come three ways from the input's bytes: the bytes themselves,
//! a wasm-smith core module (the legacy path), or a wasm-smith core module shaped exactly like
//! the core module of a plugin world (its imports and exports, from `wit-component`'s dummy
//! module) and wrapped into a component with the world's metadata, so that arbitrary code
//! reaches instantiation and the canonical ABI.

#![deny(missing_docs)]

mod smith;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use mockforge_component_host::{
    AuthOutcome, HostConfig, LimitCaps, Manifest, PluginHost, PluginKind, Request,
};

pub use smith::Shapes;

/// The most any error's text may hold, in bytes.
pub const MAX_ERROR_TEXT: usize = 64 * 1024;

/// The targets, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `Manifest::parse`, then `validate` on what parses.
    Manifest,
    /// `mockforge_component_host::inspect`.
    Inspect,
    /// The legacy classifier.
    Classify,
    /// The legacy adapter; what it makes must validate as a component.
    Adapt,
    /// Loading through `PluginHost::load_bytes`, then one call.
    Load,
}

impl Target {
    /// Every target.
    pub const ALL: [Target; 5] = [
        Self::Manifest,
        Self::Inspect,
        Self::Classify,
        Self::Adapt,
        Self::Load,
    ];

    /// The target's name (as in `fuzz/cargo-fuzz/fuzz_targets`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Manifest => "manifest",
            Self::Inspect => "inspect",
            Self::Classify => "classify",
            Self::Adapt => "adapt",
            Self::Load => "load",
        }
    }
}

fn check_error_text(target: &str, text: &str) {
    assert!(
        text.len() <= MAX_ERROR_TEXT,
        "{target}: an error of {} bytes (cap {MAX_ERROR_TEXT}); it starts: {:?}",
        text.len(),
        text.chars().take(200).collect::<String>()
    );
}

/// The manifest parser: any text parses or fails with a bounded error.
pub fn manifest(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Manifest::parse(text, "fuzz/plugin.toml") {
        Ok(manifest) => {
            if let Err(err) = manifest.validate() {
                check_error_text("manifest", &err.to_string());
            }
        }
        Err(err) => check_error_text("manifest", &err.to_string()),
    }
}

/// `inspect`: any bytes are described or refused with a bounded error.
pub fn inspect(data: &[u8]) {
    if let Err(err) = mockforge_component_host::inspect(data) {
        check_error_text("inspect", &err);
    }
}

/// The legacy classifier.
pub fn classify(data: &[u8]) {
    if let Err(err) = mockforge_component_adapters::classify(data) {
        check_error_text("classify", &err.to_string());
    }
}

/// The legacy adapter: a legacy module it accepts becomes a valid component (a component is
/// passed through as it is, unchecked: the host validates it when it compiles it).
pub fn adapt(data: &[u8]) {
    match mockforge_component_adapters::adapt(data) {
        Ok(adapted) if adapted.legacy.is_some() => {
            let mut validator =
                wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
            if let Err(err) = validator.validate_all(&adapted.component) {
                panic!("adapt: the adapted component does not validate: {err}");
            }
        }
        Ok(_) => {}
        Err(err) => check_error_text("adapt", &err.to_string()),
    }
}

/// A host set up for loading arbitrary components: no artifact cache, small memory, a short
/// call timeout, and the wasm-smith shapes of the plugin worlds.
pub struct Loader {
    runtime: tokio::runtime::Runtime,
    host: PluginHost,
    shapes: Shapes,
    scratch: PathBuf,
}

/// Memory a fuzzed plugin may use.
const FUZZ_MEMORY_MIB: u64 = 64;
/// A fuzzed call's time limit.
const FUZZ_TIMEOUT: Duration = Duration::from_millis(500);

impl Loader {
    /// A loader whose plugins resolve relative paths against `scratch` (an empty folder).
    pub fn new(scratch: PathBuf) -> Self {
        std::fs::create_dir_all(&scratch).expect("the loader's scratch folder");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let caps = LimitCaps {
            default_memory_mib: FUZZ_MEMORY_MIB,
            max_memory_mib: FUZZ_MEMORY_MIB,
            ..LimitCaps::default()
        };
        let host = PluginHost::new(HostConfig::default().cache_dir(None).limits(caps))
            .expect("the host starts");
        Self {
            runtime,
            host,
            shapes: Shapes::new(),
            scratch,
        }
    }

    /// The load target: the first byte chooses how the rest becomes a plugin (see the crate
    /// docs), which is then loaded and, when it loads, called once.
    pub fn load(&self, data: &[u8]) {
        let Some((&selector, rest)) = data.split_first() else {
            return;
        };
        let (bytes, kind) = match selector % 4 {
            0 => (rest.to_vec(), PluginKind::Auth),
            1 => match smith::core_module(rest) {
                Some(module) => (module, PluginKind::Auth),
                None => return,
            },
            2 => match self.shapes.component(PluginKind::Auth, rest) {
                Some(component) => (component, PluginKind::Auth),
                None => return,
            },
            _ => match self.shapes.component(PluginKind::Response, rest) {
                Some(component) => (component, PluginKind::Response),
                None => return,
            },
        };
        self.load_and_call(bytes, kind);
    }

    fn load_and_call(&self, bytes: Vec<u8>, kind: PluginKind) {
        let mut manifest = Manifest::new("fuzzed", kind);
        manifest.component_mut().unwrap().limits.timeout_ms = Some(FUZZ_TIMEOUT.as_millis() as u64);
        manifest.component_mut().unwrap().limits.memory_mib = Some(FUZZ_MEMORY_MIB);
        self.runtime.block_on(async {
            let plugin = match self.host.load_bytes(bytes, manifest, &self.scratch).await {
                Ok(plugin) => plugin,
                Err(err) => return check_error_text("load", &err.to_string()),
            };
            let request = Arc::new(
                Request::new("POST", "/fuzz?x=1")
                    .with_header("authorization", "Bearer fuzz")
                    .with_body(b"{\"fuzz\":true}".to_vec()),
            );
            if kind.authenticates() {
                match plugin.authenticate(request.clone()).await {
                    Ok(AuthOutcome::Allow(_) | AuthOutcome::Deny(_) | AuthOutcome::Abstain) => {}
                    Err(err) => check_error_text("load", &err.to_string()),
                }
            }
            if kind.responds() {
                if let Err(err) = plugin.respond(request).await {
                    check_error_text("load", &err.to_string());
                }
            }
        });
    }
}

/// Runs `target` on `data` (with `loader` for [`Target::Load`]).
pub fn run(target: Target, loader: &Loader, data: &[u8]) {
    match target {
        Target::Manifest => manifest(data),
        Target::Inspect => inspect(data),
        Target::Classify => classify(data),
        Target::Adapt => adapt(data),
        Target::Load => loader.load(data),
    }
}
