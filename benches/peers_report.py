#!/usr/bin/env python3
"""Print the table of benches/peers.rs (criterion group `peers/auth-trivial`) as Markdown: each
row's median, its ratio to the native function and to Extism (reused rows to `extism_reused`,
fresh rows to `extism_fresh`), issue 14's floors for this host, and the machine it ran on.

usage: peers_report.py [CRITERION_DIR]   (default: target/criterion)"""

import json
import os
import pathlib
import platform
import sys

GROUP = "peers/auth-trivial"
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")

# (function id, what it is, which Extism row it is compared with)
ROWS = [
    ("native", "native Rust function", None),
    ("bare_reused", "bare `bindgen!` (wasmtime 48), one instance reused", "extism_reused"),
    ("host_pooled", "this host, `Pooled` (one warm instance)", "extism_reused"),
    ("extism_reused", "Extism 1.30 (wasmtime 43), one plugin reused", "extism_reused"),
    ("bare_fresh", "bare `bindgen!`, fresh per call (pooling + `InstancePre`)", "extism_fresh"),
    ("host_fresh", "this host, `Fresh`", "extism_fresh"),
    ("extism_fresh", "Extism, new plugin per call from a `CompiledPlugin` (pooling)", "extism_fresh"),
    ("extism_json_codec", "(the Extism rows' JSON encode + decode alone)", None),
]
# Issue 14's floors for this host: (row, most ns, the Extism row, least times faster).
FLOORS = [
    ("host_pooled", 1_000, "extism_reused", 5),
    ("host_fresh", 8_000, "extism_fresh", 15),
]


def human(ns: float) -> str:
    for unit, scale in (("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def cpu_model() -> str:
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


medians: dict[str, float] = {}
for estimates in root.glob("**/new/estimates.json"):
    bench = json.loads((estimates.parent / "benchmark.json").read_text())
    if bench["group_id"] == GROUP:
        medians[bench["function_id"]] = json.loads(estimates.read_text())["median"]["point_estimate"]
if not medians:
    sys.exit(f"no results of group {GROUP} under {root}: run `just bench-peers` first")

print(f"Machine: {os.cpu_count()} cores (`nproc`), {cpu_model()}, Linux {platform.release()}.")
backtrace = os.environ.get("RUST_BACKTRACE")
print(f"RUST_BACKTRACE: {backtrace!r} in this environment." if backtrace is not None
      else "RUST_BACKTRACE: not set in this environment.")
print()
print("| row | what | median | ÷ native | ÷ Extism |")
print("|---|---|---:|---:|---:|")
native = medians.get("native")
for name, what, extism in ROWS:
    if name not in medians:
        print(f"| `{name}` | {what} | — | — | — |")
        continue
    median = medians[name]
    to_native = f"{median / native:.1f}×" if native else "—"
    to_extism = f"{median / medians[extism]:.3f}×" if extism in medians else "—"
    print(f"| `{name}` | {what} | {human(median)} | {to_native} | {to_extism} |")

print()
for row, most_ns, extism, times in FLOORS:
    if row not in medians or extism not in medians:
        print(f"- `{row}`: not measured")
        continue
    median, faster = medians[row], medians[extism] / medians[row]
    verdicts = [
        f"{human(median)} (≤ {human(most_ns)}: {'met' if median <= most_ns else 'NOT met'})",
        f"{faster:.1f}× faster than `{extism}` (≥ {times}×: {'met' if faster >= times else 'NOT met'})",
    ]
    print(f"- `{row}`: " + "; ".join(verdicts))
for host_row, bare_row in (("host_pooled", "bare_reused"), ("host_fresh", "bare_fresh")):
    if {host_row, bare_row} <= medians.keys():
        print(f"- the host's own share, `{host_row}` − `{bare_row}`: "
              f"{human(medians[host_row] - medians[bare_row])}")
