#!/usr/bin/env bash
# What a warm component call costs in the live server's request path, against a bare
# `bindgen!` call of the same plugin and a native function in the same place (BENCHMARKS.md,
# "The live server", session 15). `just bench-bare-in-server` runs it.
#
# bare-in-server.patch is an experiment, never merged: behind MOCKFORGE_EXPERIMENT_AUTH it
# replaces the auth chain's plugin call (everything else in the chain stays) by auth-trivial's
# logic as a Rust function, or by the auth-trivial component called through
# benches/peers/bare.rs (sync, one instance per server thread). This script applies it to a
# throwaway worktree of HEAD, builds `server_load` there (sharing this checkout's target
# directory, so only the changed crates build; this checkout's next build rebuilds them back),
# and loads four servers in the bench's profile mode at concurrency 32, taking turns round by
# round: no plugin, native, bare, this host (`auth-trivial pooled`). It prints every round and,
# per row, the median ratio to the no-plugin server of the same round, how many rounds reach
# 80% (issue 11's floor for auth-trivial pooled), and the median server CPU over no plugin.
#
# ROUNDS (default 6) and ROW_SECONDS (default 3) set the length.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${ROUNDS:-6}"
row_seconds="${ROW_SECONDS:-3}"
wasm="$root/target/plugins/rust/auth-trivial/plugin.wasm"
if [ ! -f "$wasm" ]; then
    echo "bare-in-server: $wasm is missing: run \`just bench-bare-in-server\`" >&2
    exit 1
fi

scratch="$(mktemp -d)"
tree="$scratch/tree"
cleanup() {
    git -C "$root" worktree remove --force "$tree" >/dev/null 2>&1 || true
    rm -rf "$scratch"
}
trap cleanup EXIT
git -C "$root" worktree add --detach "$tree" HEAD >/dev/null
# The bench finds the staged plugins beside its own sources: the worktree's are this checkout's.
ln -s "$root/target" "$tree/target"
if ! git -C "$tree" apply "$root/benches/experiments/bare-in-server.patch"; then
    echo "bare-in-server: the patch no longer applies to HEAD (http/src/auth.rs changed?)" >&2
    exit 1
fi

echo "==> building server_load with the experiment"
built="$(cd "$tree" && CARGO_TARGET_DIR="$root/target" cargo bench \
    -p mockforge-component-benches --bench server_load --no-run --message-format=json \
    | sed -n 's/.*"executable":"\([^"]*server_load[^"]*\)".*/\1/p' | tail -1)"
if [ -z "$built" ]; then
    echo "bare-in-server: the experiment's server_load did not build" >&2
    exit 1
fi
# The binary is replaced by this checkout's next build of the bench: run a copy.
bench="$scratch/server_load"
cp "$built" "$bench"

results="$scratch/rounds.txt"
for round in $(seq 1 "$rounds"); do
    for row in none native bare host; do
        case "$row" in
            none) server="no plugin" experiment="" ;;
            native) server="auth-trivial pooled" experiment="native" ;;
            bare) server="auth-trivial pooled" experiment="bare:$wasm" ;;
            host) server="auth-trivial pooled" experiment="" ;;
        esac
        line="$(cd "$root/benches" && MOCKFORGE_EXPERIMENT_AUTH="$experiment" \
            MOCKFORGE_BENCH_PROFILE="$server" MOCKFORGE_BENCH_SECONDS="$row_seconds" \
            "$bench" --bench | grep ' requests in ')"
        echo "round $round $row: $line" | tee -a "$results"
    done
done

python3 - "$results" <<'EOF'
import re, statistics, sys
rounds = {}
for line in open(sys.argv[1]):
    m = re.match(r"round (\d+) (\w+): .*\(([\d.]+)/s\).*server CPU ([\d.]+)", line)
    if m:
        rounds.setdefault(int(m[1]), {})[m[2]] = (float(m[3]), float(m[4]))
print(f"\n{'row':<8} {'median ratio':>12} {'rounds >= 80%':>14} {'server CPU over no plugin':>26}")
for row in ("native", "bare", "host"):
    ratios = [r[row][0] / r["none"][0] for r in rounds.values()]
    extra = [r[row][1] - r["none"][1] for r in rounds.values()]
    print(f"{row:<8} {statistics.median(ratios):>12.0%} "
          f"{sum(x >= 0.8 for x in ratios):>8} of {len(ratios):<3} "
          f"{statistics.median(extra):>+22.1f} µs")
EOF
