#!/usr/bin/env python3
"""Print the medians of the last criterion run as Markdown tables, each row with its ratio
to the group's baseline (`native` for per-call groups). Reads target/criterion."""

import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")


def human(ns: float) -> str:
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


groups: dict[str, dict[str, float]] = {}
for estimates in sorted(root.glob("**/new/estimates.json")):
    bench = json.loads((estimates.parent / "benchmark.json").read_text())
    median = json.loads(estimates.read_text())["median"]["point_estimate"]
    groups.setdefault(bench["group_id"], {})[bench["function_id"] or bench["full_id"]] = median

if not groups:
    sys.exit(f"no criterion results under {root}: run `just bench` first")

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
