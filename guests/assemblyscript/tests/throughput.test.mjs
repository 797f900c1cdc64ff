// A long-lived instance, as the host keeps one: 100,000 calls must leave memory bounded (the
// incremental collector frees what each call allocated). Reports calls per second, copying
// the strings in and out as the adapter does.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";

import { configFor, legacyInput, manifestConfig, outcomeOf, paths, Plugin } from "./harness.mjs";

const CALLS = 100_000;
const WARM_UP = 5_000;
/** How much the memory may still grow after the warm-up: the collector's steady state is
 * reached by then, so this allows only for its pacing. */
const MAX_GROWTH = 1 << 20;

/** The first auth-jwt vector's token: a valid one with seven claims. */
const TOKEN = JSON.parse(readFileSync(join(paths.vectors, "auth-jwt.json"), "utf8"))[0].request.headers[0][1];

const cases = [
  ["auth-trivial", "Bearer good", "allow"],
  ["auth-trivial", "Bearer bad", "deny"],
  ["auth-jwt", TOKEN, "allow"],
  ["auth-jwt", "Bearer not-a-jwt", "deny"],
];

describe("a long-lived instance", () => {
  for (const [name, authorization, expected] of cases) {
    test(`${name} (${expected}): ${CALLS} calls in bounded memory`, (t) => {
      const plugin = Plugin.load(paths.plugin(name));
      const config = configFor(manifestConfig(paths.manifest(name)), {});
      const input = legacyInput(
        { method: "GET", path: "/orders", query: "page=2", headers: [["Authorization", authorization], ["Accept", "application/json"], ["User-Agent", "bench/1.0"]] },
        config,
        Date.now(),
      );
      assert.ok(expected in outcomeOf(plugin.authenticate(input)));

      for (let i = 0; i < WARM_UP; i++) plugin.authenticate(input);
      const warm = plugin.memory.buffer.byteLength;
      const start = process.hrtime.bigint();
      for (let i = 0; i < CALLS; i++) plugin.authenticate(input);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const final = plugin.memory.buffer.byteLength;

      const rate = Math.round(CALLS / seconds);
      const perCall = ((seconds / CALLS) * 1e6).toFixed(2);
      // The machine's load says how far the rate is from what an idle machine gives.
      t.diagnostic(
        `${name} ${expected}: ${rate} calls/s (${perCall} µs a call); memory ${warm} -> ${final} bytes; ` +
          `load average ${loadavg()[0].toFixed(1)}`,
      );
      assert.ok(final - warm <= MAX_GROWTH, `memory grew from ${warm} to ${final} bytes`);
    });
  }
});

