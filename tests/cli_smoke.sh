#!/usr/bin/env bash
# End-to-end check of the `mfplugin` binary: each subcommand on real built plugins, and the
# failure paths (one-line error, non-zero exit, never a panic).
#   usage: tests/cli_smoke.sh PLUGINS_DIR   (the staged Rust plugins)
set -euo pipefail
plugins="$(cd "${1:?usage: $0 PLUGINS_DIR}" && pwd)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
fixtures="$root/tests/fixtures"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --quiet -p mockforge-component-cli
mf() { "$root/target/debug/mfplugin" --cache-dir "$work/cache" "$@"; }

passed=0
failed=0
check() { # name, then a command that must succeed
    local name="$1"
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED: $name" >&2
    fi
}
contains() { grep -qF -- "$2" <<<"$1"; }

out="$(mf inspect "$plugins/auth-jwt")"
check "inspect names the world" contains "$out" "mockforge:plugin/auth-plugin@0.2.0"
check "inspect lists the export" contains "$out" "mockforge:plugin/auth@0.2.0"
check "inspect shows the manifest" contains "$out" "auth-jwt 0.1.0 (auth plugin)"
out="$(mf inspect --json "$plugins/response-template/plugin.wasm")"
check "inspect --json" contains "$out" '"world": "mockforge:plugin/response-plugin@0.2.0"'
out="$(mf inspect "$plugins/0.1/auth-jwt")"
check "inspect names a frozen 0.1 plugin's world" contains "$out" "mockforge:plugin/auth-plugin@0.1.0"

wasm-tools parse "$fixtures/legacy-auth.wat" -o "$work/legacy.wasm"
out="$(mf inspect "$work/legacy.wasm")"
check "inspect recognises a core module" contains "$out" "core WebAssembly module"
check "inspect says how to proceed" contains "$out" "adapter"
check "inspect names the legacy family" contains "$out" "family J"
out="$(mf adapt "$work/legacy.wasm" -o "$work/adapted.wasm")"
check "adapt reports the family" contains "$out" "allocator alloc/dealloc"
check "adapt writes a valid component" wasm-tools validate "$work/adapted.wasm"

out="$(mf call "$plugins/auth-trivial" --request "$fixtures/request-good.json" 2>"$work/stderr")"
check "call allows" contains "$out" '"outcome": "allow"'
check "call reports the compile" contains "$(cat "$work/stderr")" "compiled"
mf call "$plugins/auth-trivial" --request "$fixtures/request-good.json" 2>"$work/stderr" >/dev/null
check "second call loads from the cache" contains "$(cat "$work/stderr")" "loaded from the cache"
out="$(mf call "$plugins/echo-config" --request "$fixtures/request-binary.json" 2>/dev/null)"
check "call passes a binary body" contains "$out" '\"body_len\":5'
out="$(mf call "$plugins/response-template" --op modify --response "$fixtures/response.json" --request "$fixtures/request-binary.json" 2>/dev/null)"
check "call --op modify" contains "$out" '"x-mockforge-plugin"'

out="$(mf bench "$plugins/auth-trivial" --iterations 200 --warmup 20 2>/dev/null)"
check "bench prints percentiles" contains "$out" "p99"
out="$(mf bench "$plugins/leaky" --iterations 40 --warmup 0 2>/dev/null)"
check "bench reports retired instances" contains "$out" "warm instances retired near their memory limit"

# `--profile perfmap` announces the plugin's compiled functions in the process's perf map.
(exec "$root/target/debug/mfplugin" --cache-dir "$work/cache" --profile perfmap \
    call "$plugins/auth-trivial" --request "$fixtures/request-good.json" >/dev/null 2>&1) &
pid=$!
wait "$pid"
check "--profile perfmap writes the perf map" grep -q "wasm" "/tmp/perf-$pid.map"
rm -f "/tmp/perf-$pid.map"

expect_failure() { # name, expected text, command...
    local name="$1" expected="$2"
    shift 2
    local status=0
    "$@" >"$work/out" 2>"$work/err" || status=$?
    local err
    err="$(cat "$work/err")"
    if [[ $status -ne 1 ]]; then
        echo "FAILED: $name: exit $status, expected 1 ($err)" >&2
        failed=$((failed + 1))
    elif [[ "$(grep -c '^error: ' "$work/err")" -ne 1 ]] || ! contains "$err" "$expected" || grep -qE "thread '(main|tokio-runtime-worker)'.*panicked" "$work/err"; then
        echo "FAILED: $name: stderr was: $err" >&2
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
}
printf 'not wasm' >"$work/junk.wasm"
cp "$plugins/auth-trivial/plugin.toml" "$work/plugin.toml"
expect_failure "call on non-wasm bytes" "not a WebAssembly binary" mf call "$work/junk.wasm" --request "$fixtures/request-good.json"
cp "$work/legacy.wasm" "$work/junk.wasm"
out="$(mf call "$work/junk.wasm" --request "$fixtures/request-good.json" 2>/dev/null)"
check "call adapts a legacy module" contains "$out" '"outcome": "deny"'
wasm-tools parse "$fixtures/legacy/no-entry-point.wat" -o "$work/junk.wasm"
expect_failure "call on an unadaptable core module" "exports found: [memory, alloc, handle]" mf call "$work/junk.wasm" --request "$fixtures/request-good.json"
expect_failure "adapt an unadaptable core module" "follows no legacy MockForge convention" mf adapt "$work/junk.wasm" -o "$work/never.wasm"
expect_failure "a missing plugin" "cannot read" mf call "$work/nowhere" --request "$fixtures/request-good.json"
check "an error says its cause once" test "$(grep -o "No such file or directory" "$work/err" | wc -l)" -eq 1
expect_failure "an endless loop" "time limit" mf call "$plugins/endless-loop" --request "$fixtures/request-good.json"
expect_failure "a panic" "boom from the panic plugin" mf call "$plugins/panic" --request "$fixtures/request-good.json"
echo '{"method": "GET"}' >"$work/bad-request.json"
expect_failure "a bad request file" "bad request file" mf call "$plugins/auth-trivial" --request "$work/bad-request.json"

