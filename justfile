# MockForge component plugin host: build, test, benchmark, demo.
# `just` installs from a registry: `pip install rust-just` or `cargo install just`.
#
# Every recipe that builds installs what it needs first (`setup`, idempotent: a few seconds
# when everything is present). Python tools live in this checkout's virtual environment
# (.venv/), Node packages in each guest's node_modules/: nothing is installed machine-wide but
# Rust targets, Debian's C toolchain for wasm32 and `cargo install wit-bindgen-cli`.

set shell := ["bash", "-euo", "pipefail", "-c"]

# Staged plugins: target/plugins/<language>/<plugin>/{plugin.wasm,plugin.toml}
plugins := justfile_directory() / "target/plugins"

# Every guest language: guests/<language>/{setup.sh,build.sh}.
languages := "rust,c,python,javascript,go,go-legacy,assemblyscript,rust-legacy"

venv := env("MOCKFORGE_VENV", justfile_directory() / ".venv")

# The checkout's Python (pytest, uvicorn, componentize-py, go) for every recipe and the tests.
export PYTHON := venv / "bin/python"
export PATH := venv / "bin" + ":" + env("HOME", "/root") / ".cargo/bin" + ":" + env("PATH")

# List the recipes.
default:
    @just --list

# Install what building the given languages needs (idempotent; says what it installs).
[arg('languages', long)]
setup languages=languages:
    bash guests/setup.sh "{{languages}}"

# Every language's setup, with its pip and npm steps in scratch prefixes (a new venv, a new npm
# prefix, a PATH without this checkout's tools), reusing only the download caches: they work on
# a machine that has none of their tools. `.ci/run` runs it.

# Run every setup from scratch pip and npm prefixes, as on a machine without their tools.
setup-fresh:
    #!/usr/bin/env bash
    set -euo pipefail
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    # The interpreter the venv is made from; nothing installed next to it is visible.
    export PYTHON_FOR_VENV="$(python3 -c 'import sys; print(sys.executable)')"
    export MOCKFORGE_VENV="$scratch/venv" MOCKFORGE_NODE_PREFIX="$scratch/npm"
    export PATH="$(dirname "$(command -v cargo)"):/usr/local/bin:/usr/bin:/bin"
    unset PYTHON
    started=$SECONDS
    echo "==> setup into scratch prefixes: $MOCKFORGE_VENV, $MOCKFORGE_NODE_PREFIX"
    bash guests/setup.sh
    # Each tool runs from the scratch prefix, not from anywhere else.
    "$scratch/venv/bin/wasm-tools" --version
    "$scratch/venv/bin/componentize-py" --version
    "$scratch/venv/bin/python" -c 'import mockforge_plugin.remote, uvicorn, fastapi, httpx, pytest, go'
    "$scratch/npm/javascript/node_modules/.bin/componentize-js" --version
    test -x "$scratch/npm/javascript/node_modules/.bin/componentize-qjs"
    "$scratch/npm/assemblyscript/node_modules/.bin/asc" --version
    # A second run installs nothing and takes seconds.
    again=$SECONDS
    log="$(bash guests/setup.sh)"
    if grep -E '^==> (pip|npm|apt|cargo|rustup|python):' <<<"$log"; then
        echo "error: the second setup run installed again (above); setup is not idempotent" >&2
        exit 1
    fi
    echo "==> fresh setup passed: first run $((again - started)) s, second run $((SECONDS - again)) s"

# Build the `mfplugin` CLI (and with it the host library) once; later builds take seconds.
cli:
    #!/usr/bin/env bash
    set -euo pipefail
    if [[ ! -x target/debug/mfplugin ]]; then
        echo "==> building mfplugin and the plugin host (wasmtime 48 with Cranelift, optimized):"
        echo "    the first build takes about 16 minutes on 2 cores; cargo's progress follows"
    fi
    cargo build -p mockforge-component-cli

# Run the CLI, building it first if needed: `just mfplugin call target/plugins/rust/auth-jwt --request r.json`.
mfplugin *args: cli
    target/debug/mfplugin {{args}}

# Build every guest plugin of the given languages, staged under target/plugins/<language>.
[arg('languages', long)]
build-guests languages=languages: (setup languages)
    for lang in $(tr , ' ' <<<"{{languages}}"); do \
        started=$(date +%s.%N); \
        bash "guests/$lang/build.sh" "{{plugins}}/$lang"; \
        awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }' \
            >"{{plugins}}/$lang/build-seconds"; \
    done

