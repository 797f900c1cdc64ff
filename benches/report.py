#!/usr/bin/env python3
"""Print the medians of the last criterion run as Markdown tables. Reads target/criterion.

Per-call groups get each row's ratio to the group's `native` baseline. The guest-language
groups of benches/languages.rs (`languages/<language>/<plugin>`) become one table per plugin,
a row per language with its ratios to the Rust plugin, the size of its component and, when
the language's build script recorded it, its build time
(target/plugins/<language>/<plugin>/build-seconds)."""

import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
plugins_dir = root.parent / "plugins"

# The measurements of benches/languages.rs, in the order of the table's columns.
MEASURES = [
    ("cached_load", "cached load"),
    ("instantiate", "instantiate"),
    ("warm_call", "warm call"),
    ("fresh_call", "fresh call"),
]
BASELINE_LANGUAGE = "rust"


def human(ns: float) -> str:
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def human_bytes(size: int) -> str:
    for unit, scale in (("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} B"


groups: dict[str, dict[str, float]] = {}
for estimates in sorted(root.glob("**/new/estimates.json")):
    bench = json.loads((estimates.parent / "benchmark.json").read_text())
    median = json.loads(estimates.read_text())["median"]["point_estimate"]
    groups.setdefault(bench["group_id"], {})[bench["function_id"] or bench["full_id"]] = median

if not groups:
    sys.exit(f"no criterion results under {root}: run `just bench` first")

# languages[plugin][language] = {measure: median}
languages: dict[str, dict[str, dict[str, float]]] = {}
for group, rows in list(groups.items()):
    parts = group.split("/")
    if len(parts) == 3 and parts[0] == "languages":
        _, language, plugin = parts
        languages.setdefault(plugin, {})[language] = rows
        del groups[group]

# The groups of benches/legacy.rs (`legacy/<language>`): legacy[language] = {measure: median}
legacy: dict[str, dict[str, float]] = {}
for group, rows in list(groups.items()):
    parts = group.split("/")
    if len(parts) == 2 and parts[0] == "legacy":
        legacy[parts[1]] = rows
        del groups[group]

for group, rows in groups.items():
    baseline = rows.get("native")
    print(f"\n### {group}\n")
    print("| benchmark | median | ratio to native |" if baseline else "| benchmark | median |")
    print("|---|---:|---:|" if baseline else "|---|---:|")
    for name, median in rows.items():
        if baseline:
            print(f"| {name} | {human(median)} | {median / baseline:.1f}× |")
        else:
            print(f"| {name} | {human(median)} |")


def per_call_percentiles(language: str, plugin: str):
    """The percentiles of warm calls timed one by one (benches/languages.rs writes them)."""
    path = root / "per-call" / language / f"{plugin}.json"
    return json.loads(path.read_text()) if path.is_file() else None


def cell(rows: dict[str, float], baseline: dict[str, float], measure: str) -> str:
    if measure not in rows:
        return "—"
    text = human(rows[measure])
    if measure in baseline:
        text += f" ({rows[measure] / baseline[measure]:.1f}×)"
    return text


for plugin, by_language in languages.items():
    baseline = by_language.get(BASELINE_LANGUAGE, {})
    ratio = f", ratio to {BASELINE_LANGUAGE}" if baseline else ""
    print(f"\n### {plugin}: medians per language{ratio}\n")
    print("| language | component | build | " + " | ".join(title for _, title in MEASURES) + " | warm p50 / p99 per call |")
    print("|---|---:|---:|" + "---:|" * (len(MEASURES) + 1))
    for language in sorted(by_language, key=lambda name: (name != BASELINE_LANGUAGE, name)):
        staged = plugins_dir / language.replace("@", "/") / plugin
        wasm = staged / "plugin.wasm"
        size = human_bytes(wasm.stat().st_size) if wasm.is_file() else "—"
        seconds = staged / "build-seconds"
        # Otherwise the whole language's build (`just build-guests` times each language).
        whole = plugins_dir / language.split("@")[0] / "build-seconds"
        if seconds.is_file():
            build = f"{float(seconds.read_text()):.1f} s"
        elif whole.is_file():
            build = f"{float(whole.read_text()):.0f} s (all)"
        else:
            build = "—"
        cells = " | ".join(cell(by_language[language], baseline, m) for m, _ in MEASURES)
        per_call = per_call_percentiles(language, plugin)
        spread = f"{human(per_call['p50_ns'])} / {human(per_call['p99_ns'])}" if per_call else "—"
        print(f"| {language} | {size} | {build} | {cells} | {spread} |")

# Issue #3's floors: a warm auth-jwt call of at most 50 µs (the median call, timed one by one)
# and a cached load of at most 20 ms, in every language.
if "auth-jwt" in languages:
    print("\nIssue #3 floors (warm auth-jwt median call ≤ 50 µs, cached load ≤ 20 ms):\n")
    print("| language | warm call, median | cached load | verdict |")
    print("|---|---:|---:|---|")
    for language in sorted(set(languages["auth-jwt"]) | set(languages.get("auth-trivial", {}))):
        jwt = per_call_percentiles(language, "auth-jwt")
        loads = [
            rows["cached_load"]
            for rows in (languages[p].get(language, {}) for p in languages)
            if "cached_load" in rows
        ]
        worst_load = max(loads) if loads else None
        if jwt is None or worst_load is None:
            verdict = "— (not measured)"
        elif jwt["p50_ns"] <= 50_000 and worst_load <= 20e6:
            verdict = "met"
        else:
            verdict = "NOT met"
        print(
            f"| {language} | {human(jwt['p50_ns']) if jwt else '— (no auth-jwt)'} | "
            f"{human(worst_load) if worst_load else '—'} | {verdict} |"
        )

# Issue #4's floors: the adapter adds at most 2x to the module driven directly, and a warm Go
# call answers within 20 µs.
LEGACY_LABELS = {
    "rust": "rust (native component)",
    "rust-legacy": "rust-legacy (family J)",
    "go-legacy": "go-legacy (family G)",
    "go-legacy-mockforge-sdk": "go-legacy, MockForge's SDK, no arena (family G)",
    "assemblyscript": "assemblyscript (family A)",
}
MAX_ADAPTER_RATIO = 2.0
MAX_GO_WARM_NS = 20_000

if legacy:
    print("\n### legacy adapters: auth-trivial per call, medians\n")
    print("| plugin | direct | warm (adapted) | warm ÷ direct (≤ 2×) | fresh | fresh ÷ warm "
          "| auth-jwt warm |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    order = list(LEGACY_LABELS) + sorted(set(legacy) - set(LEGACY_LABELS))
    for language in (name for name in order if name in legacy):
        rows = legacy[language]
        get = lambda measure: human(rows[measure]) if measure in rows else "—"
        adapter = "—"
        if "direct" in rows and "warm" in rows:
            ratio = rows["warm"] / rows["direct"]
            adapter = f"{ratio:.2f}× ({'met' if ratio <= MAX_ADAPTER_RATIO else 'NOT met'})"
        fresh = f"{rows['fresh'] / rows['warm']:.1f}×" if {"fresh", "warm"} <= rows.keys() else "—"
        print(f"| {LEGACY_LABELS.get(language, language)} | {get('direct')} | {get('warm')} "
              f"| {adapter} | {get('fresh')} | {fresh} | {get('jwt-warm')} |")
    go_warm = legacy.get("go-legacy", {}).get("warm")
    if go_warm is not None:
        verdict = "met" if go_warm <= MAX_GO_WARM_NS else "NOT met"
        print(f"\nGo warm call: {human(go_warm)} (floor ≤ 20 µs: {verdict}).")