# Signatures: keygen, sign, verify, and a call that requires signatures; a tampered copy is refused.
mkdir -p "$work/signed"
cp "$plugins/auth-trivial/plugin.toml" "$plugins/auth-trivial/plugin.wasm" "$work/signed/"
out="$(mf keygen "$work/signer.key")"
check "keygen prints the public key" contains "$out" "ed25519:"
check "keygen writes the private key 0600" test "$(stat -c %a "$work/signer.key")" = 600
expect_failure "verify an unsigned plugin" "unsigned" mf verify "$work/signed" --trust "$work/signer.key.pub"
out="$(mf sign "$work/signed" --key "$work/signer.key")"
check "sign writes plugin.sig" test -f "$work/signed/plugin.sig"
out="$(mf verify "$work/signed" --trust "$work/signer.key.pub")"
check "verify accepts the signed plugin" contains "$out" "ok: auth-trivial is signed by trusted key"
out="$(mf call "$work/signed" --request "$fixtures/request-good.json" --require-signatures --trust "$work/signer.key.pub" 2>/dev/null)"
check "call with --require-signatures loads a signed plugin" contains "$out" '"outcome": "allow"'
expect_failure "call with --require-signatures refuses an unsigned plugin" "unsigned" mf call "$plugins/auth-trivial" --request "$fixtures/request-good.json" --require-signatures --trust "$work/signer.key.pub"
printf '\n[limits]\ntimeout-ms = 5000\n' >>"$work/signed/plugin.toml"
expect_failure "verify refuses a manifest changed after signing" "the manifest changed since it was signed" mf verify "$work/signed" --trust "$work/signer.key.pub"

# A remote plugin: its manifest names no component. Served by the Python SDK's trivial example
# (`bash guests/python/setup.sh` installs it), then called once its server is gone.
port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
MOCKFORGE_PLUGIN_SECRET=smoke "$python" -m uvicorn --app-dir "$root/guests/python/remote-examples" \
    trivial_auth:app --host 127.0.0.1 --port "$port" --log-level warning --no-access-log &
server=$!
mkdir -p "$work/remote"
cat >"$work/remote/plugin.toml" <<TOML
name = "remote-trivial"
version = "0.1.0"
kind = "auth"

[remote]
endpoint = "http://127.0.0.1:$port"
secret = "smoke"
timeout-ms = 2000
retries = 0
TOML
for _ in $(seq 100); do
    "$python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
    sleep 0.1
done
out="$(mf call "$work/remote" --request "$fixtures/request-good.json" 2>/dev/null)"
check "call reaches a remote plugin" contains "$out" '"subject": "good"'
kill "$server"
wait "$server" 2>/dev/null || true
out="$(mf call "$work/remote" --request "$fixtures/request-good.json" 2>/dev/null)"
check "a dead remote plugin denies with 503" contains "$out" '"status": 503'

# `serve`: a configuration file, real HTTP requests, SIGTERM for a graceful stop.
cat >"$work/serve.toml" <<TOML
listen = "127.0.0.1:0"
[[plugin]]
path = "$plugins/auth-trivial"
paths = ["/private/*"]
[[route]]
path = "/private/{id}"
body = "{id} for {auth.subject}"
TOML
(exec "$root/target/debug/mfplugin" --cache-dir "$work/cache" serve --config "$work/serve.toml" \
    >"$work/serve.out" 2>"$work/serve.err") &
server=$!
for _ in $(seq 200); do
    grep -q "mock server on" "$work/serve.out" 2>/dev/null && break
    sleep 0.1
done
address="$(sed -n 's/^mock server on http:\/\///p' "$work/serve.out")"
if [[ -z "$address" ]]; then
    echo "FAILED: serve did not start: $(cat "$work/serve.err")" >&2
    exit 1
fi
fetch() { # path, authorization: "<status> <body>"
    "$python" - "$address" "$1" "$2" <<'PY2'
import sys, urllib.request, urllib.error
req = urllib.request.Request(f"http://{sys.argv[1]}{sys.argv[2]}", headers={"authorization": sys.argv[3]})
try:
    with urllib.request.urlopen(req, timeout=10) as r:
        print(r.status, r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode())
PY2
}
check "serve allows through the plugin" test "$(fetch /private/7 "Bearer good")" = "200 7 for good"
check "serve denies through the plugin" contains "$(fetch /private/7 "Bearer bad")" "401"
check "serve reports metrics" contains "$(fetch /__mockforge/metrics "")" 'mockforge_plugin_calls_total{plugin="auth-trivial"} 2'
kill -TERM "$server"
status=0
wait "$server" || status=$?
check "serve stops gracefully on SIGTERM" test "$status" -eq 0

status=0
mf frobnicate >/dev/null 2>&1 || status=$?
check "an unknown subcommand exits 2" test "$status" -eq 2

echo "cli smoke: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