# Build only the named plugins of one language: `just build-plugin python auth-jwt`.
build-plugin language +names: (setup language)
    bash "guests/{{language}}/build.sh" "{{plugins}}/{{language}}" {{names}}

# The cross-language conformance suite on the given languages (e.g. --languages rust,python).
[arg('languages', long)]
test-guests languages=languages: (build-guests languages)
    MOCKFORGE_LANGUAGES="{{languages}}" cargo test -p mockforge-component-tests --test conformance

# Everything: lints, host unit tests, end-to-end tests with real built plugins, doc tests.
test: build-guests lint
    @if ! find target/debug/deps -maxdepth 1 -type f -perm -u+x -name 'conformance-*' 2>/dev/null | grep -q .; then \
        echo "==> building the test binaries (the first build takes about 10 minutes on 2 cores; cargo's progress follows)"; \
    fi
    cargo test --workspace --no-fail-fast
    {{bridge_clippy}} cargo test --manifest-path bridge/Cargo.toml --no-fail-fast
    # The Rust guests' own unit tests (SDK and plugin logic), natively: no host call is made.
    cargo test --manifest-path guests/rust/Cargo.toml --workspace --target "$(rustc -vV | sed -n 's/^host: //p')"
    bash guests/c/test.sh
    "$PYTHON" -m pytest -q guests/python
    bash guests/go/test.sh
    bash guests/go-legacy/test.sh
    bash guests/assemblyscript/test.sh
    bash guests/javascript/test.sh
    just cli-smoke

# Formatting and clippy (warnings are errors) on the host workspace, the bridge and the Rust guests.
lint: (setup "rust,rust-legacy")
    @echo "==> rustfmt and clippy (a first run checks every dependency: about 7 minutes on 2 cores)"
    cargo fmt --all --check
    cargo fmt --all --check --manifest-path guests/rust/Cargo.toml
    cargo clippy --workspace --all-targets -- -D warnings
    cargo clippy --manifest-path guests/rust/Cargo.toml --workspace --target wasm32-wasip2 -- -D warnings
    cargo fmt --all --check --manifest-path adapters/translator/Cargo.toml
    cargo clippy --manifest-path adapters/translator/Cargo.toml --workspace --target wasm32-wasip2 -- -D warnings
    cargo fmt --all --check --manifest-path guests/rust-legacy/Cargo.toml
    cargo clippy --manifest-path guests/rust-legacy/Cargo.toml --workspace --target wasm32-unknown-unknown -- -D warnings
    just bridge-lint

# The bridge to MockForge's plugin traits (bridge/) is a workspace of its own sharing target/
# (cargo reads no bridge/.cargo/config.toml from here, hence CARGO_TARGET_DIR): it brings
# wasmtime 36. Its crate goes through clippy-driver while it is compiled for its tests
# (RUSTC_WORKSPACE_WRAPPER, as `cargo clippy` itself does it), so that one build lints and
# tests it: `cargo clippy` would check-build wasmtime 36 and the rest a second time. Only the
# bridge's own crate is linted this way; its dependencies compile with rustc as usual.
bridge_clippy := 'CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-' + justfile_directory() / "target" + '}" RUSTC_WORKSPACE_WRAPPER=clippy-driver CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"'

# The first build of the bridge compiles wasmtime 36 for mockforge-plugin-core (see
# bridge/README.md, "Build cost").

# Lint the bridge (rustfmt; clippy, warnings are errors, while building its tests).
bridge-lint:
    cargo fmt --check --manifest-path bridge/Cargo.toml
    {{bridge_clippy}} cargo test --manifest-path bridge/Cargo.toml --no-run

# Test the bridge: MockForge's traits over real Rust, Go and remote Python plugins, linted too.
bridge: (build-guests "rust,go-legacy") (setup "python")
    cargo fmt --check --manifest-path bridge/Cargo.toml
    {{bridge_clippy}} cargo test --manifest-path bridge/Cargo.toml --no-fail-fast

# Exercise the CLI binary end to end: inspect, call and bench a built plugin, and a bad file.
cli-smoke: (setup "rust,python")
    bash tests/cli_smoke.sh "{{plugins}}/rust"

# Criterion benchmarks of every guest language and the legacy adapters (figures: BENCHMARKS.md).
bench: build-guests
    bash benches/python-probes/build.sh target/plugins-probes/python
    cargo bench -p mockforge-component-benches
    "$PYTHON" benches/report.py

# Only `just bench-peers` builds Extism and its wasmtime 43 (the benches crate's feature
# `extism-peer`; wasmtime 43 and its Cranelift add 10+ CPU-minutes to a build): `just test` and
# `just lint` never do. It lints that code itself. `just lint` builds the rest of the peers
# bench (the native, bare `bindgen!` and host rows), so that it keeps up with the host and the
# contract. Figures: BENCHMARKS.md, "Against peers".

# This host against Extism and a bare `bindgen!` on the trivial auth logic, in one criterion run.
bench-peers: (build-plugin "rust" "auth-trivial") (setup "rust-legacy")
    #!/usr/bin/env bash
    set -euo pipefail
    target="${CARGO_TARGET_DIR:-{{justfile_directory()}}/target}"
    plugin=benches/extism-plugin/Cargo.toml
    echo "==> the Extism plugin (wasm32-unknown-unknown), formatted and linted"
    cargo fmt --check --manifest-path "$plugin"
    cargo clippy --manifest-path "$plugin" --target wasm32-unknown-unknown --locked \
        --target-dir "$target" -- -D warnings
    cargo build --manifest-path "$plugin" --target wasm32-unknown-unknown --locked --release \
        --target-dir "$target"
    mkdir -p "{{plugins}}/../peers"
    cp "$target/wasm32-unknown-unknown/release/extism_auth_trivial.wasm" \
        "{{plugins}}/../peers/extism-auth-trivial.wasm.new"
    mv "{{plugins}}/../peers/extism-auth-trivial.wasm.new" "{{plugins}}/../peers/extism-auth-trivial.wasm"
    echo "==> the peers bench, linted with its feature (the first build compiles wasmtime 43)"
    cargo clippy -p mockforge-component-benches --all-targets --features extism-peer -- -D warnings
    cargo bench -p mockforge-component-benches --bench peers --features extism-peer -- \
        --warm-up-time 3 --measurement-time 10
    "$PYTHON" benches/peers_report.py "$target/criterion"

# The main job: start the mock server with the example plugins, send it scripted requests, print them.
demo: (build-guests "rust,go-legacy") (setup "python") cli
    target/debug/mfplugin demo "{{plugins}}"

# Run the demo mock server on 127.0.0.1:8080 until Ctrl-C (`just serve --config FILE` for your own).
serve *args: (build-guests "rust,go-legacy") cli
    target/debug/mfplugin serve --plugins "{{plugins}}" {{args}}

# Throughput and p50/p99 of the live server with and without plugins (figures: BENCHMARKS.md).
bench-server: (build-guests "rust")
    cargo bench -p mockforge-component-benches --bench server_router -- --warm-up-time 2 --measurement-time 5
    cargo bench -p mockforge-component-benches --bench server_load

# The experiment is a patch applied to a throwaway worktree, never to this checkout.

# The server's plugin call against a bare bindgen! call and a native function in its place.
bench-bare-in-server: (build-plugin "rust" "auth-trivial" "auth-jwt" "response-template")
    bash benches/experiments/bare-in-server.sh

# The probes are built with componentize-py without the SDK (benches/python-probes/README.md).

# Where a warm Python auth call goes, step by step: four probes, the Python and Rust auth-jwt.
bench-python-floor: (build-plugin "python" "auth-jwt") (build-plugin "rust" "auth-jwt")
    bash benches/python-probes/build.sh target/plugins-probes/python
    cargo bench -p mockforge-component-benches --bench python_floor -- --warm-up-time 1 --measurement-time 4

# The soak: 1,000,000 calls each of a fresh and a pooled Rust plugin and 100,000 of the
# JavaScript one, with the RSS after warm-up and at the end (flat within 10%) and zero errors.
soak: (build-guests "rust,javascript")
    cargo bench -p mockforge-component-benches --bench soak

# Fuzz one target (manifest, inspect, classify, adapt, load) under libFuzzer for `seconds`;
# installs nightly Rust and cargo-fuzz when missing. `just test` runs the same targets on
# stable for a few seconds each (fuzz/targets/tests/bounded.rs).
fuzz target="load" seconds="60":
    rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal --no-self-update
    command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
    cargo +nightly fuzz run --fuzz-dir fuzz/cargo-fuzz {{target}} -- -max_total_time={{seconds}} -timeout=30 -rss_limit_mb=4096
